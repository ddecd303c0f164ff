package ticket

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// NewTicket is what HRC Tier 1 records when a caller reports a problem. It carries no
// PII: the reporter is the HRC agent's ID, never the caller.
type NewTicket struct {
	Ref         string    `json:"ref"`
	Channel     Channel   `json:"channel"`
	Product     Product   `json:"product"`
	Summary     string    `json:"summary"`
	Description string    `json:"description,omitempty"`
	Category    string    `json:"category,omitempty"`
	Priority    Priority  `json:"priority"`
	Reporter    string    `json:"reporter"`
	OpenedAt    time.Time `json:"openedAt,omitzero"` // when HRC took the call; defaults to the start
	// PIIFlags are the fields that arrived from the desk holding what looked like PII and
	// were masked (FromDesk); the ticket flags its incident for the agent.
	PIIFlags []PIIFlag `json:"piiFlags,omitempty"`
	// Announce tells vets.gov, ES, the ES liaisons and the product manager by email when
	// the ticket opens and when it is resolved: hcaops sets it on ES outage tickets.
	Announce bool `json:"announce,omitempty"`
}

// Limits on free text: Dynamics caps a case title at 200 characters.
const (
	MaxSummary     = 200
	MaxDescription = 2000 // the Dynamics default for a case description
)

var refPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$`)

// ValidRef reports whether a ticket reference is usable as part of a workflow ID.
func ValidRef(ref string) error {
	if strings.TrimSpace(ref) == "" {
		return errors.New("ref is required")
	}
	// The value is never echoed: a mistyped reference could be a caller's SSN.
	if !refPattern.MatchString(ref) {
		return errors.New("ref must be 3-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	if wholeSSN.MatchString(ref) {
		return errors.New("ref looks like a social security number; use the ticket number")
	}
	return nil
}

// Validate returns every problem with the ticket, each naming its field. Free text is
// never echoed back, because a caller may have typed PII into it.
func (n *NewTicket) Validate() error {
	var errs []error
	if err := ValidRef(n.Ref); err != nil {
		errs = append(errs, err)
	}
	if _, err := ParseChannel(string(n.Channel)); err != nil {
		errs = append(errs, err)
	}
	if _, err := ParseProduct(string(n.Product)); err != nil {
		errs = append(errs, err)
	}
	if _, err := ParsePriority(string(n.Priority)); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, checkText("summary", n.Summary, MaxSummary, true))
	errs = append(errs, checkText("description", n.Description, MaxDescription, false))
	errs = append(errs, checkText("category", n.Category, MaxCategory, false))
	if strings.TrimSpace(n.Reporter) == "" {
		errs = append(errs, errors.New("reporter is required (the HRC agent or operator ID, not the caller)"))
	} else {
		errs = append(errs, checkText("reporter", n.Reporter, MaxReporter, true))
	}
	return errors.Join(errs...)
}

// Normalize puts enumerations in their canonical spelling; call it after Validate.
func (n *NewTicket) Normalize() {
	n.Channel, _ = ParseChannel(string(n.Channel))
	n.Product, _ = ParseProduct(string(n.Product))
	n.Priority, _ = ParsePriority(string(n.Priority))
	n.Summary = strings.TrimSpace(n.Summary)
	n.Description = strings.TrimSpace(n.Description)
}

func checkText(field, s string, maxLen int, required bool) error {
	if strings.TrimSpace(s) == "" {
		if required {
			return fmt.Errorf("%s is required", field)
		}
		return nil
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", field)
	}
	if _, removed := CleanText(Field(field), s); removed > 0 {
		return fmt.Errorf("%s contains %d control character(s) (such as CR, NUL or a tab)%s; remove them", field, removed, lineBreakHint(Field(field)))
	}
	if n := utf8.RuneCountInString(s); n > maxLen {
		return fmt.Errorf("%s is %d characters, at most %d allowed", field, n, maxLen)
	}
	if kind := LooksLikePII(s); kind != "" {
		return fmt.Errorf("%s appears to contain %s; tickets must not carry PII", field, kind)
	}
	return nil
}

var wholeSSN = regexp.MustCompile(`^\d{3}-?\d{2}-?\d{4}$`)

// lineBreakHint tells where line breaks are allowed.
func lineBreakHint(f Field) string {
	if f.Multiline() {
		return ""
	}
	return " or a line break, which only descriptions and comments may hold"
}

// SafeText prepares text from another system (an ES fault message, an error) for a
// ticket: control characters removed, cut to n characters, and withheld if it looks like
// it carries PII.
func SafeText(s string, n int) string {
	s, _ = CleanText(FieldDescription, s)
	if LooksLikePII(s) != "" {
		return "(detail withheld: it may contain personal information)"
	}
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
