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
// cut short. Its JSON is the daily report workflow's result: fields are only ever added.
type Result struct {
	Date        string        `json:"date"`            // the report's day, YYYY-MM-DD (ES's day)
	GeneratedAt time.Time     `json:"generatedAt"`     // Options.AsOf
	CutOff      time.Time     `json:"cutOff,omitzero"` // the instant both sides are compared as of
	StuckAfter  time.Duration `json:"stuckAfter"`      // the threshold Stuck was judged by (nanoseconds)
	ES          Counts        `json:"es"`              // rows in ES's report
	VetsGov     Counts        `json:"vetsGov"`         // vets.gov's submissions ES should list, by status as of the cut-off (0: none yet)
	Matched     int           `json:"matched"`         // vets.gov submissions found in the report
	// Rows with no application key that no vets.gov submission claims: ES received them
	// through other channels (paper, phone, in person, VOA). Counted and shown, never a
	// discrepancy.
	OtherChannels Counts `json:"otherChannels"`

	// vets.gov submitted it (or received it and never got an answer from ES) by the
	// cut-off; the report does not list it.
	MissingFromES      []Submission `json:"missingFromEs"`
	MissingFromESCount int          `json:"missingFromEsCount"`
	// ES acknowledged it (or vets.gov received it) after the cut-off: the report is not
	// expected to list it. Not a discrepancy.
	AfterCutOff      []Submission `json:"afterCutOff,omitempty"`
	AfterCutOffCount int          `json:"afterCutOffCount,omitempty"`
	// ES refused these with a validation fault and gave no formSubmissionId: vets.gov
	// already told the Veteran and raised ESSUB. Not expected in the report; not a
	// discrepancy.
	RefusedByES      []Submission `json:"refusedByEs,omitempty"`
	RefusedByESCount int          `json:"refusedByEsCount,omitempty"`
	// The report lists it with an application key vets.gov does not know.
	UnknownToVetsGov []enrollment.ReportRow `json:"unknownToVetsGov"`
	UnknownCount     int                    `json:"unknownCount"`
	// Both know it and a final status (101 or 104) on either side disagrees, as of the
	// cut-off.
	StatusMismatches []Mismatch `json:"statusMismatches"`
	MismatchCount    int        `json:"mismatchCount"`
	// ES has not finished it (100, 102, 103) StuckAfter after receiving it, at the cut-off.
	Stuck      []Stuck `json:"stuck"`
	StuckCount int     `json:"stuckCount"`
	// A form_submission_id on more than one row of the report.
	Duplicates     []Duplicate `json:"duplicates"`
	DuplicateCount int         `json:"duplicateCount"`
	// A second ES record of a vets.gov application: its key under another id.
	ExtraRecords     []ExtraRecord `json:"extraRecords,omitempty"`
	ExtraRecordCount int           `json:"extraRecordCount,omitempty"`
	// A row of another channel that ES received while one of vets.gov's submit attempts
	// went unanswered: it may be that attempt's record, a duplicate of the application.
	PossibleDuplicates     []PossibleDuplicate `json:"possibleDuplicates,omitempty"`
	PossibleDuplicateCount int                 `json:"possibleDuplicateCount,omitempty"`
	// Keyed rows unknown to vets.gov whose id could not be remembered for the duplicate
	// check (see duplicateWatch): a later repeat of one of them would be counted as
	// unknown, not as a duplicate. 0 means the duplicate check covered the whole report.
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

// Mismatch is a submission whose status on vets.gov's side contradicts ES's report.
type Mismatch struct {
	FormSubmissionID int64  `json:"formSubmissionId"`
	ApplicationID    string `json:"applicationId"`
	VetsGov          int    `json:"vetsGov"` // the final status vets.gov holds (101 also when it gave up unacknowledged)
	ES               int    `json:"es"`
}

// Stuck is a submission ES has not finished in the submission workflow's give-up time.
type Stuck struct {
	FormSubmissionID int64         `json:"formSubmissionId"`
	ApplicationID    string        `json:"applicationId,omitempty"`
	Status           int           `json:"status"`
	SubmittedAt      time.Time     `json:"submittedAt"`
	For              time.Duration `json:"for"` // CutOff - SubmittedAt, nanoseconds
}

// Duplicate is a form_submission_id the report lists on more than one row.
type Duplicate struct {
	FormSubmissionID int64  `json:"formSubmissionId"`
	ApplicationID    string `json:"applicationId,omitempty"` // when vets.gov submitted it
	Rows             int    `json:"rows"`
}

// ExtraRecord is a report row that carries a vets.gov application's key under another
// id than that application's ES record: ES holds two records of one application.
type ExtraRecord struct {
	ApplicationID    string    `json:"applicationId"`
	FormSubmissionID int64     `json:"formSubmissionId"` // the application's record (0 if ES never acknowledged one)
	ExtraID          int64     `json:"extraId"`          // the other record
	Status           int       `json:"status"`
	SubmittedAt      time.Time `json:"submittedAt"`
	Line             int       `json:"line"`
}

// PossibleDuplicate is a row of another channel received while an attempt to submit
// ApplicationID went unanswered.
type PossibleDuplicate struct {
	FormSubmissionID int64     `json:"formSubmissionId"`
	Status           int       `json:"status"`
	SubmittedAt      time.Time `json:"submittedAt"`
	ApplicationID    string    `json:"applicationId"` // whose unanswered attempt it may be
	Line             int       `json:"line"`
}

// HasDiscrepancies says whether anything needs ES's or our attention.
func (r Result) HasDiscrepancies() bool { return r.Discrepancies() > 0 }

// Discrepancies sums the discrepancy counts: missing, unknown, mismatched, stuck,
// duplicated rows, second records and possible duplicates. Rows of other channels and
// submissions after the cut-off are not discrepancies.
func (r Result) Discrepancies() int {
	return r.MissingFromESCount + r.UnknownCount + r.MismatchCount + r.StuckCount + r.DuplicateCount +
		r.ExtraRecordCount + r.PossibleDuplicateCount
}

// Summary is the result in one line, for tickets and workflow details:
//
//	2026-11-24: ES 1,204 rows (98 from other channels), vets.gov 1,106 submitted; 2 missing from ES, 1 unknown, 0 mismatched, 3 stuck
//
// Rarer figures are named only when there are some.
func (r Result) Summary() string {
	s := fmt.Sprintf("%s: ES %s rows", r.Date, thousands(r.ES.Total))
	if r.OtherChannels.Total > 0 {
		s += " (" + thousands(r.OtherChannels.Total) + " from other channels)"
	}
	s += fmt.Sprintf(", vets.gov %s submitted; %s missing from ES, %s unknown, %s mismatched, %s stuck",
		thousands(r.VetsGov.Total), thousands(r.MissingFromESCount),
		thousands(r.UnknownCount), thousands(r.MismatchCount), thousands(r.StuckCount))
	for _, x := range []struct {
		n         int
		one, many string
	}{
		{r.DuplicateCount, "duplicated", "duplicated"},
		{r.ExtraRecordCount, "second ES record", "second ES records"},
		{r.PossibleDuplicateCount, "possible duplicate", "possible duplicates"},
		{r.AfterCutOffCount, "after the cut-off", "after the cut-off"},
		{r.RefusedByESCount, "refused by ES", "refused by ES"},
	} {
		switch {
		case x.n == 1:
			s += ", 1 " + x.one
		case x.n > 1:
			s += ", " + thousands(x.n) + " " + x.many
		}
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
