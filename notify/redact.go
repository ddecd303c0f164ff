package notify

import (
	"regexp"
	"strings"
)

// Notifications are about tickets, but a veteran's own address can be a recipient and an
// agent can paste a caller's details into ticket text. These patterns keep such values out
// of logs and errors. They deliberately over-match (any 9 digits is an SSN, any 10 a
// phone number): a redacted log line costs a look at the ticket, a leaked one costs a
// privacy incident.
var (
	// emailPattern matches anything with text on both sides of an '@', including
	// "jane@localhost" and non-ASCII local parts, which stricter patterns miss.
	emailPattern = regexp.MustCompile(`[^\s@<>()\[\],;:"']+@[^\s@<>()\[\],;:"']+`)
	ssnPattern   = regexp.MustCompile(`\b\d{3}[-. ]?\d{2}[-. ]?\d{4}\b`)
	phonePattern = regexp.MustCompile(`(?:\+?\b1[-. ]?)?(?:\(\d{3}\)|\b\d{3})[-. ]?\d{3}[-. ]?\d{4}\b`)
	// icnPattern is the VA Integration Control Number, e.g. 1012667145V762142.
	icnPattern = regexp.MustCompile(`\b\d{10}V\d{6}\b`)
)

var piiPatterns = []*regexp.Regexp{emailPattern, ssnPattern, phonePattern, icnPattern}

// redacted replaces a value that must not be logged.
const redacted = "<redacted>"

// looksLikePII reports whether s holds an email address or an SSN-, phone- or ICN-like
// number.
func looksLikePII(s string) bool {
	for _, p := range piiPatterns {
		if p.MatchString(s) {
			return true
		}
	}
	return false
}

// scrubPII replaces every PII-like part of s, for text that must be kept but may quote a
// recipient, such as an SMTP server's "550 <jane@example.com>: user unknown".
func scrubPII(s string) string {
	for _, p := range piiPatterns {
		s = p.ReplaceAllString(s, redacted)
	}
	return s
}

// safeRecipient is r if it is a group name such as "vets.gov" or "ES Tier 2/3", and
// "<redacted>" if it is (or contains) an address or a number that could identify a person.
func safeRecipient(r string) string {
	if strings.Contains(r, "@") || looksLikePII(r) {
		return redacted
	}
	return r
}

func safeRecipients(to []string) []string {
	out := make([]string, len(to))
	for i, r := range to {
		out[i] = safeRecipient(r)
	}
	return out
}
