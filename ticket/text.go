package ticket

import (
	"strings"
	"unicode/utf8"
)

// Field names a free-text field of a ticket. It decides whether the text may hold line
// breaks and how long it may be.
type Field string

const (
	FieldSummary     Field = "summary"     // one line (a Dynamics case title), MaxSummary runes
	FieldDescription Field = "description" // line breaks kept, MaxDescription runes
	FieldCategory    Field = "category"    // one line, MaxCategory runes
	FieldComment     Field = "comment"     // a note or action comment: line breaks kept, MaxDescription runes
	FieldReporter    Field = "reporter"    // one line, MaxReporter runes
)

// MaxCategory and MaxReporter cap the short one-line fields.
const (
	MaxCategory = 100
	MaxReporter = 100
)

// Multiline reports whether the field legitimately holds line breaks (LF only).
func (f Field) Multiline() bool { return f == FieldDescription || f == FieldComment }

// MaxLen is the field's limit in runes.
func (f Field) MaxLen() int {
	switch f {
	case FieldSummary:
		return MaxSummary
	case FieldCategory:
		return MaxCategory
	case FieldReporter:
		return MaxReporter
	}
	return MaxDescription
}

// CleanText is the one place control characters are taken out of text from people, at
// every boundary: the CLI refuses text for which removed > 0, text from the desk is stored
// clean, and the desk, the agenda and emails only ever get clean text.
//
// Multiline fields keep line breaks as LF: CRLF, a lone CR and U+2028/U+2029 become LF
// without counting as removed. In one-line fields every line break and tab becomes a
// space. Everywhere a tab becomes a space, every other C0 or C1 control character (NUL,
// ESC, DEL, ...) and every bidirectional override (the "Trojan Source" characters) is
// dropped, and invalid UTF-8 becomes U+FFFD; each counts in removed.
func CleanText(f Field, s string) (clean string, removed int) {
	if !utf8.ValidString(s) {
		fixed := strings.ToValidUTF8(s, "\uFFFD")
		removed += strings.Count(fixed, "\uFFFD") - strings.Count(s, "\uFFFD")
		s = fixed
	}
	multi := f.Multiline()
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == '\r' && multi:
			if i+1 < len(s) && s[i+1] == '\n' {
				continue // the LF that follows is the line break
			}
			b.WriteByte('\n')
		case (r == '\n' || r == '\u2028' || r == '\u2029') && multi:
			b.WriteByte('\n')
		case r == '\r' || r == '\n' || r == '\t' || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
			removed++
		case r < 0x20 || (r >= 0x7f && r <= 0x9f) || bidiControl(r):
			removed++
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), removed
}

// bidiControl reports the embedding, override and isolate characters that can make text
// display in another order than it is stored (U+202A–U+202E, U+2066–U+2069).
func bidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// FromDesk makes text an agent already typed in the service desk safe to keep: control
// characters removed, values that look like PII masked, and cut to the field's limit. It
// never fails, because the agent cannot be asked again; flag is nil when nothing was
// masked, otherwise the ticket keeps it (NewTicket.PIIFlags, Request.PIIFlags) so the
// incident is flagged for the agent.
func FromDesk(f Field, s string) (text string, flag *PIIFlag) {
	s, _ = CleanText(f, s)
	s, kinds := MaskPII(s)
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > f.MaxLen() {
		s = string(r[:f.MaxLen()-1]) + "…"
	}
	if len(kinds) > 0 {
		flag = &PIIFlag{Field: f, Kinds: kinds}
	}
	return s, flag
}
