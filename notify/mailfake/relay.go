// Package mailfake is a local mail relay for tests and the local run: a real SMTP server
// (github.com/emersion/go-smtp) that keeps every message it accepts in memory instead of
// passing it on, lists them over HTTP, and can require STARTTLS and AUTH PLAIN as a
// production relay does. It is never linked into the production programs.
package mailfake

import (
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Config says what the relay demands of a client.
type Config struct {
	Domain string // the name in the greeting; "mailfake.localhost" when empty
	// TLS, when set, offers STARTTLS and refuses MAIL and AUTH until the client has
	// upgraded (as a relay with "smtpd_tls_security_level = encrypt" does).
	TLS *tls.Config
	// Username and Password, when set, offer AUTH PLAIN (only over TLS if TLS is set)
	// and refuse MAIL until the client has authenticated.
	Username, Password string
}

// Mail is one accepted message, exactly as the client sent it (dot-stuffing undone).
type Mail struct {
	ID       int       `json:"id"` // 1, 2, ... in order of acceptance
	At       time.Time `json:"at"`
	From     string    `json:"from"`
	To       []string  `json:"to"`
	TLS      bool      `json:"tls"`      // sent over a STARTTLS-upgraded connection
	AuthUser string    `json:"authUser"` // who authenticated, "" if nobody
	Data     []byte    `json:"-"`
}

// Relay is the server. The zero value is not usable; call New.
type Relay struct {
	cfg    Config
	server *smtp.Server

	mu         sync.Mutex
	mail       []Mail
	rejectRcpt fault
	rejectTo   map[string]*fault // by lower-cased address
	rejectData fault
}

// fault answers the next n commands of one kind with code.
type fault struct{ n, code int }

// New returns a relay; serve it with Serve or Listen.
func New(cfg Config) *Relay {
	if cfg.Domain == "" {
		cfg.Domain = "mailfake.localhost"
	}
	r := &Relay{cfg: cfg}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{relay: r, conn: c}, nil
	}))
	s.Domain = cfg.Domain
	s.TLSConfig = cfg.TLS
	s.AllowInsecureAuth = cfg.TLS == nil
	s.ReadTimeout, s.WriteTimeout = time.Minute, time.Minute
	s.MaxMessageBytes = 10 << 20
	s.MaxRecipients = 100
	s.ErrorLog = log.New(io.Discard, "", 0) // a client hanging up is not news
	r.server = s
	return r
}

// Listen serves on addr ("127.0.0.1:0" for any free port) in the background and returns
// the address it listens on.
func (r *Relay) Listen(addr string) (string, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	go func() { _ = r.server.Serve(l) }()
	return l.Addr().String(), nil
}

// Serve accepts connections on l until Close.
func (r *Relay) Serve(l net.Listener) error {
	err := r.server.Serve(l)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops listening and drops every connection.
func (r *Relay) Close() error { return r.server.Close() }

// Messages returns a copy of the accepted messages, oldest first.
func (r *Relay) Messages() []Mail {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Mail, len(r.mail))
	for i, m := range r.mail {
		m.To = append([]string(nil), m.To...)
		m.Data = append([]byte(nil), m.Data...)
		out[i] = m
	}
	return out
}

// Clear forgets every message.
func (r *Relay) Clear() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mail = nil
}

// RejectRcpt answers the next n RCPT TO commands with code: 450 for a transient refusal,
// 550 for a permanent one. Like Postfix, the reply quotes the address.
func (r *Relay) RejectRcpt(n, code int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rejectRcpt = fault{n, code}
}

// RejectData answers the end of the next n messages' data with code, as a content filter
// would; the message is not kept.
func (r *Relay) RejectData(n, code int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rejectData = fault{n, code}
}

// RejectRcptTo answers the next n RCPT TO commands naming addr with code.
func (r *Relay) RejectRcptTo(addr string, n, code int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rejectTo == nil {
		r.rejectTo = map[string]*fault{}
	}
	r.rejectTo[normalizeAddr(addr)] = &fault{n, code}
}

func (r *Relay) take(f *fault) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f.n <= 0 {
		return 0
	}
	f.n--
	return f.code
}

// session is one SMTP connection's state.
type session struct {
	relay    *Relay
	conn     *smtp.Conn
	authUser string
	from     string
	to       []string
}

var (
	errTLSRequired  = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Must issue a STARTTLS command first"}
	errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
)

func (s *session) tls() bool {
	_, ok := s.conn.TLSConnectionState()
	return ok
}

// gate is what a relay checks before it takes a message from anyone.
func (s *session) gate() error {
	if s.relay.cfg.TLS != nil && !s.tls() {
		return errTLSRequired
	}
	if s.relay.cfg.Username != "" && s.authUser == "" {
		return errAuthRequired
	}
	return nil
}

func (s *session) AuthMechanisms() []string {
	if s.relay.cfg.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	if s.relay.cfg.Username == "" || mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.relay.cfg.Username || password != s.relay.cfg.Password || (identity != "" && identity != username) {
			return smtp.ErrAuthFailed
		}
		s.authUser = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if err := s.gate(); err != nil {
		return err
	}
	s.from, s.to = from, nil
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := s.gate(); err != nil {
		return err
	}
	code := s.relay.take(&s.relay.rejectRcpt)
	s.relay.mu.Lock()
	f := s.relay.rejectTo[normalizeAddr(to)]
	s.relay.mu.Unlock()
	if code == 0 && f != nil {
		code = s.relay.take(f)
	}
	if code != 0 {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 1, 1},
			Message: "<" + to + ">: Recipient address rejected: mailfake"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if code := s.relay.take(&s.relay.rejectData); code != 0 {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 6, 0}, Message: "Message rejected: mailfake"}
	}
	s.relay.mu.Lock()
	defer s.relay.mu.Unlock()
	s.relay.mail = append(s.relay.mail, Mail{ID: len(s.relay.mail) + 1, At: time.Now().UTC(), From: s.from,
		To: append([]string(nil), s.to...), TLS: s.tls(), AuthUser: s.authUser, Data: data})
	return nil
}

func (s *session) Reset() { s.from, s.to = "", nil }

func (s *session) Logout() error { return nil }

// normalizeAddr is how the listing compares addresses.
func normalizeAddr(a string) string { return strings.ToLower(strings.TrimSpace(a)) }
