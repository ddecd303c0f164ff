package sdm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hcaops/hcaops/servicedesk"
)

// Config configures a Client.
type Config struct {
	// BaseURL is the SDM REST server, e.g. "https://sdm.example.va.gov:8050";
	// the client appends /caisd-rest/... (a trailing /caisd-rest is tolerated).
	BaseURL  string
	Username string
	Password string
	// Customer is the contact (cnt) named as the affected end user of new incidents:
	// a UUID as SDM writes it (U'...') or a common name ("Last, First"). SDM requires a
	// customer on incidents unless a site relaxed it; hcaops tickets carry no PII, so it
	// is a placeholder contact of the site, never the caller.
	Customer string
	// Category is the incident area (pcat) of new incidents, by its symbol
	// ("10-10EZ.Application"); empty sends the ticket's own category, if any.
	Category string
	// Urgency and Impact are the codes (urg, imp) of new incidents: many sites require
	// them, and derive the priority from them. Empty sends none.
	Urgency, Impact string
	// NoCustomAttributes is for an SDM without hcaops's schema change (zhcaops_ref,
	// zescalated): the reference then travels as a marker line in the description, and
	// an escalation as an ESC activity log entry.
	NoCustomAttributes bool
	// WatchGroups are the groups whose incidents Changes reads; empty reads every
	// incident changed (a test desk). With the custom attributes, incidents that carry a
	// reference are read wherever they are.
	WatchGroups []string
	// Overlap is how far before the previous poll's newest last_mod_dt the next one
	// reads again (default 2 min): last_mod_dt has one-second resolution and is stamped
	// before the change commits, so a change can appear later with an older stamp.
	Overlap time.Duration
	// MaxPollIncidents bounds one poll (default 2000); the cursor then stops at the last
	// incident read.
	MaxPollIncidents int
	// HTTPClient defaults to a client with a 15 s timeout.
	HTTPClient *http.Client
	// RenewBefore is how long before its expiry the access key is renewed; default 1 h.
	RenewBefore time.Duration
	// Now is the clock used to judge key expiry; default time.Now.
	Now func() time.Time
}

// maxBody bounds what the client reads of an answer: a page of 500 rows fits easily.
const maxBody = 16 << 20

// Client is a servicedesk.Desk backed by SDM. It is safe for concurrent use.
type Client struct {
	base   string // scheme://host[:port], without /caisd-rest
	cfg    Config // with its defaults
	http   *http.Client
	keys   *keyring
	serial keyedMutex // serialises find-then-write sequences per incident or comment
}

var _ servicedesk.Desk = (*Client)(nil)

// NewClient checks cfg and returns a client. It does not contact SDM: the first
// call obtains the access key.
func NewClient(cfg Config) (*Client, error) {
	base := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	base = strings.TrimSuffix(base, "/caisd-rest")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("sdm: BaseURL %q is not an http(s) URL", cfg.BaseURL)
	}
	if cfg.Username == "" {
		return nil, errors.New("sdm: Username is required")
	}
	c := &Client{base: base, cfg: cfg, http: cfg.HTTPClient}
	if c.cfg.Overlap <= 0 {
		c.cfg.Overlap = 2 * time.Minute
	}
	if c.cfg.MaxPollIncidents <= 0 {
		c.cfg.MaxPollIncidents = 2000
	}
	if c.http == nil {
		c.http = servicedesk.HTTPClient()
	}
	renewBefore := cfg.RenewBefore
	if renewBefore <= 0 {
		renewBefore = time.Hour
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	c.keys = newKeyring(c, renewBefore, now)
	return c, nil
}

// Name is "sdm".
func (c *Client) Name() string { return "sdm" }

// request is one REST call.
type request struct {
	op     string     // what the caller is doing, for errors: "create incident"
	method string     // GET, POST, PUT
	path   string     // below /caisd-rest/, e.g. "in/400001"
	query  url.Values // WC, SORT, start, size
	attrs  string     // X-Obj-Attrs: the attributes SDM should return
	body   any        // marshalled to JSON when not nil
}

// do sends r with the access key and returns the body of a 2xx answer. A 401
// means the key expired or was revoked: do renews it once and retries once.
func (c *Client) do(ctx context.Context, r request) ([]byte, error) {
	var payload []byte
	if r.body != nil {
		var err error
		if payload, err = json.Marshal(r.body); err != nil {
			return nil, fmt.Errorf("sdm %s: encode request: %w", r.op, err)
		}
	}
	key, err := c.keys.get(ctx, r.op, "")
	if err != nil {
		return nil, err
	}
	status, body, err := c.send(ctx, r, payload, key)
	if err == nil && status == http.StatusUnauthorized {
		if key, err = c.keys.get(ctx, r.op, key); err != nil {
			return nil, err
		}
		status, body, err = c.send(ctx, r, payload, key)
	}
	if err != nil {
		return nil, err
	}
	if status < 200 || status > 299 {
		return nil, httpError(r.op, status, body)
	}
	return body, nil
}

// send makes one HTTP exchange; err is set only when there was no answer.
func (c *Client) send(ctx context.Context, r request, payload []byte, key string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, r.method, c.url(r.path, r.query), bytes.NewReader(payload))
	if err != nil {
		return 0, nil, fmt.Errorf("sdm %s: build request: %w", r.op, err)
	}
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("X-AccessKey", key)
	if r.attrs != "" {
		req.Header.Set("X-Obj-Attrs", r.attrs)
	}
	return c.exchange(ctx, r.op, req)
}

// exchange runs req and reads the answer.
func (c *Client) exchange(ctx context.Context, op string, req *http.Request) (int, []byte, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, networkError(ctx, op, req, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, nil, networkError(ctx, op, req, err)
	}
	return resp.StatusCode, body, nil
}

func (c *Client) url(path string, query url.Values) string {
	u := c.base + "/caisd-rest/" + path
	if len(query) > 0 {
		// SDM parses %20 everywhere; "+" for a space is a form convention that
		// not every proxy in front of it keeps. A literal "+" is already %2B.
		u += "?" + strings.ReplaceAll(query.Encode(), "+", "%20")
	}
	return u
}

// httpError turns a non-2xx answer into a ResponseError carrying SDM's message.
func httpError(op string, status int, body []byte) error {
	msg := errorMessage(body)
	if msg == "" {
		msg = http.StatusText(status)
	}
	return &servicedesk.ResponseError{
		System:    "sdm",
		Op:        op,
		Status:    status,
		Retryable: retryableStatus(status),
		Msg:       fmt.Sprintf("HTTP %d: %s", status, msg),
	}
}

// retryableStatus: server trouble, timeouts and throttling may pass; other
// 4xx answers describe the request and will not change. A 401 that survived a
// fresh key means the key was revoked again in between, so it is retryable too.
func retryableStatus(status int) bool {
	return status >= 500 || status == http.StatusRequestTimeout ||
		status == http.StatusTooManyRequests || status == http.StatusUnauthorized
}

// networkError reports a failed exchange. A cancelled or expired context is
// returned as such, so that callers can tell it from SDM trouble.
func networkError(ctx context.Context, op string, req *http.Request, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("sdm %s: %w", op, ctxErr)
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err // url.Error repeats the URL, query included
	}
	return &servicedesk.ResponseError{
		System:    "sdm",
		Op:        op,
		Retryable: true,
		Msg:       fmt.Sprintf("%s %s: %v", req.Method, req.URL.Path, err),
	}
}

// malformedError reports a 2xx answer the client cannot read. It is retryable:
// every operation is idempotent, and a garbled answer says nothing about the request.
func malformedError(op string, err error) error {
	return &servicedesk.ResponseError{
		System:    "sdm",
		Op:        op,
		Retryable: true,
		Msg:       err.Error(),
	}
}
