package notify

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// buildMessage renders an RFC 5322 message to one recipient with CRLF line endings. The
// caller has already taken line breaks out of the subject and the addresses, so no value
// can add a header. Dot-stuffing is left to net/smtp's data writer.
func buildMessage(from *mail.Address, to, subject, body string, now time.Time, id string) []byte {
	cte, text := encodeBody(body)

	var b bytes.Buffer
	header := func(name, value string) { b.WriteString(foldHeader(name, value)) }
	header("Date", now.Format(time.RFC1123Z))
	header("From", from.String())
	header("To", (&mail.Address{Address: to}).String())
	header("Subject", encodeSubject(subject))
	header("Message-ID", id)
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", cte)
	// RFC 3834: tells vacation responders and mailing lists not to answer a robot.
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	b.WriteString(text)
	return b.Bytes()
}

// encodeSubject leaves a printable ASCII subject as it is and RFC 2047-encodes any
// other, in encoded words short enough to fold between.
func encodeSubject(s string) string {
	return mime.QEncoding.Encode("UTF-8", strings.ToValidUTF8(s, "\uFFFD"))
}

// foldHeader renders "Name: value\r\n", folding before spaces so lines stay near the
// recommended 78 characters (and far from the hard limit of 998). A single word longer
// than a line is left whole: breaking inside it would change the value.
func foldHeader(name, value string) string {
	const limit = 78
	var b strings.Builder
	line := len(name) + 1
	b.WriteString(name + ":")
	for _, word := range strings.Split(value, " ") {
		// Fold only before a non-empty word, so no continuation line is blank.
		if word != "" && line > len(name)+1 && line+1+len(word) > limit {
			b.WriteString("\r\n")
			line = 0
		}
		b.WriteString(" " + word)
		line += 1 + len(word)
	}
	b.WriteString("\r\n")
	return b.String()
}

// encodeBody returns the body with CRLF line endings and a final line break, as 7bit if
// it is plain ASCII with lines of legal length, else as quoted-printable, which every
// relay carries unchanged (unlike 8bit, which needs the server's 8BITMIME).
func encodeBody(body string) (cte, text string) {
	body = strings.ToValidUTF8(body, "\uFFFD")
	body = strings.NewReplacer("\r\n", "\r\n", "\r", "\r\n", "\n", "\r\n").Replace(body)
	if !strings.HasSuffix(body, "\r\n") {
		body += "\r\n"
	}
	if plain7bit(body) {
		return "7bit", body
	}
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(body)) // writes to a bytes.Buffer cannot fail
	_ = w.Close()
	return "quoted-printable", b.String()
}

// plain7bit reports whether body (CRLF-terminated) is printable ASCII in lines of at most
// 998 characters, the limit of RFC 5322.
func plain7bit(body string) bool {
	for _, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if len(line) > 998 {
			return false
		}
		for i := 0; i < len(line); i++ {
			if c := line[i]; (c < ' ' && c != '\t') || c > '~' {
				return false
			}
		}
	}
	return true
}

// messageID returns "<id@domain>", the domain taken from the sender as RFC 5322
// suggests. With an event key the id is the key's SHA-256, so every copy of one event's
// notice, a retried one included, carries the same Message-ID and mail systems and
// readers can recognise a repeat; without one it is random.
func messageID(from, key string) string {
	domain := from[strings.LastIndex(from, "@")+1:]
	if domain == "" || strings.ContainsAny(domain, " <>\"") {
		domain = "hcaops.invalid"
	}
	var r [16]byte
	if key != "" {
		sum := sha256.Sum256([]byte("hcaops notice " + key))
		copy(r[:], sum[:])
	} else {
		_, _ = rand.Read(r[:]) // crypto/rand.Read never fails on supported platforms
	}
	return "<" + hex.EncodeToString(r[:]) + "@" + domain + ">"
}
