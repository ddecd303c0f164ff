package ticket

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// PIIKind is a kind of personal information the guard recognises.
type PIIKind string

const (
	PIISSN         PIIKind = "ssn"
	PIIEmail       PIIKind = "email"
	PIIPhone       PIIKind = "phone"
	PIIDateOfBirth PIIKind = "date-of-birth"
	PIIICN         PIIKind = "icn" // VA Integration Control Number, e.g. 1012667145V762142
)

// describe is how an error or a flag names the kind.
func (k PIIKind) describe() string {
	switch k {
	case PIISSN:
		return "a social security number"
	case PIIEmail:
		return "an email address"
	case PIIPhone:
		return "a phone number"
	case PIIDateOfBirth:
		return "a date of birth"
	case PIIICN:
		return "a VA identifier (ICN)"
	}
	return string(k)
}

// PIIFlag records that a field arriving from the desk held what looked like PII and was
// stored masked. The ticket records it in its timeline and flags the incident, so the
// agent can remove the value from the desk too.
type PIIFlag struct {
	Field Field     `json:"field"`
	Kinds []PIIKind `json:"kinds"` // sorted, unique
}

// Describe says what was masked, for the timeline and the incident: "an SSN-like value
// ... in the summary".
func (f PIIFlag) Describe() string {
	names := make([]string, len(f.Kinds))
	for i, k := range f.Kinds {
		names[i] = k.describe()
	}
	return "masked what looked like " + strings.Join(names, " and ") + " in the " + string(f.Field)
}

// maskToken replaces a value of kind k.
func maskToken(k PIIKind) string { return "[" + strings.ReplaceAll(string(k), "-", " ") + " removed]" }

// The guard's patterns run on NFKC-normalised text, so full-width "＠" and "１２３" read as
// "@" and "123". Digits are bounded by non-digits in code (boundedMatches), not with \b,
// because "ssn#x123-45-6789" has a letter right before the number.
var (
	icnPattern   = regexp.MustCompile(`\d{10}V\d{6}`)
	emailPattern = regexp.MustCompile(`[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+`)
	// ssnPattern is 3-2-4 digits with optional '-', '.' or ' ' between the groups.
	ssnPattern = regexp.MustCompile(`\d{3}[-. ]?\d{2}[-. ]?\d{4}`)
	// phonePattern is a North American number written as one: optional +1, area code,
	// exchange, line, with separators (ten bare digits are as likely a Unix time or an id).
	phonePattern = regexp.MustCompile(`(?:\+?1[-. ]?)?(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4}`)
	// datePattern is a full date: 01/10/1955, 1-10-55, 1955-01-10, January 10, 1955, 10 Jan 1955.
	datePattern = regexp.MustCompile(`(?i)\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|` +
		`\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}|` +
		`\b\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{4}`)
	// birthWord right before a date makes the date a date of birth, whatever its year.
	birthWord = regexp.MustCompile(`(?i)\b(?:dob|d\.o\.b|date of birth|birth ?date|birthday|born(?: on)?)\b[\s:#=.-]*(?:is|was|of)?[\s:#=.-]*$`)
	// submissionWord right before 9 digits makes them an ES form submission id, not an SSN.
	submissionWord = regexp.MustCompile(`(?i)(?:form ?submission ?id|submission ?id|form ?submission|submission|fsid)[\s:#=]*$`)
	yearPattern    = regexp.MustCompile(`\d{4}`)
)

// publicNumbers are VA's own published support lines, which tickets quote to callers;
// they are not a person's number. Digits only, without the leading 1.
var publicNumbers = []string{
	"8772228387", // HRC, 1-877-222-VETS
	"8006982411", // MyVA411, VA's main information line
	"8555747286", // VA.gov technical help desk
}

// MaskPII replaces each value that looks like an SSN, ICN, email address, phone number or
// date of birth with a token such as "[ssn removed]", and lists the kinds it found. It
// lets through what tickets legitimately say: "DOB picker broken", "born before 1950"
// (a year is not a date), VA's public numbers such as HRC's 877-222-8387, and a 9-digit
// ES form submission id named as such ("formSubmissionId 401246681"). Text with nothing
// to mask comes back unchanged; masked text comes back NFKC-normalised.
//
// It is a guard, not a guarantee: it over-matches bare 9-digit numbers (an SSN unless
// named a submission id) and dates before 2000 (a person's date, in tickets about a form
// that went online in 2017).
func MaskPII(s string) (masked string, kinds []PIIKind) {
	n := norm.NFKC.String(s)
	mask := func(k PIIKind, t string, spans [][2]int) string {
		if len(spans) == 0 {
			return t
		}
		kinds = append(kinds, k)
		var b strings.Builder
		last := 0
		for _, sp := range spans {
			b.WriteString(t[last:sp[0]])
			b.WriteString(maskToken(k))
			last = sp[1]
		}
		b.WriteString(t[last:])
		return b.String()
	}
	n = mask(PIIICN, n, boundedMatches(icnPattern, n, nil))
	n = mask(PIIEmail, n, spansOf(emailPattern.FindAllStringIndex(n, -1)))
	n = mask(PIIDateOfBirth, n, boundedMatches(datePattern, n, isBirthDate))
	n = mask(PIISSN, n, boundedMatches(ssnPattern, n, isSSN))
	n = mask(PIIPhone, n, boundedMatches(phonePattern, n, isPersonalPhone))
	if len(kinds) == 0 {
		return s, nil
	}
	slices.Sort(kinds)
	return n, kinds
}

// LooksLikePII names the kind of PII s appears to hold ("" if none), with the detector of
// MaskPII: the CLI refuses such text, naming the field and the kind, never the value.
func LooksLikePII(s string) string {
	_, kinds := MaskPII(s)
	if len(kinds) == 0 {
		return ""
	}
	// The most telling kind first, as the old guard reported it.
	for _, k := range []PIIKind{PIISSN, PIIEmail, PIIPhone, PIIDateOfBirth, PIIICN} {
		if slices.Contains(kinds, k) {
			return k.describe()
		}
	}
	return kinds[0].describe()
}

func spansOf(idx [][]int) [][2]int {
	out := make([][2]int, len(idx))
	for i, m := range idx {
		out[i] = [2]int{m[0], m[1]}
	}
	return out
}

// boundedMatches finds re's matches that are not part of a longer number (no digit right
// before or after) and that keep(s, start, end) accepts; a refused match is retried one
// character further on, so overlapping candidates are not lost.
func boundedMatches(re *regexp.Regexp, s string, keep func(s string, start, end int) bool) [][2]int {
	var out [][2]int
	for off := 0; off < len(s); {
		m := re.FindStringIndex(s[off:])
		if m == nil {
			break
		}
		start, end := off+m[0], off+m[1]
		digitBefore := start > 0 && isDigit(s[start-1])
		digitAfter := end < len(s) && isDigit(s[end])
		if !digitBefore && !digitAfter && (keep == nil || keep(s, start, end)) {
			out = append(out, [2]int{start, end})
			off = end
			continue
		}
		off = start + 1
	}
	return out
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// isSSN takes 3-2-4 digits with separators wherever they stand ("ssn#x123-45-6789"),
// and nine bare digits only as a word of their own ("run2758136172" is a name's suffix)
// and not named as an ES form submission id.
func isSSN(s string, start, end int) bool {
	if len(digitsOf(s[start:end])) != end-start {
		return true
	}
	if (start > 0 && isWordByte(s[start-1])) || (end < len(s) && isWordByte(s[end])) {
		return false
	}
	return !submissionWord.MatchString(s[:start])
}

func isWordByte(c byte) bool {
	return c == '_' || isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

func isPersonalPhone(s string, start, end int) bool {
	d := digitsOf(s[start:end])
	d = d[len(d)-10:]
	return !slices.Contains(publicNumbers, d)
}

// isBirthDate takes a date as a date of birth when a birth word comes right before it, or
// when its four-digit year is before 2000.
func isBirthDate(s string, start, end int) bool {
	if birthWord.MatchString(s[:start]) {
		return true
	}
	for _, y := range yearPattern.FindAllString(s[start:end], -1) {
		if year, err := strconv.Atoi(y); err == nil && year < 2000 {
			return true
		}
	}
	return false
}
