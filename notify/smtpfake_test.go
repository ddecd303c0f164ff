package notify

import (
	"net/textproto"
	"strings"
	"testing"
)

// TestFakeSMTPConversation drives the fake by hand through the commands net/smtp does not
// use in the happy path, with the dot-stuffing of a raw client.
func TestFakeSMTPConversation(t *testing.T) {
	fake, s := startFake(t)
	c, err := textproto.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	step := func(cmd string, want int) {
		t.Helper()
		if cmd != "" {
			if err := c.PrintfLine("%s", cmd); err != nil {
				t.Fatal(err)
			}
		}
		if _, msg, err := c.ReadResponse(want); err != nil {
			t.Fatalf("%q: %v (%s)", cmd, err, msg)
		}
	}
	step("", 220)
	step("HELO test", 250)
	step("RCPT TO:<a@example.gov>", 503) // before MAIL
	step("MAIL FROM:<me@example.gov>", 250)
	step("RCPT TO:<a@example.gov>", 250)
	step("RSET", 250)
	step("DATA", 503) // RSET ended the transaction
	step("NOOP", 250)
	step("VRFY a", 502)
	step("MAIL FROM:<me@example.gov> BODY=8BITMIME", 250)
	step("rcpt to:<b@example.gov>", 250)
	step("DATA", 354)
	if _, err := c.W.WriteString("Subject: x\r\n\r\n..leading dot\r\nend\r\n.\r\n"); err != nil {
		t.Fatal(err)
	}
	c.W.Flush()
	step("", 250)
	step("QUIT", 221)

	msgs := fake.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m := msgs[0]
	if m.From != "me@example.gov" || strings.Join(m.To, ",") != "b@example.gov" || m.Data != "Subject: x\r\n\r\n.leading dot\r\nend\r\n" {
		t.Errorf("got %+v", m)
	}
}

func TestFakeSMTPEHLOAdvertises8BITMIMEOnly(t *testing.T) {
	_, s := startFake(t)
	c, err := textproto.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, _, err := c.ReadResponse(220); err != nil {
		t.Fatal(err)
	}
	id, err := c.Cmd("EHLO test")
	if err != nil {
		t.Fatal(err)
	}
	c.StartResponse(id)
	_, msg, err := c.ReadResponse(250)
	c.EndResponse(id)
	if err != nil || !strings.Contains(msg, "8BITMIME") || strings.Contains(msg, "STARTTLS") {
		t.Errorf("EHLO reply %q, %v", msg, err)
	}
}
