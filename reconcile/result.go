package reconcile

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

// Result is one day's reconciliation. Every count is complete; each list holds at most
// Options.MaxListed items, the lowest ids first, and Truncated says whether any list was
// cut short.
type Result struct {
	Date        string        `json:"date"`        // the report's day, YYYY-MM-DD (ES local)
	GeneratedAt time.Time     `json:"generatedAt"` // Options.AsOf
	StuckAfter  time.Duration `json:"stuckAfter"`  // the threshold Stuck was judged by (nanoseconds)
	ES          Counts        `json:"es"`          // rows in ES's report
	VetsGov     Counts        `json:"vetsGov"`     // vets.gov's submissions of the day
	Matched     int           `json:"matched"`     // vets.gov submissions found in the report

	// vets.gov submitted it; the report does not list it.
	MissingFromES      []Submission `json:"missingFromEs"`
	MissingFromESCount int          `json:"missingFromEsCount"`
	// The report lists it; vets.gov does not know it (ES got it elsewhere, or under
	// another form_submission_id than vets.gov recorded).
	UnknownToVetsGov []enrollment.ReportRow `json:"unknownToVetsGov"`
	UnknownCount     int                    `json:"unknownCount"`
	// Both know it and a final status (101 or 104) on either side disagrees.
	StatusMismatches []Mismatch `json:"statusMismatches"`
	MismatchCount    int        `json:"mismatchCount"`
	// The report shows it in 102/103 and it was submitted more than StuckAfter ago.
	Stuck      []Stuck `json:"stuck"`
	StuckCount int     `json:"stuckCount"`
	// A form_submission_id on more than one row of the report.
	Duplicates     []Duplicate `json:"duplicates"`
	DuplicateCount int         `json:"duplicateCount"`
	// Rows unknown to vets.gov whose id could not be remembered for the duplicate check
	// (see duplicateWatch): a later repeat of one of them would be counted as unknown, not
	// as a duplicate. 0 means the duplicate check covered the whole report.
	DuplicateUnchecked int `json:"duplicateUnchecked"`

	Truncated bool `json:"truncated"`
}

// Counts counts submissions by status code. JSON writes the codes as string keys.
type Counts struct {
	Total    int         `json:"total"`
	ByStatus map[int]int `json:"byStatus"`
}

func (c *Counts) add(status int) {
	if c.ByStatus == nil {
		c.ByStatus = map[int]int{}
	}
	c.Total++
	c.ByStatus[status]++
}

// Mismatch is a submission whose status vets.gov last saw differs from ES's.
type Mismatch struct {
	FormSubmissionID int64  `json:"formSubmissionId"`
	ApplicationID    string `json:"applicationId"`
	VetsGov          int    `json:"vetsGov"`
	ES               int    `json:"es"`
}

// Stuck is a report row that has stayed in processing (102/103) too long.
type Stuck struct {
	FormSubmissionID int64         `json:"formSubmissionId"`
	ApplicationID    string        `json:"applicationId,omitempty"` // "" when vets.gov did not submit it
	Status           int           `json:"status"`
	SubmittedAt      time.Time     `json:"submittedAt"`
	For              time.Duration `json:"for"` // AsOf - SubmittedAt, nanoseconds
}

// Duplicate is a form_submission_id the report lists on more than one row.
type Duplicate struct {
	FormSubmissionID int64  `json:"formSubmissionId"`
	ApplicationID    string `json:"applicationId,omitempty"` // when vets.gov submitted it
	Rows             int    `json:"rows"`
}

// HasDiscrepancies says whether anything needs ES's or our attention.
func (r Result) HasDiscrepancies() bool { return r.Discrepancies() > 0 }

// Discrepancies sums the discrepancy counts: missing, unknown, mismatched, stuck and
// duplicated.
func (r Result) Discrepancies() int {
	return r.MissingFromESCount + r.UnknownCount + r.MismatchCount + r.StuckCount + r.DuplicateCount
}

// Summary is the result in one line, for tickets and workflow details:
//
//	2026-11-24: ES 1,204 rows, vets.gov 1,206 submitted; 2 missing from ES, 1 unknown, 0 mismatched, 3 stuck
//
// Duplicates are named only when there are some, as they are rare.
func (r Result) Summary() string {
	s := fmt.Sprintf("%s: ES %s rows, vets.gov %s submitted; %s missing from ES, %s unknown, %s mismatched, %s stuck",
		r.Date, thousands(r.ES.Total), thousands(r.VetsGov.Total), thousands(r.MissingFromESCount),
		thousands(r.UnknownCount), thousands(r.MismatchCount), thousands(r.StuckCount))
	if r.DuplicateCount > 0 {
		s += ", " + thousands(r.DuplicateCount) + " duplicated"
	}
	return s
}

// thousands writes n with comma separators: 1204 -> "1,204".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
