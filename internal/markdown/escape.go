// Package markdown escapes text from people for the Markdown hcaops writes (the ES call
// agenda, staff emails), so that it reads as the words typed and never as markup: no
// heading, emphasis, link, table cell break or HTML, whatever a summary holds.
package markdown

import (
	"strings"

	"github.com/hcaops/hcaops/ticket"
)

// special are the ASCII punctuation characters CommonMark lets a backslash escape that
// can start or end markup inline or at the start of a line. '<', '>' and '&' are written
// as entities instead, because a backslash does not stop every renderer from passing
// HTML through.
const special = "\\`*_{}[]()#+-.!|~"

// Escape returns s as one line of literal Markdown text: control characters and line
// breaks out (ticket.CleanText), Markdown punctuation backslash-escaped, and '<', '>',
// '&' as HTML entities, so the text stays inert in Markdown and in HTML alike.
func Escape(s string) string {
	s, _ = ticket.CleanText(ticket.FieldSummary, s)
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for _, r := range s {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '"':
			b.WriteString("&quot;")
		case r < 0x80 && strings.ContainsRune(special, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
