package dynamics

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hcaops/hcaops/servicedesk"
)

const systemName = "dynamics"

// maxErrorMsg caps the server text copied into an error, so a verbose or hostile
// answer cannot flood logs and workflow history.
const maxErrorMsg = 300

// httpError describes a non-2xx answer. Server messages are kept (they say what is
// wrong, e.g. "title is required"), but any text hcaops sent is cut out of them first,
// because Dataverse validation messages can quote attribute values.
func httpError(op string, status int, body []byte, sent ...string) *servicedesk.ResponseError {
	msg := errorText(body)
	if msg == "" {
		msg = http.StatusText(status)
	}
	msg = redact(msg, sent...)
	return &servicedesk.ResponseError{
		System:    systemName,
		Op:        op,
		Status:    status,
		Retryable: retryableStatus(status),
		Msg:       fmt.Sprintf("HTTP %d: %s", status, msg),
	}
}

// retryableStatus follows servicedesk.ResponseError: only 401/408/429 and 5xx may change on retry.
// A 401 is here only if it survived a token renewal; it is still worth a later retry
// because Entra ID role assignments take minutes to propagate.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusUnauthorized, http.StatusRequestTimeout, http.StatusTooManyRequests:
		return true
	}
	return status >= 500
}

// malformed describes a 2xx answer that cannot be read. It is retryable: such answers
// usually come from a proxy or a cut connection, and every operation is idempotent.
func malformed(op string, status int, what string) *servicedesk.ResponseError {
	return &servicedesk.ResponseError{
		System: systemName, Op: op, Status: status, Retryable: true,
		Msg: "malformed JSON response: " + what,
	}
}

// invalid describes a request the client refuses to send; retrying cannot help.
func invalid(op, msg string) *servicedesk.ResponseError {
	return &servicedesk.ResponseError{System: systemName, Op: op, Retryable: false, Msg: msg}
}

// transportError describes a request that got no answer. A cancelled or expired
// context is returned as such, so callers can tell it from a failing server.
func transportError(ctx context.Context, op string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s %s: %w", systemName, op, ctxErr)
	}
	var msg string
	if errors.Is(err, context.DeadlineExceeded) {
		msg = "request timed out"
	} else {
		msg = "request failed: " + err.Error()
	}
	return &servicedesk.ResponseError{System: systemName, Op: op, Retryable: true, Msg: msg}
}

func redact(msg string, sent ...string) string {
	for _, s := range sent {
		if s = strings.TrimSpace(s); len(s) >= 4 {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	if r := []rune(msg); len(r) > maxErrorMsg {
		msg = string(r[:maxErrorMsg]) + "…"
	}
	return msg
}
