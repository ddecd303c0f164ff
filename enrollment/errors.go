package enrollment

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
)

// Kind says whether trying the same call again later can succeed.
type Kind int

const (
	// Retryable: everything vets-api retries on its schedule: timeouts, connection and TLS
	// errors, any 5xx, a 4xx or an HTML page from a proxy or load balancer, an unreadable
	// answer, a soap:Client fault, any fault that is not a form validation, and
	// formSubmissionException VOA_0240. A blip between vets.gov and ES must never tell a
	// Veteran their application failed.
	Retryable Kind = iota + 1
	// Final: ES refused the form itself (a formSubmissionException without VOA_0240), or
	// hcaops refused to send it (the form does not validate). Sending it again fails again.
	Final
)

func (k Kind) String() string {
	switch k {
	case Retryable:
		return "retryable"
	case Final:
		return "final"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Fault strings and codes ES uses.
const (
	// FaultFormSubmission is the faultstring of ES's form validation fault.
	FaultFormSubmission = "formSubmissionException"
	// CodeRetryableSubmission is the one formSubmissionException code vets-api retries:
	// ES could not take the form right now.
	CodeRetryableSubmission = "VOA_0240"
)

// Error is every failure of a call to ES. Msg names the problem with ES's own fault codes
// and message text; it never contains a value from the form.
type Error struct {
	Kind       Kind
	Op         string   // saveSubmitForm, getFormSubmissionStatus, fetchDailyReport
	HTTPStatus int      // 0 when no HTTP answer arrived
	Codes      []string // VoaFaultException codes, e.g. VOA_0240
	Msg        string
	// OutcomeUnknown: the request was sent and no answer from ES was read (a timeout or a
	// reset after sending, a gateway error, an unreadable answer). ES may have acted on it:
	// for saveSubmitForm, a record may exist whose formSubmissionId vets.gov never learned.
	OutcomeUnknown bool
	Err            error // the cause, when there is one (context, net, TLS, XML, validation)
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "es %s (%s", e.Op, e.Kind)
	if e.OutcomeUnknown {
		b.WriteString(", outcome unknown")
	}
	b.WriteString(")")
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.HTTPStatus)
	}
	if len(e.Codes) > 0 {
		fmt.Fprintf(&b, ": [%s]", strings.Join(e.Codes, " "))
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	if e.Err != nil {
		b.WriteString(": ")
		// One line per error in logs, even for joined validation errors.
		b.WriteString(strings.ReplaceAll(e.Err.Error(), "\n", "; "))
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether the call may succeed if tried again later.
func (e *Error) Retryable() bool { return e.Kind == Retryable }

// IsRetryable reports whether err is an *Error of kind Retryable.
func IsRetryable(err error) bool {
	e, ok := errors.AsType[*Error](err)
	return ok && e.Retryable()
}

// IsOutcomeUnknown reports whether err is an *Error whose request may have reached ES.
func IsOutcomeUnknown(err error) bool {
	e, ok := errors.AsType[*Error](err)
	return ok && e.OutcomeUnknown
}

// transportError classifies a failure before any HTTP answer arrived. All of them are
// retryable: even a TLS failure is usually a certificate rotation on one side. sent says
// whether the whole request had been written: if so, ES may have acted on it.
func transportError(op string, err error, sent bool) *Error {
	e := &Error{Kind: Retryable, Op: op, Err: err, OutcomeUnknown: sent}
	var (
		alert       tls.AlertError
		unknownCA   x509.UnknownAuthorityError
		invalid     x509.CertificateInvalidError
		hostname    x509.HostnameError
		certVerify  *tls.CertificateVerificationError
		recordError tls.RecordHeaderError
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		e.Msg = "no answer from ES in time"
	case errors.Is(err, context.Canceled):
		e.Msg = "call canceled"
	case errors.As(err, &alert), isRemoteTLSAlert(err):
		e.Msg = "ES refused the TLS handshake (is the client certificate configured and trusted by ES?)"
	case errors.As(err, &unknownCA), errors.As(err, &invalid), errors.As(err, &hostname), errors.As(err, &certVerify):
		e.Msg = "ES server certificate not trusted (check CAFile and the endpoint host name)"
	case errors.As(err, &recordError):
		e.Msg = "TLS handshake failed (is the endpoint https?)"
	default:
		if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
			e.Msg = "no answer from ES in time"
		} else if sent {
			e.Msg = "connection to ES broke after the request was sent"
		} else {
			e.Msg = "cannot reach ES"
		}
	}
	return e
}

// isRemoteTLSAlert reports a TLS alert sent by ES, such as "certificate required";
// crypto/tls reports those as a net.OpError with Op "remote error".
func isRemoteTLSAlert(err error) bool {
	op, ok := errors.AsType[*net.OpError](err)
	return ok && op.Op == "remote error"
}

// soapStatusError classifies an HTTP answer to a SOAP call that carried no SOAP fault:
// a page from ES's web tier, a proxy or a load balancer. All are retried. Whether ES may
// have acted on the request depends on who said no: 503 (unavailable), a 3xx (ES's front
// door answers its maintenance page with a 302, as vets-api's recorded downtime shows),
// 429 and any other 4xx mean the request was not handled; any other 5xx (500, 502, 504)
// may come after ES did its work, so the outcome is unknown.
func soapStatusError(op string, status int) *Error {
	e := &Error{Kind: Retryable, Op: op, HTTPStatus: status, Msg: "no SOAP answer: " + http.StatusText(status)}
	switch {
	case status == http.StatusServiceUnavailable:
		e.Msg = "ES unavailable"
	case status >= 300 && status < 400:
		e.Msg = "turned away before reaching ES (" + http.StatusText(status) + ": a maintenance page)"
	case status >= 400 && status < 500:
		e.Msg = "refused before reaching ES (" + http.StatusText(status) + ")"
	default:
		e.OutcomeUnknown = true
	}
	return e
}

// reportStatusError classifies an HTTP answer to a report download other than 200 or 404:
// a 5xx, a timeout or rate limiting say "later", any other 4xx "never".
func reportStatusError(op string, status int) *Error {
	e := &Error{Kind: Final, Op: op, HTTPStatus: status, Msg: http.StatusText(status)}
	switch {
	case status == http.StatusServiceUnavailable:
		e.Kind, e.Msg = Retryable, "ES unavailable"
	case status >= 500, status == http.StatusRequestTimeout, status == http.StatusTooManyRequests:
		e.Kind = Retryable
	}
	return e
}

// faultError classifies a SOAP fault as vets-api does (lib/hca/soap_parser.rb): a
// formSubmissionException is ES refusing the form, final, unless its code is VOA_0240;
// every other fault, soap:Client included, is retried. ES answered, so the outcome is known:
// a fault creates no record.
func faultError(op string, status int, f *soapFault) *Error {
	codes, messages := f.codes()
	e := &Error{Op: op, HTTPStatus: status, Codes: codes, Kind: Retryable}
	text := strings.TrimSpace(f.String)
	if len(messages) > 0 {
		text += ": " + strings.Join(messages, "; ")
	}
	switch {
	case strings.TrimSpace(f.String) == FaultFormSubmission && !slices.Contains(codes, CodeRetryableSubmission):
		e.Kind = Final
		e.Msg = "ES rejected the form: " + text
	case strings.TrimSpace(f.String) == FaultFormSubmission:
		e.Msg = "ES cannot take the form now: " + text
	default:
		e.Msg = "ES fault (" + strings.TrimSpace(f.Code) + "): " + text
	}
	return e
}

// unreadable is an answer we cannot read. vets-api retries it; and since ES may have acted
// on the request before its answer went wrong, the outcome is unknown.
func unreadable(op string, status int, msg string, err error) *Error {
	return &Error{Kind: Retryable, Op: op, HTTPStatus: status, Msg: "unreadable answer from ES: " + msg, Err: err, OutcomeUnknown: true}
}
