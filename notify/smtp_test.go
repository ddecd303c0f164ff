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

	"github.com/hcaops/hcaops/notify/mailfake"
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

// startRelay serves a go-smtp relay (mailfake) on a loopback port until the test ends.
func startRelay(t *testing.T, cfg mailfake.Config) (*mailfake.Relay, *SMTP) {
	t.Helper()
	r := mailfake.New(cfg)
	addr, err := r.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, &SMTP{Addr: addr, From: "hcaops <" + fromAddr + ">", Timeout: 5 * time.Second, ResolveGroup: directory}
}

func startFake(t *testing.T) (*mailfake.Relay, *SMTP) { return startRelay(t, mailfake.Config{}) }

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

func TestSMTPDeliversOneCopyPerRecipient(t *testing.T) {
	relay, s := startFake(t)
	subject := "[hcaops] ticket HRC-1: délai dépassé"
	body := "Ticket HRC-1 is late.\n.A line that starts with a dot\n\nRésumé: ES Tier 2/3 ✓"
	m := Message{To: []string{"vets.gov", veteranAddr, pmAddr}, Subject: subject, Body: body, Key: "HRC-1#7"}
	if err := s.Notify(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	msgs := relay.Messages()
	// vets.gov expands in order; pmAddr, in the group and named again, gets one copy.
	want := []string{vetsGovAddr, pmAddr, veteranAddr}
	if len(msgs) != len(want) {
		t.Fatalf("%d messages, want %d", len(msgs), len(want))
	}
	ids := map[string]bool{}
	for i, got := range msgs {
		if got.From != fromAddr || !reflect.DeepEqual(got.To, []string{want[i]}) {
			t.Errorf("message %d: envelope %q -> %q, want %q -> %q", i, got.From, got.To, fromAddr, want[i])
		}
		if bare := regexp.MustCompile(`[^\r]\n|\r[^\n]`).FindString(string(got.Data)); bare != "" {
			t.Errorf("data has a bare line ending %q", bare)
		}
		msg, err := mail.ReadMessage(strings.NewReader(string(got.Data)))
		if err != nil {
			t.Fatal(err)
		}
		h := msg.Header
		for name, v := range map[string]string{
			"From":                      `"hcaops" <` + fromAddr + ">",
			"To":                        "<" + want[i] + ">",
			"Mime-Version":              "1.0",
			"Content-Type":              "text/plain; charset=UTF-8",
			"Content-Transfer-Encoding": "quoted-printable",
			"Auto-Submitted":            "auto-generated",
		} {
			if h.Get(name) != v {
				t.Errorf("%s = %q, want %q", name, h.Get(name), v)
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
		ids[h.Get("Message-ID")] = true
		decoded, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
		if err != nil {
			t.Fatal(err)
		}
		if w := strings.ReplaceAll(body, "\n", "\r\n") + "\r\n"; string(decoded) != w {
			t.Errorf("body = %q, want %q", decoded, w)
		}
	}
	// One event, one Message-ID on every copy: derived from the key, so a retry repeats it.
	if len(ids) != 1 {
		t.Fatalf("Message-IDs %v, want one for the event", ids)
	}
	for id := range ids {
		if !regexp.MustCompile(`^<[0-9a-f]{32}@hcaops\.example>$`).MatchString(id) || id != messageID(fromAddr, "HRC-1#7") {
			t.Errorf("Message-ID = %q", id)
		}
	}
}

func TestSMTPPlainBodyRoundTripsDots(t *testing.T) {
	relay, s := startFake(t)
	body := "line one\r\n.\r\n..two dots\r\n.one dot"
	if err := s.Notify(context.Background(), Message{To: []string{veteranAddr}, Subject: "plain", Body: body}); err != nil {
		t.Fatal(err)
	}
	m, err := mail.ReadMessage(strings.NewReader(string(relay.Messages()[0].Data)))
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
	relay, s := startFake(t)
	if err := s.Notify(context.Background(), Message{To: []string{"hca-product-manager"}, Subject: "s", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	if to := relay.Messages()[0].To; !reflect.DeepEqual(to, []string{pmAddr}) {
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
	if n := len(relay.Messages()); n != 1 {
		t.Errorf("%d messages, want only the first", n)
	}
}

func TestSMTPNeverLetsTextAddAHeader(t *testing.T) {
	relay, s := startFake(t)
	// A subject with line breaks and control characters is cleaned, not refused: the
	// notice still goes, and no Bcc header appears.
	if err := s.Notify(context.Background(), Message{To: []string{pmAddr}, Subject: "hi\r\nBcc: " + veteranAddr + "\x00", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	msgs := relay.Messages()
	if len(msgs) != 1 || !reflect.DeepEqual(msgs[0].To, []string{pmAddr}) {
		t.Fatalf("sent %+v", msgs)
	}
	m, err := mail.ReadMessage(strings.NewReader(string(msgs[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.Get("Bcc") != "" || m.Header.Get("Subject") != "hi  Bcc: "+veteranAddr {
		t.Errorf("Bcc %q, Subject %q", m.Header.Get("Bcc"), m.Header.Get("Subject"))
	}
	for _, tc := range []struct {
		name string
		from string
		m    Message
		want string
	}{
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
	if n := len(relay.Messages()); n != 1 {
		t.Errorf("%d messages sent, want the first only", n)
	}
}

func TestSMTPClassifiesReplies(t *testing.T) {
	for _, tc := range []struct {
		name      string
		arm       func(*mailfake.Relay)
		stage     string
		code      int
		permanent bool
	}{
		{"rcpt 550", func(r *mailfake.Relay) { r.RejectRcpt(1, 550) }, "recipient 1: rcpt to", 550, true},
		{"rcpt 450", func(r *mailfake.Relay) { r.RejectRcpt(1, 450) }, "recipient 1: rcpt to", 450, false},
		{"data 554", func(r *mailfake.Relay) { r.RejectData(1, 554) }, "recipient 1: data", 554, true},
		{"data 451", func(r *mailfake.Relay) { r.RejectData(1, 451) }, "recipient 1: data", 451, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			relay, s := startFake(t)
			tc.arm(relay)
			m := Message{To: []string{veteranAddr}, Subject: "s", Body: "b"}
			err := s.Notify(context.Background(), m)
			var se *SendError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v (%T), want a *SendError", err, err)
			}
			if se.Code != tc.code || se.Stage != tc.stage || IsPermanent(err) != tc.permanent {
				t.Errorf("code %d, stage %q, permanent %v; want %d, %q, %v", se.Code, se.Stage, IsPermanent(err), tc.code, tc.stage, tc.permanent)
			}
			prefix := fmt.Sprintf("send notification to 1 recipient: %s: %d ", tc.stage, tc.code)
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("err = %q, want prefix %q", err, prefix)
			}
			assertNoAddress(t, err)
			if n := len(relay.Messages()); n != 0 {
				t.Fatalf("%d messages kept after a refusal", n)
			}
			// The fault is used up: a retry delivers exactly once.
			if err := s.Notify(context.Background(), m); err != nil {
				t.Fatalf("retry: %v", err)
			}
			if n := len(relay.Messages()); n != 1 {
				t.Errorf("%d messages after the retry, want 1", n)
			}
		})
	}
}

// A permanent refusal of one address (a person who left) does not hold the notice back
// from the others; the refusal is returned, permanent, once they have it.
func TestSMTPOneRefusedRecipientDoesNotStopTheOthers(t *testing.T) {
	relay, s := startFake(t)
	relay.RejectRcpt(1, 550)
	err := s.Notify(context.Background(), Message{To: []string{"vets.gov", veteranAddr}, Subject: "s", Body: "b"})
	if err == nil || !IsPermanent(err) || !strings.Contains(err.Error(), "send notification to 3 recipients: recipient 1: rcpt to: 550 ") {
		t.Fatalf("err = %v, want a permanent refusal of recipient 1 of 3", err)
	}
	assertNoAddress(t, err)
	var got []string
	for _, m := range relay.Messages() {
		got = append(got, m.To...)
	}
	if want := []string{pmAddr, veteranAddr}; !reflect.DeepEqual(got, want) {
		t.Errorf("delivered to %q, want %q", got, want)
	}
}

// memProgress is Progress in memory, standing in for the activity's heartbeat details.
type memProgress map[string]bool

func (p memProgress) Delivered(id string) bool { return p[id] }
func (p memProgress) MarkDelivered(id string)  { p[id] = true }

// copies counts the copies each envelope recipient received.
func copies(relay *mailfake.Relay) map[string]int {
	n := map[string]int{}
	for _, m := range relay.Messages() {
		for _, to := range m.To {
			n[to]++
		}
	}
	return n
}

// A transient refusal stops the delivery; the retry skips whoever has the message, so
// every recipient ends with exactly one copy.
func TestSMTPRetrySkipsRecipientsServed(t *testing.T) {
	relay, s := startFake(t)
	progress := memProgress{}
	m := Message{To: []string{"vets.gov", veteranAddr}, Subject: "s", Body: "b", Key: "HRC-2#3", Progress: progress}
	relay.RejectRcptTo(pmAddr, 1, 452) // the second recipient: "insufficient storage", try later
	err := s.Notify(context.Background(), m)
	if err == nil || IsPermanent(err) || !strings.Contains(err.Error(), "recipient 2: rcpt to: 452 ") {
		t.Fatalf("first attempt: err = %v, want a transient refusal of recipient 2", err)
	}
	if len(progress) != 1 || !progress[RecipientID(vetsGovAddr)] {
		t.Fatalf("progress after the first attempt: %v, want recipient 1 only", progress)
	}
	if err := s.Notify(context.Background(), m); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if got, want := copies(relay), map[string]int{vetsGovAddr: 1, pmAddr: 1, veteranAddr: 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("copies per recipient %v, want %v", got, want)
	}
}

// The relay is down, then comes back on the same address: the retry delivers once.
func TestSMTPRelayDownThenUp(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s := SMTP{Addr: addr, From: fromAddr, Timeout: time.Second, ResolveGroup: directory}
	progress := memProgress{}
	m := Message{To: []string{"vets.gov"}, Subject: "s", Body: "b", Key: "HRC-3#1", Progress: progress}
	err = s.Notify(context.Background(), m)
	if err == nil || IsPermanent(err) || !strings.Contains(err.Error(), "recipient 1: connect: ") {
		t.Fatalf("relay down: err = %v, want a transient connect error", err)
	}
	relay := mailfake.New(mailfake.Config{})
	if _, err := relay.Listen(addr); err != nil {
		t.Fatal(err)
	}
	defer relay.Close()
	if err := s.Notify(context.Background(), m); err != nil {
		t.Fatalf("relay up: %v", err)
	}
	if got, want := copies(relay), map[string]int{vetsGovAddr: 1, pmAddr: 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("copies per recipient %v, want %v", got, want)
	}
}

func TestSMTPStartTLSAndAuth(t *testing.T) {
	tlsCfg, roots, _, err := mailfake.SelfSigned("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	relay, base := startRelay(t, mailfake.Config{TLS: tlsCfg, Username: "hcaops", Password: "s3cret"})
	m := Message{To: []string{pmAddr}, Subject: "s", Body: "b"}
	for _, tc := range []struct {
		name      string
		edit      func(*SMTP)
		want      string // "" means delivered
		permanent bool
	}{
		{"no STARTTLS: the relay refuses mail", func(s *SMTP) {}, "mail from: 530 ", true},
		{"STARTTLS without AUTH", func(s *SMTP) { s.StartTLS, s.RootCAs = true, roots }, "mail from: 530 ", true},
		{"wrong password", func(s *SMTP) { s.StartTLS, s.RootCAs, s.Username, s.Password = true, roots, "hcaops", "nope" }, "auth: 535 ", true},
		{"untrusted certificate", func(s *SMTP) { s.StartTLS, s.Username, s.Password = true, "hcaops", "s3cret" }, "starttls: tls: failed to verify certificate", false},
		{"STARTTLS and AUTH", func(s *SMTP) { s.StartTLS, s.RootCAs, s.Username, s.Password = true, roots, "hcaops", "s3cret" }, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := *base
			tc.edit(&s)
			relay.Clear()
			err := s.Notify(context.Background(), m)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				got := relay.Messages()
				if len(got) != 1 || !got[0].TLS || got[0].AuthUser != "hcaops" {
					t.Fatalf("received %+v, want one message over TLS from hcaops", got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || IsPermanent(err) != tc.permanent {
				t.Fatalf("err = %v (permanent %v), want %q (permanent %v)", err, IsPermanent(err), tc.want, tc.permanent)
			}
			if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "nope") {
				t.Errorf("error shows the password: %v", err)
			}
			if n := len(relay.Messages()); n != 0 {
				t.Errorf("%d messages kept", n)
			}
		})
	}
}

func TestSMTPConfigErrorsArePermanent(t *testing.T) {
	_, base := startFake(t)
	nonLocal := nonLocalRelay(t)
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
			err := s.Notify(context.Background(), Message{To: []string{veteranAddr}, Subject: "s"})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !IsPermanent(err) {
				t.Errorf("err = %v (permanent %v), want a permanent error containing %q", err, IsPermanent(err), tc.want)
			}
			assertNoAddress(t, err)
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
	if !strings.HasPrefix(err.Error(), "send notification to 1 recipient: recipient 1: greeting: ") {
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
	if err == nil || IsPermanent(err) || !strings.HasPrefix(err.Error(), "send notification to 1 recipient: recipient 1: connect: ") {
		t.Errorf("err = %v, want a retryable connect error", err)
	}
	assertNoAddress(t, err)
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

// nonLocalRelay serves a relay on 127.0.0.2, a loopback address that net/smtp does not
// count as localhost. Linux routes all of 127.0.0.0/8 to the loopback interface.
func nonLocalRelay(t *testing.T) string {
	t.Helper()
	r := mailfake.New(mailfake.Config{})
	addr, err := r.Listen("127.0.0.2:0")
	if err != nil {
		t.Fatalf("listen on 127.0.0.2: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return addr
}
