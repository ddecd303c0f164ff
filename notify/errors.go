package notify

import (
	"errors"
	"fmt"
	"net/textproto"
)

// ErrInvalid marks a message or SMTP configuration that can never be sent as it is (a
// line break in the subject, a group nobody can resolve, a password over plain text):
// retrying cannot help, so IsPermanent reports true for it.
var ErrInvalid = errors.New("cannot send notification")

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

// SendError is a delivery that failed after recipients were resolved. Its text counts the
// recipients instead of naming them, and an address the server quotes in its reply (as
// Postfix does in "550 5.1.1 <jane@example.com>: Recipient address rejected") is
// redacted, because errors end up in logs and in Temporal's history.
type SendError struct {
	Recipients int // number of envelope recipients
	// Stage is "connect", "greeting", "hello", "starttls", "auth", "mail from", "data"
	// or "recipient N", N counting envelope recipients after groups are expanded.
	Stage     string
	Code      int   // SMTP reply code; 0 when there was no reply (network error, timeout)
	Permanent bool  // a 5xx reply or a configuration problem: retrying cannot help
	Err       error // the cause, with server text redacted
}

func (e *SendError) Error() string {
	noun := "recipients"
	if e.Recipients == 1 {
		noun = "recipient"
	}
	return fmt.Sprintf("send notification to %d %s: %s: %v", e.Recipients, noun, e.Stage, e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// IsPermanent reports whether err can never succeed on retry: the message or the
// configuration is invalid, or the server answered with a 5xx reply. Everything else (4xx
// replies, network errors, timeouts, cancellation) is worth retrying. Callers in Temporal
// activities should turn a permanent error into a non-retryable application error.
func IsPermanent(err error) bool {
	if errors.Is(err, ErrInvalid) {
		return true
	}
	var se *SendError
	return errors.As(err, &se) && se.Permanent
}

// newSendError classifies err, the failure of stage: a reply's code decides (4xx transient,
// 5xx permanent), and anything without a reply is a network problem and transient.
func newSendError(recipients int, stage string, err error) *SendError {
	e := &SendError{Recipients: recipients, Stage: stage, Err: err}
	var reply *textproto.Error
	if errors.As(err, &reply) {
		e.Code = reply.Code
		e.Permanent = reply.Code >= 500
		// A copy, not the original: Unwrap must not hand the unredacted text to a
		// caller (Temporal records the whole cause chain).
		e.Err = &textproto.Error{Code: reply.Code, Msg: scrubPII(reply.Msg)}
	}
	return e
}

// configError is a permanent SendError for a server that cannot be used as configured.
func configError(recipients int, stage, msg string) *SendError {
	return &SendError{Recipients: recipients, Stage: stage, Permanent: true, Err: errors.New(msg)}
}
