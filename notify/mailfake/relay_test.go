package mailfake

import (
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"testing"
)

// The relay's side of the SMTP contract (RFC 5321, RFC 3207 STARTTLS, RFC 4954 AUTH),
// driven by hand with raw commands and the reply codes those RFCs state.
func TestRelayConversation(t *testing.T) {
	tlsCfg, roots, _, err := SelfSigned("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	r := New(Config{TLS: tlsCfg, Username: "hcaops", Password: "pw"})
	addr, err := r.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	raw, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	c := textproto.NewConn(raw)
	step := func(cmd string, want int) string {
		t.Helper()
		if cmd != "" {
			if err := c.PrintfLine("%s", cmd); err != nil {
				t.Fatal(err)
			}
		}
		_, msg, err := c.ReadResponse(want)
		if err != nil {
			t.Fatalf("%q: %v", cmd, err)
		}
		return msg
	}
	step("", 220)
	if ehlo := step("EHLO client.example", 250); !strings.Contains(ehlo, "STARTTLS") || strings.Contains(ehlo, "AUTH") {
		t.Errorf("EHLO before TLS offers %q; want STARTTLS and no AUTH", ehlo)
	}
	step("MAIL FROM:<noreply@hcaops.example>", 530) // 5.7.0 Must issue a STARTTLS command first
	step("STARTTLS", 220)
	c = textproto.NewConn(tls.Client(raw, &tls.Config{RootCAs: roots, ServerName: "127.0.0.1"}))
	if ehlo := step("EHLO client.example", 250); !strings.Contains(ehlo, "AUTH PLAIN") || strings.Contains(ehlo, "STARTTLS") {
		t.Errorf("EHLO after TLS offers %q; want AUTH PLAIN and no STARTTLS", ehlo)
	}
	step("MAIL FROM:<noreply@hcaops.example>", 530) // 5.7.0 Authentication required
	step("AUTH PLAIN "+base64.StdEncoding.EncodeToString([]byte("\x00hcaops\x00wrong")), 535)
	step("AUTH PLAIN "+base64.StdEncoding.EncodeToString([]byte("\x00hcaops\x00pw")), 235)
	step("MAIL FROM:<noreply@hcaops.example>", 250)
	step("RCPT TO:<pm@example.gov>", 250)
	step("DATA", 354)
	if err := c.PrintfLine("Subject: x\r\n\r\n..leading dot\r\n."); err != nil {
		t.Fatal(err)
	}
	step("", 250)
	step("QUIT", 221)

	got := r.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	m := got[0]
	if m.From != "noreply@hcaops.example" || strings.Join(m.To, ",") != "pm@example.gov" || !m.TLS || m.AuthUser != "hcaops" ||
		string(m.Data) != "Subject: x\r\n\r\n.leading dot\r\n" {
		t.Errorf("kept %+v %q", m, m.Data)
	}
}

func TestRelayListsWhatItReceived(t *testing.T) {
	r := New(Config{})
	r.mail = []Mail{{ID: 1, From: "noreply@hcaops.example", To: []string{"pm@example.gov"}, Data: []byte(
		"Subject: =?UTF-8?q?d=C3=A9lai?=\r\nMessage-ID: <a@hcaops.example>\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nR=C3=A9sum=C3=A9\r\n")},
		{ID: 2, From: "noreply@hcaops.example", To: []string{"es@example.gov"}, Data: []byte("Subject: x\r\n\r\nbody\r\n")}}
	srv := httptest.NewServer(r.Handler())
	defer srv.Close()
	res, err := http.Get(srv.URL + "/_fake/mail?to=PM@example.gov")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got []map[string]any
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0]["subject"] != "délai" || got[0]["body"] != "Résumé\n" || got[0]["messageId"] != "<a@hcaops.example>" {
		t.Errorf("listing = %v", got)
	}
}
