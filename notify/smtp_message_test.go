package notify

import (
	"strings"
	"testing"
)

func TestFoldHeader(t *testing.T) {
	value := strings.Repeat("escalated to ES Tier 2/3 ", 10) + " two  spaces"
	got := foldHeader("Subject", value)
	if !strings.HasSuffix(got, "\r\n") {
		t.Fatalf("no CRLF at the end: %q", got)
	}
	lines := strings.Split(strings.TrimSuffix(got, "\r\n"), "\r\n")
	if len(lines) < 3 {
		t.Errorf("not folded: %q", got)
	}
	for i, l := range lines {
		if len(l) > 78 || strings.TrimSpace(l) == "" || (i > 0 && !strings.HasPrefix(l, " ")) {
			t.Errorf("line %d %q: too long, blank or not a continuation", i, l)
		}
	}
	// Unfolding (RFC 5322 2.2.3: remove each CRLF before whitespace) restores the value.
	if unfolded := strings.ReplaceAll(strings.TrimSuffix(got, "\r\n"), "\r\n", ""); unfolded != "Subject: "+value {
		t.Errorf("unfolds to %q", unfolded)
	}
	if got := foldHeader("X", strings.Repeat("a", 100)); got != "X: "+strings.Repeat("a", 100)+"\r\n" {
		t.Errorf("a long word was broken: %q", got)
	}
}

func TestEncodeBody(t *testing.T) {
	for _, tc := range []struct {
		name, in, cte, out string
	}{
		{"ASCII gets CRLF and a final line break", "a\nb\rc\r\nd", "7bit", "a\r\nb\r\nc\r\nd\r\n"},
		{"non-ASCII", "é", "quoted-printable", "=C3=A9\r\n"},
		{"control character", "a\x00b", "quoted-printable", "a=00b\r\n"},
		{"invalid UTF-8 becomes U+FFFD", "a\xffb", "quoted-printable", "a=EF=BF=BDb\r\n"},
	} {
		cte, out := encodeBody(tc.in)
		if cte != tc.cte || out != tc.out {
			t.Errorf("%s: encodeBody(%q) = %q, %q; want %q, %q", tc.name, tc.in, cte, out, tc.cte, tc.out)
		}
	}
	// RFC 5322 forbids lines over 998 characters; quoted-printable breaks them softly.
	cte, out := encodeBody(strings.Repeat("x", 1200))
	if cte != "quoted-printable" {
		t.Errorf("a 1200-character line went out as %s", cte)
	}
	for _, l := range strings.Split(out, "\r\n") {
		if len(l) > 76 {
			t.Errorf("quoted-printable line of %d characters", len(l))
		}
	}
}

func TestMessageIDDomain(t *testing.T) {
	for from, want := range map[string]string{
		"noreply@hcaops.example": "@hcaops.example>",
		`"odd"@`:                 "@hcaops.invalid>",
	} {
		if id := messageID(from, ""); !strings.HasSuffix(id, want) {
			t.Errorf("messageID(%q) = %q, want suffix %q", from, id, want)
		}
	}
	if messageID("a@b", "") == messageID("a@b", "") {
		t.Error("message IDs without a key repeat")
	}
	// With a key: the same event gives the same ID, another event another one.
	if messageID("a@b", "HRC-1#4") != messageID("a@b", "HRC-1#4") || messageID("a@b", "HRC-1#4") == messageID("a@b", "HRC-1#5") {
		t.Error("message IDs do not follow the event key")
	}
}
