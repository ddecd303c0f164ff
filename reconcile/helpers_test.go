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
	est     = time.FixedZone("EST", -5*3600)
	morning = time.Date(2026, 11, 24, 9, 0, 0, 0, est)
	// The report of the 24th is cut off at 02:00 on the 25th, ES's clock.
	cutOff   = time.Date(2026, 11, 25, 2, 0, 0, 0, est)
	asOf     = time.Date(2026, 11, 25, 6, 0, 0, 0, est) // the scheduled run, after the cut-off
	defaults = Options{AsOf: asOf}
)

func appID(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

// at is a time on the report's day.
func at(hour, minute int) time.Time { return time.Date(2026, 11, 24, hour, minute, 0, 0, est) }

// sub is a vets.gov submission ES acknowledged as id at 09:00 with 100 and, when status
// is not 100, later answered status at 09:30; vets.gov heard each a second later.
func sub(id int64, status int) Submission {
	s := Submission{ApplicationID: appID(int(id)), FormSubmissionID: id, Status: status, SubmittedAt: morning,
		Statuses: []StatusSeen{{Status: 100, At: morning, LearnedAt: morning.Add(time.Second)}}}
	if status != 100 {
		s.Statuses = append(s.Statuses, StatusSeen{Status: status, At: at(9, 30), LearnedAt: at(9, 30).Add(time.Second)})
	}
	return s
}

// history is a vets.gov submission acknowledged as id at 09:00, with the statuses ES gave
// it (status, ES's timeStamp) learned a second after each.
func history(id int64, seen ...any) Submission {
	s := Submission{ApplicationID: appID(int(id)), FormSubmissionID: id, SubmittedAt: morning}
	for i := 0; i < len(seen); i += 2 {
		st, t := seen[i].(int), seen[i+1].(time.Time)
		s.Statuses = append(s.Statuses, StatusSeen{Status: st, At: t, LearnedAt: t.Add(time.Second)})
		s.Status = st
	}
	return s
}

// unacked is an application vets.gov received at t that ES never acknowledged.
func unacked(n int, t time.Time, gaveUp bool) Submission {
	return Submission{ApplicationID: appID(n), SubmittedAt: t, Failed: gaveUp}
}

// row is the report's row for sub(id, ...): ES received it at 09:00.
func row(id int64, status int) enrollment.ReportRow {
	return enrollment.ReportRow{ReportDate: day, FormSubmissionID: id, ApplicationKey: appID(int(id)),
		StatusCode: status, SubmittedAt: morning, StatusAt: morning.Add(time.Minute)}
}

// foreign is a row ES got through another channel: no application key.
func foreign(id int64, status int) enrollment.ReportRow {
	r := row(id, status)
	r.ApplicationKey = ""
	return r
}

// received moves a row's submission (and status) time.
func received(r enrollment.ReportRow, t time.Time) enrollment.ReportRow {
	r.SubmittedAt, r.StatusAt = t, t
	return r
}

// rowsOf is a fetch that streams rows cut off at cutOff, numbering their lines after the
// header and cut-off lines, and counts them as the parser would.
func rowsOf(rows ...enrollment.ReportRow) Fetch { return rowsCutOff(cutOff, rows...) }

func rowsCutOff(c time.Time, rows ...enrollment.ReportRow) Fetch {
	return func(fn func(enrollment.ReportRow) error) (enrollment.ReportSummary, error) {
		sum := enrollment.ReportSummary{Date: day, CutOff: c, ByStatus: map[int]int{}}
		for i, r := range rows {
			r.Line = i + 3
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

// wantCounts checks the discrepancy counts: missing, unknown, mismatched, stuck,
// duplicated rows, second records, possible duplicates.
func wantCounts(t *testing.T, r Result, missing, unknown, mismatched, stuck, duplicated, extra, possible int) {
	t.Helper()
	got := []int{r.MissingFromESCount, r.UnknownCount, r.MismatchCount, r.StuckCount, r.DuplicateCount, r.ExtraRecordCount, r.PossibleDuplicateCount}
	want := []int{missing, unknown, mismatched, stuck, duplicated, extra, possible}
	if !slices.Equal(got, want) {
		t.Errorf("missing, unknown, mismatched, stuck, duplicated, second records, possible duplicates = %v, want %v", got, want)
	}
}
