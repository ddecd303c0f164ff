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
	// Retryable: ES or the network is down or slow (timeouts, connection and TLS
	// errors, HTTP 503 and other 5xx, a soap:Server fault, formSubmissionException
	// VOA_0240). vets-api retries these for about two days.
	Retryable Kind = iota + 1
	// Final: the same request will fail the same way (formSubmissionException
	// validation faults, soap:Client faults, other 4xx, a malformed answer, an
	// invalid Application).
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
	// FaultFormSubmission is the faultstring of ES's validation fault.
	FaultFormSubmission = "formSubmissionException"
	// CodeRetryableSubmission is the one formSubmissionException code that vets-api
	// retries: ES could not take the form right now.
	CodeRetryableSubmission = "VOA_0240"
)

// Error is every failure of a call to ES. Msg names the problem with ES's own fault
// codes and message text; it never contains a value from the Application.
type Error struct {
	Kind       Kind
	Op         string   // saveSubmitForm, getFormSubmissionStatus, fetchDailyReport
	HTTPStatus int      // 0 when no HTTP answer arrived
	Codes      []string // VoaFault exception codes, e.g. VOA_0240
	Msg        string
	Err        error // the cause, when there is one (context, net, TLS, XML, validation)
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "es %s (%s)", e.Op, e.Kind)
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

// transportError classifies a failure before any HTTP answer arrived. All of them are
// retryable: even a TLS failure is usually a certificate rotation on one side, and
// declaring it final would tell Veterans their application failed when it did not.
func transportError(op string, err error) *Error {
	e := &Error{Kind: Retryable, Op: op, Err: err}
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

// httpStatusError classifies an HTTP answer that carried no SOAP fault.
func httpStatusError(op string, status int) *Error {
	e := &Error{Kind: Final, Op: op, HTTPStatus: status, Msg: http.StatusText(status)}
	switch {
	case status == http.StatusServiceUnavailable:
		e.Kind, e.Msg = Retryable, "ES unavailable"
	case status >= 500:
		e.Kind = Retryable
	// Timeouts and rate limiting say "later", not "never".
	case status == http.StatusRequestTimeout, status == http.StatusTooManyRequests:
		e.Kind = Retryable
	}
	return e
}

// faultError classifies a SOAP fault as vets-api does: formSubmissionException is a
// validation error and final unless it carries VOA_0240; any other soap:Server fault is
// ES failing and retryable; a soap:Client fault means our request is wrong, so final.
func faultError(op string, status int, f *soapFault) *Error {
	e := &Error{Op: op, HTTPStatus: status, Codes: f.Detail.Codes}
	text := f.String
	if len(f.Detail.Messages) > 0 {
		text += ": " + strings.Join(f.Detail.Messages, "; ")
	}
	switch {
	case status == http.StatusServiceUnavailable:
		e.Kind = Retryable
		e.Msg = "ES unavailable: " + text
	case f.String == FaultFormSubmission && slices.Contains(f.Detail.Codes, CodeRetryableSubmission):
		e.Kind = Retryable
		e.Msg = text
	case f.String == FaultFormSubmission:
		e.Kind = Final
		e.Msg = "ES rejected the form: " + text
	case f.isClientFault():
		e.Kind = Final
		e.Msg = "ES rejected the request (" + f.Code + "): " + text
	default:
		e.Kind = Retryable
		e.Msg = "ES server fault (" + f.Code + "): " + text
	}
	return e
}

// malformed is an answer we cannot read; retrying would read the same thing.
func malformed(op string, status int, msg string, err error) *Error {
	return &Error{Kind: Final, Op: op, HTTPStatus: status, Msg: "malformed answer from ES: " + msg, Err: err}
}
