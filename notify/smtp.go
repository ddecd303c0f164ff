package notify

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"strings"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

// DefaultSMTPTimeout bounds a delivery when SMTP.Timeout is zero.
const DefaultSMTPTimeout = 10 * time.Second

// SMTP sends each message to a relay, one mail transaction per recipient on a new
// connection (notifications are rare; a pool would only add stale-connection failures).
// It holds no state, so one value is safe for concurrent use.
//
// One transaction per recipient means one bad address cannot hold the notice back from
// everyone else, and a retry can skip whoever already has it (Message.Progress). A
// transaction is all or nothing: the relay has the message once it accepts the data, even
// if QUIT then fails.
type SMTP struct {
	Addr string // host:port of the relay
	From string // "hcaops <noreply@example.gov>" or a bare address

	// Username and Password enable PLAIN auth, sent only over TLS (StartTLS) or to
	// localhost, so the password never crosses a network in clear text.
	Username, Password string
	// StartTLS upgrades the connection before auth and mail; a server that does not
	// offer it is an error, never a silent downgrade.
	StartTLS bool
	// RootCAs verifies the relay's certificate; nil means the system's roots.
	RootCAs *x509.CertPool
	// Timeout bounds each delivery (connect, conversation, data); zero means
	// DefaultSMTPTimeout. The context's deadline and cancellation also apply.
	Timeout time.Duration
	// ResolveGroup maps a group recipient such as "vets.gov" to its addresses (for
	// example Directory.Resolve). If nil, a recipient without '@' is an error.
	ResolveGroup func(name string) []string
}

// Notify sends m to each recipient. Errors never contain recipient addresses; see
// SendError and IsPermanent for what is worth retrying.
//
// A transient failure (relay down, 4xx) stops at once and is returned, so the caller
// retries later; recipients already served are marked in m.Progress and skipped then. A
// permanent refusal (5xx) of one recipient does not stop the others: the permanent
// error is returned once every other recipient has the message.
func (s SMTP) Notify(ctx context.Context, m Message) error {
	from, err := s.sender()
	if err != nil {
		return err
	}
	to, err := s.envelopeRecipients(m.To)
	if err != nil {
		return err
	}
	// Line breaks and control characters never reach a header; the body keeps its lines.
	subject, _ := ticket.CleanText(ticket.FieldSummary, m.Subject)
	body, _ := ticket.CleanText(ticket.FieldDescription, m.Body)
	id := messageID(from.Address, m.Key)
	var refused []error
	for i, addr := range to {
		rid := RecipientID(addr)
		if m.Progress != nil && m.Progress.Delivered(rid) {
			continue
		}
		data := buildMessage(from, addr, subject, body, time.Now(), id)
		if err := s.send(ctx, from.Address, addr, data); err != nil {
			var se *SendError
			if errors.As(err, &se) {
				se.Recipients, se.Stage = len(to), fmt.Sprintf("recipient %d: %s", i+1, se.Stage)
			}
			if !IsPermanent(err) || len(to) == 1 {
				return err
			}
			refused = append(refused, err)
			continue
		}
		if m.Progress != nil {
			m.Progress.MarkDelivered(rid)
		}
	}
	return errors.Join(refused...)
}

// Progress remembers which recipients of one message have it, across retries of the
// delivery (an activity keeps it in its heartbeat details). IDs are RecipientID values,
// not addresses, so they can be kept where addresses must not be.
type Progress interface {
	Delivered(id string) bool
	MarkDelivered(id string)
}

// RecipientID names an address without showing it: the first 12 hex digits of the
// SHA-256 of its lower-cased form.
func RecipientID(addr string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(addr)))
	return hex.EncodeToString(sum[:6])
}

func (s SMTP) sender() (*mail.Address, error) {
	if strings.ContainsAny(s.From, "\r\n") {
		return nil, invalidf("SMTP.From contains a line break (CR or LF)")
	}
	a, err := mail.ParseAddress(s.From)
	if err != nil {
		return nil, invalidf("SMTP.From is not a valid email address")
	}
	return a, nil
}

// send runs one SMTP transaction. It dials and talks itself rather than using
// smtp.SendMail, which has neither a timeout nor a context.
func (s SMTP) send(ctx context.Context, from string, rcpt string, data []byte) (err error) {
	to := []string{rcpt}
	host, _, splitErr := net.SplitHostPort(s.Addr)
	if splitErr != nil || host == "" {
		return invalidf("SMTP.Addr %q is not host:port", s.Addr)
	}
	fail := func(stage string, err error) error {
		// A cancelled context surfaces as an i/o timeout (see AfterFunc below); report
		// the cause so callers can tell cancellation from a slow server.
		var reply *textproto.Error
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.As(err, &reply) {
			err = ctxErr
		}
		return newSendError(len(to), stage, err)
	}

	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultSMTPTimeout
	}
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	dialer := net.Dialer{Deadline: deadline}
	conn, err := dialer.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fail("connect", err)
	}
	// One deadline for the whole conversation: a server that stalls anywhere, even
	// mid-greeting, cannot hold the activity longer than Timeout. Cancellation moves the
	// deadline into the past, which wakes any blocked read or write at once.
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fail("greeting", err)
	}
	defer func() {
		// After a refusal the server is still listening: say goodbye so it logs a
		// clean session. After a network error there is no one to tell.
		var reply *textproto.Error
		if errors.As(err, &reply) {
			_ = c.Quit()
		}
		c.Close()
	}()

	if err := c.Hello(helloName()); err != nil {
		return fail("hello", err)
	}
	if s.StartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return configError(len(to), "starttls", "server does not offer STARTTLS")
		}
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12, RootCAs: s.RootCAs}); err != nil {
			return fail("starttls", err)
		}
	}
	if s.Username != "" {
		// Refuse up front where net/smtp's PlainAuth would refuse anyway, so the error
		// says what to change and is marked permanent.
		if _, isTLS := c.TLSConnectionState(); !isTLS && !isLocalhost(host) {
			return configError(len(to), "auth", "refusing to send the password without TLS; set StartTLS")
		}
		if ok, _ := c.Extension("AUTH"); !ok {
			return configError(len(to), "auth", "server does not offer AUTH")
		}
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return fail("auth", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fail("mail from", err)
	}
	if err := c.Rcpt(rcpt); err != nil {
		return fail("rcpt to", err)
	}
	w, err := c.Data()
	if err != nil {
		return fail("data", err)
	}
	if _, err := w.Write(data); err != nil {
		return fail("data", err)
	}
	// Close ends the data and returns the server's verdict on the message.
	if err := w.Close(); err != nil {
		return fail("data", err)
	}
	// Accepted. A failed QUIT must not make the caller retry and send a second copy.
	_ = c.Quit()
	return nil
}

// isLocalhost matches net/smtp's own test for where PLAIN auth without TLS is allowed.
func isLocalhost(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// helloName is the name given in EHLO: the machine's host name, as MTAs do, or
// "localhost" when it has none usable.
func helloName() string {
	h, err := os.Hostname()
	if err != nil || h == "" || strings.ContainsAny(h, " \r\n") {
		return "localhost"
	}
	return h
}
