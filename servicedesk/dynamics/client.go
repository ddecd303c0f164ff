// Package dynamics is the servicedesk.Desk for Microsoft Dynamics 365 Customer Service,
// spoken to through the Dataverse Web API (OData v4), and a fake of that API for tests
// and local runs.
//
// hcaops tickets map to incidents (cases). Two custom columns carry hcaops data:
// hcaops_reference, an alternate key holding the hcaops ticket reference, and
// hcaops_group, the owning hcaops group (Dynamics routing rules can turn it into a queue).
package dynamics

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"

	"github.com/hcaops/hcaops/servicedesk"
)

// maxBody caps how much of an answer is read; Web API answers here are small.
const maxBody = 4 << 20

// Client is a servicedesk.Desk backed by Dynamics 365. It is safe for concurrent use.
type Client struct {
	cfg    Config
	api    string // organisation URL + /api/data/v9.2/
	tokens *tokenSource
}

var _ servicedesk.Desk = (*Client)(nil)

// NewClient checks cfg and returns a client; it does not contact Dynamics.
func NewClient(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, api: cfg.BaseURL + apiPath, tokens: newTokenSource(cfg)}, nil
}

// Name is "dynamics".
func (c *Client) Name() string { return systemName }

// request is one Web API call.
type request struct {
	op     string // what hcaops was doing, for errors: "create incident"
	method string
	path   string // relative to the API root: "incidents(GUID)"
	body   any    // sent as JSON when not nil
	// represent asks for the created or updated entity in the answer
	// (Prefer: return=representation) instead of an empty 204.
	represent bool
	// ifMatchAny makes a PATCH fail with 404 instead of creating a missing entity.
	ifMatchAny bool
	// ifNoneMatch makes a PATCH fail with 412 instead of updating an existing entity.
	ifNoneMatch bool
	// trackChanges asks for a delta link (Prefer: odata.track-changes).
	trackChanges bool
	// sent is free text in body (title, description, note) that must not come back in errors.
	sent []string
}

// response is a 2xx answer.
type response struct {
	status int
	body   []byte
}

// do sends r with a bearer token. On a 401 it renews the token once and retries once:
// a cached token can be revoked before its expiry.
func (c *Client) do(ctx context.Context, r request) (response, error) {
	var payload []byte
	if r.body != nil {
		var err error
		if payload, err = json.Marshal(r.body); err != nil {
			return response{}, invalid(r.op, "cannot encode request: "+err.Error())
		}
	}
	token, err := c.tokens.get(ctx, "")
	if err != nil {
		return response{}, err
	}
	resp, err := c.send(ctx, r, payload, token)
	if err == nil && resp.status == http.StatusUnauthorized {
		if token, err = c.tokens.get(ctx, token); err != nil {
			return response{}, err
		}
		resp, err = c.send(ctx, r, payload, token)
	}
	if err != nil {
		return response{}, err
	}
	if resp.status < 200 || resp.status > 299 {
		return response{}, httpError(r.op, resp.status, resp.body, r.sent...)
	}
	// Checked for every answer, including those of PATCH and actions whose body is
	// not read: a garbled success may not be one.
	if len(bytes.TrimSpace(resp.body)) > 0 && !json.Valid(resp.body) {
		return response{}, malformed(r.op, resp.status, "answer is not JSON")
	}
	return resp, nil
}

func (c *Client) send(ctx context.Context, r request, payload []byte, token string) (response, error) {
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, c.api+r.path, body)
	if err != nil {
		return response{}, invalid(r.op, "cannot build request: "+err.Error())
	}
	h := req.Header
	h.Set("Authorization", "Bearer "+token)
	h.Set("OData-MaxVersion", "4.0")
	h.Set("OData-Version", "4.0")
	h.Set("Accept", "application/json")
	if payload != nil {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	if r.represent {
		h.Add("Prefer", "return=representation")
	}
	if r.trackChanges {
		h.Add("Prefer", "odata.track-changes")
		h.Add("Prefer", "odata.maxpagesize=500")
	}
	if r.ifMatchAny {
		h.Set("If-Match", "*")
	}
	if r.ifNoneMatch {
		h.Set("If-None-Match", "*")
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return response{}, transportError(ctx, r.op, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return response{}, transportError(ctx, r.op, err)
	}
	return response{status: resp.StatusCode, body: data}, nil
}

// decode reads a JSON answer into v.
func decode(op string, resp response, v any) error {
	if err := json.Unmarshal(resp.body, v); err != nil {
		return malformed(op, resp.status, "cannot decode answer")
	}
	return nil
}
