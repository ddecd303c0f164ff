package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Test addresses: distinctive, so a leak into an error is easy to spot.
const (
	veteranAddr = "zq.veteran@example.com"
	vetsGovAddr = "oncall.vetsgov@example.gov"
	pmAddr      = "hca.pm@example.gov"
	fromAddr    = "noreply@hcaops.example"
)

var testAddrs = []string{veteranAddr, vetsGovAddr, pmAddr, "zq.veteran", "oncall.vetsgov", "hca.pm"}

func directory(name string) []string {
	return map[string][]string{
		"vets.gov":            {vetsGovAddr, pmAddr},
		"hca-product-manager": {"HCA PM <" + pmAddr + ">"},
	}[name]
}

// startFake serves a FakeSMTP on a loopback port until the test ends.
func startFake(t *testing.T) (*FakeSMTP, *SMTP) {
	t.Helper()
	f := NewFakeSMTP()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- f.Serve(l) }()
	t.Cleanup(func() {
		f.Close()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return f, &SMTP{Addr: l.Addr().String(), From: "hcaops <" + fromAddr + ">", Timeout: 5 * time.Second, ResolveGroup: directory}
}

// assertNoAddress checks err's text, its %+v form and every error it wraps.
func assertNoAddress(t *testing.T, err error) {
	t.Helper()
	for e := err; e != nil; e = errors.Unwrap(e) {
		for _, text := range []string{e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e)} {
			for _, a := range testAddrs {
				if strings.Contains(text, a) {
					t.Errorf("error shows the address %q: %s", a, text)
				}
			}
		}
	}
}

func TestSMTPDeliversMessage(t *testing.T) {
	fake, s := startFake(t)
	subject := "[hcaops] ticket HRC-1: délai dépassé"
	body := "Ticket HRC-1 is late.\n.A line that starts with a dot\n\nRésumé: ES Tier 2/3 ✓"
	if err := s.Notify(context.Background(), Message{To: []string{"vets.gov", veteranAddr, pmAddr}, Subject: subject, Body: body}); err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	got := msgs[0]
	if got.From != fromAddr {
		t.Errorf("envelope from = %q", got.From)
	}
	// vets.gov expands in order; pmAddr, in the group and named again, is sent once.
	if want := []string{vetsGovAddr, pmAddr, veteranAddr}; !reflect.DeepEqual(got.To, want) {
		t.Errorf("envelope to = %q, want %q", got.To, want)
	}
	if bare := regexp.MustCompile(`[^\r]\n|\r[^\n]`).FindString(got.Data); bare != "" {
		t.Errorf("data has a bare line ending %q", bare)
	}

	m, err := mail.ReadMessage(strings.NewReader(got.Data))
	if err != nil {
		t.Fatal(err)
	}
	h := m.Header
	for name, want := range map[string]string{
		"From":                      `"hcaops" <` + fromAddr + ">",
		"To":                        "<" + vetsGovAddr + ">, <" + pmAddr + ">, <" + veteranAddr + ">",
		"Mime-Version":              "1.0",
		"Content-Type":              "text/plain; charset=UTF-8",
		"Content-Transfer-Encoding": "quoted-printable",
		"Auto-Submitted":            "auto-generated",
	} {
		if h.Get(name) != want {
			t.Errorf("%s = %q, want %q", name, h.Get(name), want)
		}
	}
	if raw := h.Get("Subject"); !strings.Contains(raw, "=?UTF-8?q?") {
		t.Errorf("non-ASCII subject not RFC 2047 encoded: %q", raw)
	}
	if dec, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); err != nil || dec != subject {
		t.Errorf("subject decodes to %q, %v; want %q", dec, err, subject)
	}
	if d, err := h.Date(); err != nil || time.Since(d) > time.Minute {
		t.Errorf("Date = %q (%v)", h.Get("Date"), err)
	}
	if id := h.Get("Message-ID"); !regexp.MustCompile(`^<[0-9a-f]{32}@hcaops\.example>$`).MatchString(id) {
		t.Errorf("Message-ID = %q", id)
	}
	decoded, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.ReplaceAll(body, "\n", "\r\n") + "\r\n"; string(decoded) != want {
		t.Errorf("body = %q, want %q", decoded, want)
	}
}

func TestSMTPPlainBodyRoundTripsDots(t *testing.T) {
	fake, s := startFake(t)
	body := "line one\r\n.\r\n..two dots\r\n.one dot"
	if err := s.Notify(context.Background(), Message{To: []string{veteranAddr}, Subject: "plain", Body: body}); err != nil {
		t.Fatal(err)
	}
	m, err := mail.ReadMessage(strings.NewReader(fake.Messages()[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if cte := m.Header.Get("Content-Transfer-Encoding"); cte != "7bit" {
		t.Errorf("Content-Transfer-Encoding = %q, want 7bit", cte)
	}
	if m.Header.Get("Subject") != "plain" {
		t.Errorf("ASCII subject changed: %q", m.Header.Get("Subject"))
	}
	got, _ := io.ReadAll(m.Body)
	if string(got) != body+"\r\n" {
		t.Errorf("body = %q, want %q", got, body+"\r\n")
	}
}

func TestSMTPGroupResolution(t *testing.T) {
	fake, s := startFake(t)
	if err := s.Notify(context.Background(), Message{To: []string{"hca-product-manager"}, Subject: "s", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	if to := fake.Messages()[0].To; !reflect.DeepEqual(to, []string{pmAddr}) {
		t.Errorf("to = %q", to)
	}

	for _, tc := range []struct {
		name    string
		resolve func(string) []string
		to      string
		want    string
	}{
		{"no resolver", nil, "vets.gov", `recipient 1 is the group "vets.gov", but no ResolveGroup is configured`},
		{"unknown group", directory, "ES Tier 2/3", `group "ES Tier 2/3" has no addresses`},
		{"bad member", func(string) []string { return []string{"not an address"} }, "vets.gov", `address 1 of group "vets.gov" is not a valid email address`},
		{"member with line break", func(string) []string { return []string{pmAddr + "\r\nBcc: " + veteranAddr} }, "vets.gov", "contains a line break"},
		{"phone number as group", nil, "503-555-0147", `the group "<redacted>"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := *s
			s.ResolveGroup = tc.resolve
			err := s.Notify(context.Background(), Message{To: []string{tc.to}, Subject: "s", Body: "b"})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
			if !IsPermanent(err) || !errors.Is(err, ErrInvalid) {
				t.Errorf("IsPermanent = %v, Is ErrInvalid = %v", IsPermanent(err), errors.Is(err, ErrInvalid))
			}
			assertNoAddress(t, err)
		})
	}
	if n := len(fake.Messages()); n != 1 {
		t.Errorf("%d messages, want only the first", n)
	}
}

func TestSMTPRejectsHeaderInjection(t *testing.T) {
	fake, s := startFake(t)
	for _, tc := range []struct {
		name string
		from string
		m    Message
		want string
	}{
		{"subject", "", Message{To: []string{pmAddr}, Subject: "hi\r\nBcc: " + veteranAddr}, "subject contains a line break"},
		{"subject LF only", "", Message{To: []string{pmAddr}, Subject: "hi\nBcc: " + veteranAddr}, "subject contains a line break"},
		{"recipient", "", Message{To: []string{pmAddr, veteranAddr + "\r\nBcc: " + vetsGovAddr}, Subject: "s"}, "recipient 2 contains a line break"},
		{"group name", "", Message{To: []string{"vets.gov\nBcc: " + veteranAddr}, Subject: "s"}, "recipient 1 contains a line break"},
		{"from", fromAddr + "\r\nBcc: " + veteranAddr, Message{To: []string{pmAddr}, Subject: "s"}, "SMTP.From contains a line break"},
		{"not an address", "", Message{To: []string{"zq.veteran@"}, Subject: "s"}, "recipient 1 is not a valid email address"},
		{"no recipients", "", Message{Subject: "s"}, "no recipients"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := *s
			if tc.from != "" {
				s.From = tc.from
			}
			err := s.Notify(context.Background(), tc.m)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
			if !IsPermanent(err) {
				t.Error("not permanent")
			}
			assertNoAddress(t, err)
		})
	}
	if n := len(fake.Messages()); n != 0 {
		t.Errorf("%d messages sent", n)
	}
}

func TestSMTPClassifiesReplies(t *testing.T) {
	for _, tc := range []struct {
		name      string
		arm       func(*FakeSMTP)
		stage     string
		code      int
		permanent bool
	}{
		{"rcpt 550", func(f *FakeSMTP) { f.RejectNext(1, 550) }, "recipient 1", 550, true},
		{"rcpt 450", func(f *FakeSMTP) { f.RejectNext(1, 450) }, "recipient 1", 450, false},
		{"data 554", func(f *FakeSMTP) { f.RejectNextData(1, 554) }, "data", 554, true},
		{"data 451", func(f *FakeSMTP) { f.RejectNextData(1, 451) }, "data", 451, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, s := startFake(t)
			tc.arm(fake)
			m := Message{To: []string{veteranAddr, pmAddr}, Subject: "s", Body: "b"}
			err := s.Notify(context.Background(), m)
			var se *SendError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v (%T), want a *SendError", err, err)
			}
			if se.Code != tc.code || se.Stage != tc.stage || IsPermanent(err) != tc.permanent {
				t.Errorf("code %d, stage %q, permanent %v; want %d, %q, %v", se.Code, se.Stage, IsPermanent(err), tc.code, tc.stage, tc.permanent)
			}
			prefix := fmt.Sprintf("send notification to 2 recipients: %s: %d ", tc.stage, tc.code)
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("err = %q, want prefix %q", err, prefix)
			}
			assertNoAddress(t, err)
			if n := len(fake.Messages()); n != 0 {
				t.Fatalf("%d messages kept after a refusal", n)
			}
			// The fault is used up: a retry delivers exactly once.
			if err := s.Notify(context.Background(), m); err != nil {
				t.Fatalf("retry: %v", err)
			}
			if n := len(fake.Messages()); n != 1 {
				t.Errorf("%d messages after the retry, want 1", n)
			}
		})
	}
}

func TestSMTPTimesOutOnSilentServer(t *testing.T) {
	l := silentListener(t)
	s := &SMTP{Addr: l.Addr().String(), From: fromAddr, Timeout: 200 * time.Millisecond}
	start := time.Now()
	err := s.Notify(context.Background(), Message{To: []string{veteranAddr}, Subject: "s", Body: "b"})
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("took %v with a 200ms timeout", elapsed)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if IsPermanent(err) {
		t.Error("a timeout is permanent")
	}
	if !strings.HasPrefix(err.Error(), "send notification to 1 recipient: greeting: ") {
		t.Errorf("err = %q", err)
	}
	assertNoAddress(t, err)
}

func TestSMTPHonoursCancellation(t *testing.T) {
	l := silentListener(t)
	s := &SMTP{Addr: l.Addr().String(), From: fromAddr} // default 10s timeout
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	err := s.Notify(ctx, Message{To: []string{veteranAddr}, Subject: "s", Body: "b"})
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("took %v after cancelling at 100ms", elapsed)
	}
	if !errors.Is(err, context.Canceled) || IsPermanent(err) {
		t.Errorf("err = %v, want a retryable context.Canceled", err)
	}
	assertNoAddress(t, err)
}

func TestSMTPConnectionRefusedIsRetryable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	err = (&SMTP{Addr: addr, From: fromAddr, Timeout: time.Second}).Notify(context.Background(), Message{To: []string{veteranAddr}, Subject: "s"})
	if err == nil || IsPermanent(err) || !strings.HasPrefix(err.Error(), "send notification to 1 recipient: connect: ") {
		t.Errorf("err = %v, want a retryable connect error", err)
	}
	assertNoAddress(t, err)
}

func TestSMTPConfigErrorsArePermanent(t *testing.T) {
	_, base := startFake(t)
	nonLocal := nonLocalFake(t)
	for _, tc := range []struct {
		name string
		edit func(*SMTP)
		want string
	}{
		{"STARTTLS not offered", func(s *SMTP) { s.StartTLS = true }, "starttls: server does not offer STARTTLS"},
		{"AUTH not offered", func(s *SMTP) { s.Username, s.Password = "u", "p" }, "auth: server does not offer AUTH"},
		{"password in clear", func(s *SMTP) { s.Addr, s.Username, s.Password = nonLocal, "u", "p" }, "auth: refusing to send the password without TLS"},
		{"bad Addr", func(s *SMTP) { s.Addr = "mail.example.gov" }, "SMTP.Addr"},
		{"bad From", func(s *SMTP) { s.From = "hcaops" }, "SMTP.From is not a valid email address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := *base
			tc.edit(&s)
			if s.Addr == "" {
				t.Skip("no second loopback address to listen on")
			}
			err := s.Notify(context.Background(), Message{To: []string{veteranAddr}, Subject: "s"})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !IsPermanent(err) {
				t.Errorf("err = %v (permanent %v), want a permanent error containing %q", err, IsPermanent(err), tc.want)
			}
			assertNoAddress(t, err)
		})
	}
}

func TestIsPermanent(t *testing.T) {
	if IsPermanent(nil) || IsPermanent(errors.New("x")) || IsPermanent(context.Canceled) {
		t.Error("IsPermanent true for an unrelated error")
	}
	if !IsPermanent(fmt.Errorf("activity: %w", &SendError{Code: 550, Permanent: true, Err: errors.New("550 no")})) {
		t.Error("IsPermanent false for a wrapped permanent SendError")
	}
}

// silentListener accepts connections and never says a word, like a black-holed relay.
func silentListener(t *testing.T) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				for _, c := range conns {
					c.Close()
				}
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() { l.Close(); <-done })
	return l
}

// nonLocalFake serves a FakeSMTP on 127.0.0.2, a loopback address that net/smtp does not
// count as localhost, or returns "" where the system cannot listen there.
func nonLocalFake(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		return ""
	}
	f := NewFakeSMTP()
	go f.Serve(l)
	t.Cleanup(f.Close)
	return l.Addr().String()
}
