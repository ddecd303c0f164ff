package enrollment

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	_ "time/tzdata" // ES's and vets.gov's zones must not depend on the host's zoneinfo
)

// Timeouts vets-api uses for ES.
const (
	DefaultOpenTimeout = 10 * time.Second
	DefaultReadTimeout = 15 * time.Second
)

// centralTime is vets.gov's zone for appDate, as vets-api writes it.
var centralTime = mustLoadLocation("America/Chicago")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("enrollment: load " + name + ": " + err.Error())
	}
	return loc
}

// maxSOAPResponse bounds what we read of a SOAP answer; real ones are well under 4 KiB.
const maxSOAPResponse = 1 << 20

// Config configures a Client. Only Endpoint is required.
type Config struct {
	// Endpoint is the VOA SOAP endpoint, e.g. https://es.example.va.gov/voa/voaSvc.
	Endpoint string
	// ReportURL is the base URL of the daily reports ({ReportURL}/reports/daily/...).
	// Empty means the scheme and host of Endpoint.
	ReportURL string

	// OpenTimeout bounds connecting and the TLS handshake (default 10 s).
	OpenTimeout time.Duration
	// ReadTimeout bounds the wait for ES's response headers (default 15 s). A SOAP call
	// as a whole is bounded by OpenTimeout+ReadTimeout; a report download only by the
	// caller's context, because a large report may take longer to stream.
	ReadTimeout time.Duration

	// Mutual TLS: PEM files of our client certificate and key, and of the CA that signs
	// ES's server certificate (empty CAFile means the system roots).
	CertFile string
	KeyFile  string
	CAFile   string

	// HTTPClient replaces the transport built from the fields above (timeouts other
	// than the per-call deadline, and TLS). It cannot be combined with the TLS files.
	HTTPClient *http.Client
}

// Client talks to ES: SOAP submissions and status, and the daily report.
type Client struct {
	endpoint    string
	reportURL   string
	http        *http.Client
	callTimeout time.Duration
}

// SubmitResult is ES's answer to saveSubmitForm or getFormSubmissionStatus.
type SubmitResult struct {
	Status           int // StatusSubmitted ... StatusProcessed
	FormSubmissionID int64
	MessageType      string // message/type, e.g. "Form successfully received for EE processing"
	MessageDetail    string // message/detail, if any
	Timestamp        time.Time
}

// Message is ES's message type and detail in one line.
func (r SubmitResult) Message() string {
	if r.MessageDetail == "" {
		return r.MessageType
	}
	return r.MessageType + ": " + r.MessageDetail
}

// Failed reports status 101: ES refused the submission without a fault. Treat it as final.
func (r SubmitResult) Failed() bool { return r.Status == StatusSubmissionFailed }

// Processed reports status 104, the end of the happy path.
func (r SubmitResult) Processed() bool { return r.Status == StatusProcessed }

// NewClient checks cfg and builds the HTTP transport, loading the TLS files.
func NewClient(cfg Config) (*Client, error) {
	endpoint, err := url.Parse(cfg.Endpoint)
	if err != nil || (endpoint.Scheme != "http" && endpoint.Scheme != "https") || endpoint.Host == "" {
		return nil, fmt.Errorf("enrollment config: Endpoint %q must be an absolute http(s) URL", cfg.Endpoint)
	}
	reportURL := cfg.ReportURL
	if reportURL == "" {
		reportURL = endpoint.Scheme + "://" + endpoint.Host
	} else if u, err := url.Parse(reportURL); err != nil || u.Host == "" {
		return nil, fmt.Errorf("enrollment config: ReportURL %q must be an absolute http(s) URL", reportURL)
	}
	open, read := cfg.OpenTimeout, cfg.ReadTimeout
	if open <= 0 {
		open = DefaultOpenTimeout
	}
	if read <= 0 {
		read = DefaultReadTimeout
	}
	c := &Client{
		endpoint:    cfg.Endpoint,
		reportURL:   strings.TrimRight(reportURL, "/"),
		http:        cfg.HTTPClient,
		callTimeout: open + read,
	}
	usesTLSFiles := cfg.CertFile != "" || cfg.KeyFile != "" || cfg.CAFile != ""
	if c.http != nil {
		if usesTLSFiles {
			return nil, errors.New("enrollment config: set either HTTPClient or CertFile/KeyFile/CAFile, not both")
		}
		return c, nil
	}
	tlsConfig, err := loadTLSConfig(cfg.CertFile, cfg.KeyFile, cfg.CAFile)
	if err != nil {
		return nil, fmt.Errorf("enrollment config: %w", err)
	}
	dialer := &net.Dialer{Timeout: open, KeepAlive: 30 * time.Second}
	c.http = &http.Client{CheckRedirect: keepRedirect, Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       tlsConfig,
		TLSHandshakeTimeout:   open,
		ResponseHeaderTimeout: read,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   4,
	}}
	return c, nil
}

// keepRedirect hands a 3xx back to the caller: a SOAP call is a POST to one endpoint, and a
// redirect there is ES's maintenance page, never a place to send the form again (as a GET).
func keepRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// Submit sends the application with saveSubmitForm. received is when vets.gov received
// it: its date in Central time is the appDate ES records (as vets-api writes it), the same
// on every attempt. An invalid application is a Final error naming the fields, and is not
// sent. ES does not recognise a repeated submission: every call that reaches ES may create
// a record, so callers must not call again once ES has answered (see the README).
func (c *Client) Submit(ctx context.Context, app *Application, received time.Time) (SubmitResult, error) {
	if err := app.Validate(received); err != nil {
		return SubmitResult{}, &Error{Kind: Final, Op: opSaveSubmitForm, Msg: "application invalid, not sent", Err: err}
	}
	appDate := received.In(centralTime).Format(time.DateOnly)
	return c.call(ctx, opSaveSubmitForm, newSubmitFormRequest(app, appDate))
}

// Status asks ES for the current status of a submission.
func (c *Client) Status(ctx context.Context, formSubmissionID int64) (SubmitResult, error) {
	return c.call(ctx, opGetFormSubmissionStatus, retrieveFormSubmissionStatusRequest{FormSubmissionID: formSubmissionID, Identity: anonymous})
}

// HealthCheck asks for the status of a submission known to exist, as vets-api does (with
// the identity the XSD requires); any well-formed answer about that id means ES is up. Only
// formSubmissionId is read: ES's recorded answers to this request carry no status
// (vets-api's hca/health_check cassette), and vets-api reads only the id and timeStamp.
func (c *Client) HealthCheck(ctx context.Context, knownID int64) error {
	op := opGetFormSubmissionStatus
	status, raw, err := c.post(ctx, op, retrieveFormSubmissionStatusRequest{FormSubmissionID: knownID, Identity: anonymous})
	if err != nil {
		return err
	}
	r, err := readAnswer(op, status, raw)
	if err != nil {
		return err
	}
	id, err := r.submissionID(op, status)
	if err != nil {
		return err
	}
	if id != knownID {
		return unreadable(op, status, fmt.Sprintf("health check asked for formSubmissionId %d, got %d", knownID, id), nil)
	}
	return nil
}

func (c *Client) call(ctx context.Context, op string, body any) (SubmitResult, error) {
	status, raw, err := c.post(ctx, op, body)
	if err != nil {
		return SubmitResult{}, err
	}
	return decodeAnswer(op, status, raw)
}

// post sends one SOAP request and reads the whole answer, of any HTTP status.
func (c *Client) post(ctx context.Context, op string, body any) (status int, raw []byte, _ error) {
	var payload bytes.Buffer
	if err := writeEnvelope(&payload, body); err != nil {
		return 0, nil, &Error{Kind: Final, Op: op, Msg: "cannot encode request", Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, c.callTimeout)
	defer cancel()
	// Whether the whole request went out decides whether a failure may have left a record.
	var sent atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) { sent.Store(i.Err == nil) },
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, &payload)
	if err != nil {
		return 0, nil, &Error{Kind: Final, Op: op, Msg: "cannot build request", Err: err}
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", soapAction)

	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, transportError(op, err, sent.Load())
	}
	defer resp.Body.Close()
	// Read the whole (small) answer first so a broken connection is told apart from a
	// broken document.
	raw, err = io.ReadAll(io.LimitReader(resp.Body, maxSOAPResponse+1))
	if err != nil {
		return 0, nil, transportError(op, err, true)
	}
	if len(raw) > maxSOAPResponse {
		return 0, nil, unreadable(op, resp.StatusCode, "answer larger than 1 MiB", nil)
	}
	return resp.StatusCode, raw, nil
}

// decodeAnswer reads ES's answer. A fault is classified by faultError; an answer is
// accepted once its status and formSubmissionId are readable, even when message or
// timeStamp are missing: refusing an answer that names the record would make the caller
// send the form again.
func decodeAnswer(op string, status int, raw []byte) (SubmitResult, error) {
	r, err := readAnswer(op, status, raw)
	if err != nil {
		return SubmitResult{}, err
	}
	code, err := strconv.Atoi(strings.TrimSpace(r.Status))
	if err != nil || !knownStatus(code) {
		return SubmitResult{}, unreadable(op, status, "status is not one of 100-104", nil)
	}
	id, err := r.submissionID(op, status)
	if err != nil {
		return SubmitResult{}, err
	}
	res := SubmitResult{Status: code, FormSubmissionID: id}
	if r.Message != nil {
		res.MessageType, res.MessageDetail = strings.TrimSpace(r.Message.Type), strings.TrimSpace(r.Message.Detail)
	}
	if ts := strings.TrimSpace(r.TimeStamp); ts != "" {
		if t, err := time.Parse(time.RFC3339Nano, ts); err == nil {
			res.Timestamp = t
		}
	}
	return res, nil
}

// readAnswer finds op's answer element in ES's answer, or classifies the fault, HTTP status
// or document that stands in its place.
func readAnswer(op string, status int, raw []byte) (*formResult, error) {
	var env responseEnvelope
	xmlErr := xml.Unmarshal(raw, &env)
	if xmlErr == nil && env.Body.Fault != nil {
		return nil, faultError(op, status, env.Body.Fault)
	}
	if status != http.StatusOK {
		return nil, soapStatusError(op, status)
	}
	if xmlErr != nil {
		return nil, unreadable(op, status, "not a SOAP envelope", xmlErr)
	}
	r, want := env.Body.Submit, "submitFormResponse"
	if op == opGetFormSubmissionStatus {
		r, want = env.Body.Status, "retrieveFormSubmissionStatusResponse"
	}
	if r == nil {
		return nil, unreadable(op, status, "no "+want+" in "+voaNS+" in the body", nil)
	}
	return r, nil
}

// submissionID is the answer's formSubmissionId.
func (r *formResult) submissionID(op string, status int) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(r.FormSubmissionID), 10, 64)
	if err != nil || id <= 0 {
		return 0, unreadable(op, status, "formSubmissionId missing or not a positive integer", nil)
	}
	return id, nil
}
