package esfake

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

// fakeExtraIDBase numbers the report rows ES "has from elsewhere" (ReportExtra), far
// above the ids the fake assigns, and the same on every fetch of a date so that
// reconciliation sees a stable report.
const fakeExtraIDBase = 90_000_000_000

// serveReport serves the daily report of an ES local date: the submissions received
// that day, with their current status. application_key is empty: the VOA request has no
// place for vets.gov's application ID, so ES cannot know it. A date that has begun is served (today's report
// is the day so far); a future date is 404, as are ReportLate and ReportMissing.
func (f *Fake) serveReport(w http.ResponseWriter, r *http.Request) {
	date, ok := strings.CutSuffix(r.PathValue("file"), ".csv")
	day, err := time.ParseInLocation(time.DateOnly, date, esLocation)
	if !ok || err != nil {
		http.Error(w, "no such report: want /reports/daily/YYYY-MM-DD.csv", http.StatusNotFound)
		return
	}

	f.mu.Lock()
	x := &f.faults
	switch {
	case take(&x.Unavailable503):
		f.mu.Unlock()
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
		return
	case x.ReportLate || slices.Contains(x.ReportMissing, date) || day.After(f.now()):
		f.mu.Unlock()
		http.Error(w, "report not available", http.StatusNotFound)
		return
	}
	// The report describes ES as it is now: a past day's rows with their current status.
	cutOff := f.now()
	rows := f.reportRowsLocked(date, day, cutOff)
	f.mu.Unlock()

	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	rw, err := enrollment.NewReportWriter(w, cutOff)
	if err != nil {
		return
	}
	for _, row := range rows {
		if err := rw.Write(row); err != nil {
			return // the client went away
		}
	}
	_ = rw.Close()
}

// reportRowsLocked builds the rows of one day with the report faults applied.
func (f *Fake) reportRowsLocked(date string, day, cutOff time.Time) []enrollment.ReportRow {
	var rows []enrollment.ReportRow
	for _, rec := range f.records {
		if rec.ReceivedAt.In(esLocation).Format(time.DateOnly) != date {
			continue
		}
		rows = append(rows, enrollment.ReportRow{
			ReportDate:       date,
			FormSubmissionID: rec.FormSubmissionID,
			StatusCode:       rec.Status,
			SubmittedAt:      rec.ReceivedAt,
			StatusAt:         rec.StatusAt,
		})
	}
	x := f.faults
	rows = rows[:len(rows)-min(x.ReportDrop, len(rows))]
	for i := range min(x.ReportStatusMismatch, len(rows)) {
		rows[i].StatusCode = mismatchedStatus(rows[i].StatusCode)
	}
	// Extra rows are stamped before the cut-off (at noon, or earlier on today's report).
	last := day.Add(12 * time.Hour)
	if cutOff.Before(last) {
		last = cutOff
	}
	dayNumber := int64(day.Unix()/86400) * 1000
	for i := range x.ReportExtra {
		at := last.Add(-time.Duration(x.ReportExtra-i) * time.Minute)
		rows = append(rows, enrollment.ReportRow{
			ReportDate:       date,
			FormSubmissionID: fakeExtraIDBase + dayNumber + int64(i),
			StatusCode:       enrollment.StatusProcessed,
			SubmittedAt:      at,
			StatusAt:         at,
		})
	}
	return rows
}

// mismatchedStatus is a plausible wrong status: a processed form reported as failed,
// anything else reported as processed.
func mismatchedStatus(real int) int {
	if real == enrollment.StatusProcessed {
		return enrollment.StatusSubmissionFailed
	}
	return enrollment.StatusProcessed
}
