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
	"net/url"
	"strings"
	"time"
)

// Timeouts vets-api uses for ES.
const (
	DefaultOpenTimeout = 10 * time.Second
	DefaultReadTimeout = 15 * time.Second
)

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
	Message          string // ES's message text, if any
	Timestamp        time.Time
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
	c.http = &http.Client{Transport: &http.Transport{
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

// Submit sends the application with saveSubmitForm. The ApplicationID travels as the
// submissionKey header, so submitting the same application again (a retry after a
// timeout) answers the original formSubmissionId instead of creating a duplicate.
// An invalid application is a Final error naming the fields, and is not sent.
func (c *Client) Submit(ctx context.Context, app *Application) (SubmitResult, error) {
	if err := app.Validate(time.Now()); err != nil {
		return SubmitResult{}, &Error{Kind: Final, Op: opSaveSubmitForm, Msg: "application invalid, not sent", Err: err}
	}
	req := submitFormRequest{FormSubmission: newFormSubmission(app)}
	return c.call(ctx, opSaveSubmitForm, app.ApplicationID, req)
}

// Status asks ES for the current status of a submission.
func (c *Client) Status(ctx context.Context, formSubmissionID int64) (SubmitResult, error) {
	return c.call(ctx, opGetFormSubmissionStatus, "", getFormSubmissionStatusRequest{FormSubmissionID: formSubmissionID})
}

// HealthCheck asks for the status of a submission known to exist, as vets-api does;
// any well-formed answer about that id means ES is up.
func (c *Client) HealthCheck(ctx context.Context, knownID int64) error {
	res, err := c.Status(ctx, knownID)
	if err != nil {
		return err
	}
	if res.FormSubmissionID != knownID {
		return malformed(opGetFormSubmissionStatus, http.StatusOK,
			fmt.Sprintf("health check asked for formSubmissionId %d, got %d", knownID, res.FormSubmissionID), nil)
	}
	return nil
}

func (c *Client) call(ctx context.Context, op, submissionKey string, body any) (SubmitResult, error) {
	var payload bytes.Buffer
	if err := writeEnvelope(&payload, submissionKey, body); err != nil {
		return SubmitResult{}, &Error{Kind: Final, Op: op, Msg: "cannot encode request", Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, c.callTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, &payload)
	if err != nil {
		return SubmitResult{}, &Error{Kind: Final, Op: op, Msg: "cannot build request", Err: err}
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `"`+op+`"`)

	resp, err := c.http.Do(req)
	if err != nil {
		return SubmitResult{}, transportError(op, err)
	}
	defer resp.Body.Close()
	// Read the whole (small) answer first so a broken connection is told apart from a
	// broken document: the first is retryable, the second final.
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxSOAPResponse+1))
	if err != nil {
		return SubmitResult{}, transportError(op, err)
	}
	if len(raw) > maxSOAPResponse {
		return SubmitResult{}, malformed(op, resp.StatusCode, "answer larger than 1 MiB", nil)
	}
	return decodeAnswer(op, resp.StatusCode, raw)
}

func decodeAnswer(op string, status int, raw []byte) (SubmitResult, error) {
	var env responseEnvelope
	xmlErr := xml.Unmarshal(raw, &env)
	if xmlErr == nil && env.Body.Fault != nil {
		return SubmitResult{}, faultError(op, status, env.Body.Fault)
	}
	if status != http.StatusOK {
		return SubmitResult{}, httpStatusError(op, status)
	}
	if xmlErr != nil {
		return SubmitResult{}, malformed(op, status, "not a SOAP envelope", xmlErr)
	}
	r := env.result()
	if r == nil {
		return SubmitResult{}, malformed(op, status, "no "+elemSubmitFormResponse+" or "+elemStatusResponse+" in the body", nil)
	}
	if !knownStatus(r.Status) {
		return SubmitResult{}, malformed(op, status, fmt.Sprintf("unknown status %d", r.Status), nil)
	}
	if r.FormSubmissionID <= 0 {
		return SubmitResult{}, malformed(op, status, "formSubmissionId missing", nil)
	}
	res := SubmitResult{Status: r.Status, FormSubmissionID: r.FormSubmissionID}
	if r.Message != nil {
		res.Message = r.Message.Text
	}
	if ts := strings.TrimSpace(r.TimeStamp); ts != "" {
		t, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			return SubmitResult{}, malformed(op, status, "timeStamp is not an RFC 3339 time", err)
		}
		res.Timestamp = t
	}
	return res, nil
}
