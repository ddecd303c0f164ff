package reconcile

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

const day = "2026-11-24"

var (
	est      = time.FixedZone("EST", -5*3600)
	morning  = time.Date(2026, 11, 24, 9, 0, 0, 0, est)
	asOf     = time.Date(2026, 11, 25, 12, 0, 0, 0, est) // 27h after morning
	defaults = Options{AsOf: asOf}
)

func appID(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

// sub is a vets.gov submission acknowledged as id.
func sub(id int64, status int) Submission {
	return Submission{ApplicationID: appID(int(id)), FormSubmissionID: id, Status: status, SubmittedAt: morning}
}

// row is the report's row for sub(id, ...).
func row(id int64, status int) enrollment.ReportRow {
	return enrollment.ReportRow{ReportDate: day, FormSubmissionID: id, ApplicationKey: appID(int(id)),
		StatusCode: status, SubmittedAt: morning, StatusAt: morning.Add(time.Minute)}
}

// foreign is a row ES got from elsewhere: no application key.
func foreign(id int64, status int) enrollment.ReportRow {
	r := row(id, status)
	r.ApplicationKey = ""
	return r
}

// rowsOf is a fetch that streams rows, numbering their lines, and counts them as the
// parser would.
func rowsOf(rows ...enrollment.ReportRow) Fetch {
	return func(fn func(enrollment.ReportRow) error) (enrollment.ReportSummary, error) {
		sum := enrollment.ReportSummary{Date: day, ByStatus: map[int]int{}}
		for i, r := range rows {
			r.Line = i + 2
			sum.Total++
			sum.ByStatus[r.StatusCode]++
			if err := fn(r); err != nil {
				return sum, fmt.Errorf("line %d: %w", r.Line, err)
			}
		}
		return sum, nil
	}
}

func mustReconcile(t *testing.T, vets []Submission, fetch Fetch, opts Options) Result {
	t.Helper()
	res, err := Reconcile(day, vets, fetch, opts)
	if err != nil {
		t.Fatalf("Reconcile: %v", err)
	}
	return res
}

func ids[T any](items []T, id func(T) int64) []int64 {
	out := []int64{}
	for _, it := range items {
		out = append(out, id(it))
	}
	return out
}

func wantIDs(t *testing.T, what string, got, want []int64) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s ids = %v, want %v", what, got, want)
	}
}

// wantCounts checks the five discrepancy counts: missing, unknown, mismatched, stuck,
// duplicated.
func wantCounts(t *testing.T, r Result, missing, unknown, mismatched, stuck, duplicated int) {
	t.Helper()
	got := []int{r.MissingFromESCount, r.UnknownCount, r.MismatchCount, r.StuckCount, r.DuplicateCount}
	want := []int{missing, unknown, mismatched, stuck, duplicated}
	if !slices.Equal(got, want) {
		t.Errorf("missing, unknown, mismatched, stuck, duplicated = %v, want %v", got, want)
	}
}
