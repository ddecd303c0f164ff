// Package markdown escapes text from people for the Markdown hcaops writes (the ES call
// agenda, staff emails), so that it reads as the words typed and never as markup: no
// heading, emphasis, link, table cell break or HTML, whatever a summary holds.
package markdown

import (
	"strings"

	"github.com/hcaops/hcaops/ticket"
)

// special are the ASCII punctuation characters CommonMark lets a backslash escape that
// start or end markup anywhere in a line. '<', '>' and '&' are written as entities
// instead, because a backslash does not stop every renderer from passing HTML through.
const special = "\\`*_{}[]#|~"

// Bullets ("- ", "+ ") and ordered-list markers ("1. ", "1) ") are markup only at the start
// of a line; elsewhere they are ordinary text, and escaping them there would only make
// "10-10EZ" and "vets.gov" read as "10\-10EZ" and "vets\.gov" in every email. '(' and ')'
// after ']', and '!' before '[', are inert because the brackets are escaped.
const (
	bullets  = "-+"
	ordinals = ".)"
)

// Escape returns s as one line of literal Markdown text: control characters and line
// breaks out (ticket.CleanText), Markdown punctuation backslash-escaped where it could be
// markup, and '<', '>', '&', '"' as HTML entities, so the text stays inert in Markdown and
// in HTML alike, wherever on a line it is written.
func Escape(s string) string {
	s, _ = ticket.CleanText(ticket.FieldSummary, s)
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	spaces, digits := true, false // the line so far is only spaces, then only digits
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
		case r < 0x80 && strings.ContainsRune(special, r),
			spaces && strings.ContainsRune(bullets, r),
			digits && strings.ContainsRune(ordinals, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		isDigit := r >= '0' && r <= '9'
		digits = (spaces || digits) && isDigit
		spaces = spaces && r == ' '
	}
	return b.String()
}
