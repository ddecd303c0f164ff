package reconcile

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

func TestCleanDay(t *testing.T) {
	vets := []Submission{sub(1, 104), sub(2, 101), sub(3, 100), sub(4, 100)}
	// 3: vets.gov saw 100, ES has it at 102: progress, not a discrepancy; submitted
	// recently enough not to be stuck.
	fresh := row(3, 102)
	fresh.SubmittedAt = asOf.Add(-time.Hour)
	res := mustReconcile(t, vets, rowsOf(row(1, 104), row(2, 101), fresh, row(4, 100)), defaults)

	wantCounts(t, res, 0, 0, 0, 0, 0)
	if res.HasDiscrepancies() || res.Truncated || res.Matched != 4 {
		t.Errorf("HasDiscrepancies %v, Truncated %v, Matched %d", res.HasDiscrepancies(), res.Truncated, res.Matched)
	}
	if res.ES.Total != 4 || !maps.Equal(res.ES.ByStatus, map[int]int{100: 1, 101: 1, 102: 1, 104: 1}) {
		t.Errorf("ES counts = %+v", res.ES)
	}
	if res.VetsGov.Total != 4 || !maps.Equal(res.VetsGov.ByStatus, map[int]int{100: 2, 101: 1, 104: 1}) {
		t.Errorf("vets.gov counts = %+v", res.VetsGov)
	}
	if !res.GeneratedAt.Equal(asOf) || res.StuckAfter != DefaultStuckAfter || res.Date != day {
		t.Errorf("GeneratedAt %v, StuckAfter %v, Date %s", res.GeneratedAt, res.StuckAfter, res.Date)
	}
	want := "2026-11-24: ES 4 rows, vets.gov 4 submitted; 0 missing from ES, 0 unknown, 0 mismatched, 0 stuck"
	if got := res.Summary(); got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
}

func TestMissingFromES(t *testing.T) {
	vets := []Submission{sub(1, 104), sub(2, 100), sub(3, 104), {ApplicationID: appID(9), Status: 100, SubmittedAt: morning}}
	res := mustReconcile(t, vets, rowsOf(row(2, 104)), defaults)
	wantCounts(t, res, 3, 0, 1, 0, 0) // 2: vets.gov 100, ES 104 final
	wantIDs(t, "missing", ids(res.MissingFromES, func(s Submission) int64 { return s.FormSubmissionID }), []int64{0, 1, 3})
	if res.MissingFromES[0].ApplicationID != appID(9) {
		t.Errorf("the unacknowledged submission listed first is %s", res.MissingFromES[0].ApplicationID)
	}
	if res.Matched != 1 {
		t.Errorf("Matched = %d, want 1", res.Matched)
	}
}

func TestUnknownToVetsGov(t *testing.T) {
	vets := []Submission{sub(1, 104)}
	res := mustReconcile(t, vets, rowsOf(foreign(70, 104), row(1, 104), foreign(50, 100)), defaults)
	wantCounts(t, res, 0, 2, 0, 0, 0)
	wantIDs(t, "unknown", ids(res.UnknownToVetsGov, func(r enrollment.ReportRow) int64 { return r.FormSubmissionID }), []int64{50, 70})
	if res.UnknownToVetsGov[0].Line != 4 || res.UnknownToVetsGov[1].Line != 2 {
		t.Errorf("unknown rows keep their report lines: %+v", res.UnknownToVetsGov)
	}
	if got := res.ES.Total; got != 3 {
		t.Errorf("ES total = %d, want 3", got)
	}
}

func TestStatusMismatch(t *testing.T) {
	cases := []struct {
		vets, es int
		want     bool
	}{
		{100, 102, false}, // progress vets.gov has not polled yet
		{100, 103, false},
		{103, 100, false},
		{102, 102, false},
		{104, 104, false},
		{101, 101, false},
		{100, 104, true}, // ES final, vets.gov behind
		{100, 101, true},
		{102, 104, true},
		{104, 101, true}, // final on both sides, different
		{101, 104, true},
		{104, 102, true}, // vets.gov final, ES not
		{101, 100, true},
	}
	for _, c := range cases {
		res := mustReconcile(t, []Submission{sub(7, c.vets)}, rowsOf(row(7, c.es)), Options{AsOf: morning.Add(time.Hour)})
		if got := res.MismatchCount == 1; got != c.want {
			t.Errorf("vets.gov %d, ES %d: mismatch %v, want %v", c.vets, c.es, got, c.want)
			continue
		}
		if c.want {
			want := Mismatch{FormSubmissionID: 7, ApplicationID: appID(7), VetsGov: c.vets, ES: c.es}
			if res.StatusMismatches[0] != want {
				t.Errorf("mismatch = %+v, want %+v", res.StatusMismatches[0], want)
			}
			wantCounts(t, res, 0, 0, 1, 0, 0)
		}
	}
}

func TestStuck(t *testing.T) {
	at := func(r enrollment.ReportRow, age time.Duration) enrollment.ReportRow {
		r.SubmittedAt, r.StatusAt = asOf.Add(-age), asOf.Add(-age)
		return r
	}
	vets := []Submission{sub(1, 100), sub(2, 100), sub(3, 100), sub(4, 100)}
	rows := rowsOf(
		at(row(1, 102), 30*time.Hour),      // stuck
		at(row(2, 103), 23*time.Hour),      // not yet
		at(row(3, 100), 48*time.Hour),      // 100 is not processing
		at(row(4, 103), 25*time.Hour),      // stuck
		at(foreign(90, 102), 26*time.Hour), // stuck, though vets.gov did not submit it
	)
	res := mustReconcile(t, vets, rows, defaults)
	wantCounts(t, res, 0, 1, 0, 3, 0)
	wantIDs(t, "stuck", ids(res.Stuck, func(s Stuck) int64 { return s.FormSubmissionID }), []int64{1, 4, 90})
	if s := res.Stuck[0]; s.For != 30*time.Hour || s.Status != 102 || s.ApplicationID != appID(1) {
		t.Errorf("stuck[0] = %+v", s)
	}

	res = mustReconcile(t, vets, rows, Options{AsOf: asOf, StuckAfter: 25*time.Hour + 30*time.Minute})
	wantIDs(t, "stuck after 25h30m", ids(res.Stuck, func(s Stuck) int64 { return s.FormSubmissionID }), []int64{1, 90})
}

// An application ES never acknowledged to vets.gov (a timed-out submit) is found by its
// key; the key takes one ES record only, and the id it brings is then known.
func TestFallbackMatchByApplicationKey(t *testing.T) {
	unacked := Submission{ApplicationID: appID(5), Status: 100, SubmittedAt: morning}
	first := row(500, 104)
	first.ApplicationKey = appID(5)
	again := row(500, 104) // same id again: a duplicate, not unknown
	again.ApplicationKey = appID(5)
	other := row(501, 104) // same key, another ES record: unknown
	other.ApplicationKey = appID(5)

	res := mustReconcile(t, []Submission{unacked, sub(1, 104)}, rowsOf(row(1, 104), first, again, other), defaults)
	wantCounts(t, res, 0, 1, 1, 0, 1)
	if res.Matched != 2 {
		t.Errorf("Matched = %d, want 2", res.Matched)
	}
	want := Mismatch{FormSubmissionID: 500, ApplicationID: appID(5), VetsGov: 100, ES: 104}
	if len(res.StatusMismatches) != 1 || res.StatusMismatches[0] != want {
		t.Errorf("mismatches = %+v, want %+v", res.StatusMismatches, want)
	}
	wantIDs(t, "unknown", ids(res.UnknownToVetsGov, func(r enrollment.ReportRow) int64 { return r.FormSubmissionID }), []int64{501})
	if d := res.Duplicates; len(d) != 1 || d[0] != (Duplicate{FormSubmissionID: 500, ApplicationID: appID(5), Rows: 2}) {
		t.Errorf("duplicates = %+v", d)
	}
}

func TestDuplicates(t *testing.T) {
	vets := []Submission{sub(1, 104), sub(2, 104)}
	late := row(1, 101) // a later row for 1 does not change how 1 is judged
	res := mustReconcile(t, vets, rowsOf(row(1, 104), foreign(80, 104), row(2, 104), late, foreign(80, 104), foreign(80, 104)), defaults)
	wantCounts(t, res, 0, 1, 0, 0, 2)
	want := []Duplicate{{FormSubmissionID: 1, ApplicationID: appID(1), Rows: 2}, {FormSubmissionID: 80, Rows: 3}}
	if len(res.Duplicates) != 2 || res.Duplicates[0] != want[0] || res.Duplicates[1] != want[1] {
		t.Errorf("duplicates = %+v, want %+v", res.Duplicates, want)
	}
	if res.ES.Total != 6 || res.Matched != 2 || res.DuplicateUnchecked != 0 {
		t.Errorf("ES total %d, matched %d, unchecked %d", res.ES.Total, res.Matched, res.DuplicateUnchecked)
	}
	if !res.HasDiscrepancies() || !strings.HasSuffix(res.Summary(), ", 2 duplicated") {
		t.Errorf("Summary() = %q", res.Summary())
	}
}

// The same application listed twice by vets.gov (a reset workflow leaves two runs) is
// one submission; one id claimed by two applications is refused.
func TestVetsGovListingCopies(t *testing.T) {
	unacked := Submission{ApplicationID: appID(1), Status: 100, SubmittedAt: morning.Add(-time.Hour)}
	older := sub(1, 100)
	newer := sub(1, 104)
	newer.SubmittedAt = morning.Add(time.Hour)
	res := mustReconcile(t, []Submission{unacked, older, newer, sub(2, 104)}, rowsOf(row(1, 104), row(2, 104)), defaults)
	wantCounts(t, res, 0, 0, 0, 0, 0)
	if res.VetsGov.Total != 2 || res.VetsGov.ByStatus[104] != 2 {
		t.Errorf("vets.gov counts = %+v, want 2 at 104", res.VetsGov)
	}

	clash := sub(1, 104)
	clash.ApplicationID = appID(99)
	_, err := Reconcile(day, []Submission{sub(1, 104), clash}, rowsOf(), defaults)
	if err == nil || !strings.Contains(err.Error(), "form_submission_id 1 belongs to two applications") {
		t.Errorf("err = %v", err)
	}
}

func TestMaxListedTruncatesListsNotCounts(t *testing.T) {
	var vets []Submission
	var rows []enrollment.ReportRow
	for i := range 10 {
		vets = append(vets, sub(int64(100+i), 104))      // missing
		rows = append(rows, foreign(int64(2000-i), 104)) // unknown, arriving highest first
		vets = append(vets, sub(int64(300+i), 101))      // mismatched
		rows = append(rows, row(int64(300+i), 104))
	}
	res := mustReconcile(t, vets, rowsOf(rows...), Options{AsOf: asOf, MaxListed: 3})
	wantCounts(t, res, 10, 10, 10, 0, 0)
	if !res.Truncated {
		t.Error("Truncated = false")
	}
	wantIDs(t, "missing", ids(res.MissingFromES, func(s Submission) int64 { return s.FormSubmissionID }), []int64{100, 101, 102})
	wantIDs(t, "unknown", ids(res.UnknownToVetsGov, func(r enrollment.ReportRow) int64 { return r.FormSubmissionID }), []int64{1991, 1992, 1993})
	wantIDs(t, "mismatched", ids(res.StatusMismatches, func(m Mismatch) int64 { return m.FormSubmissionID }), []int64{300, 301, 302})
}

func TestFetchErrorIsWrapped(t *testing.T) {
	notReady := func(func(enrollment.ReportRow) error) (enrollment.ReportSummary, error) {
		return enrollment.ReportSummary{}, fmt.Errorf("es fetchDailyReport %s: %w", day, enrollment.ErrReportNotReady)
	}
	_, err := Reconcile(day, nil, notReady, defaults)
	if !errors.Is(err, enrollment.ErrReportNotReady) || !strings.Contains(err.Error(), day) {
		t.Errorf("err = %v, want ErrReportNotReady wrapped with the date", err)
	}

	// A row of another day stops the stream.
	stray := row(1, 104)
	stray.ReportDate = "2026-11-23"
	_, err = Reconcile(day, nil, rowsOf(row(2, 104), stray), defaults)
	if err == nil || !strings.Contains(err.Error(), "row of 2026-11-23 in the report for 2026-11-24") {
		t.Errorf("err = %v", err)
	}
}

func TestFetchThatDropsRowsIsCaught(t *testing.T) {
	dropping := func(fn func(enrollment.ReportRow) error) (enrollment.ReportSummary, error) {
		return enrollment.ReportSummary{Date: day, Total: 2}, fn(row(1, 104))
	}
	_, err := Reconcile(day, []Submission{sub(1, 104)}, dropping, defaults)
	if err == nil || !strings.Contains(err.Error(), "the report counts 2 rows but 1 reached reconciliation") {
		t.Errorf("err = %v", err)
	}
}

func TestBadInputs(t *testing.T) {
	cases := []struct {
		date string
		opts Options
		want string
	}{
		{"24-11-2026", defaults, `date "24-11-2026" is not a YYYY-MM-DD date`},
		{"2026-11-31", defaults, `date "2026-11-31" is not a YYYY-MM-DD date`},
		{day, Options{}, "AsOf is required"},
		{day, Options{AsOf: asOf, StuckAfter: -time.Hour}, "StuckAfter -1h0m0s is negative"},
		{day, Options{AsOf: asOf, MaxListed: -1}, "MaxListed -1 is negative"},
	}
	for _, c := range cases {
		_, err := Reconcile(c.date, nil, rowsOf(), c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Reconcile(%q, %+v) err = %v, want %q", c.date, c.opts, err, c.want)
		}
	}
}

// The real parser as fetch: a CSV report written with enrollment's writer.
func TestReconcileThroughParser(t *testing.T) {
	var buf bytes.Buffer
	w, err := enrollment.NewReportWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []enrollment.ReportRow{row(1, 104), row(2, 101), foreign(3, 104)} {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	fetch := func(fn func(enrollment.ReportRow) error) (enrollment.ReportSummary, error) {
		return enrollment.ParseDailyReport(bytes.NewReader(buf.Bytes()), fn)
	}
	res := mustReconcile(t, []Submission{sub(1, 104), sub(2, 104)}, fetch, defaults)
	wantCounts(t, res, 0, 1, 1, 0, 0)
	if u := res.UnknownToVetsGov; len(u) != 1 || u[0].Line != 4 {
		t.Errorf("unknown = %+v, want the row on line 4", u)
	}
}

// A million-row report streams through while the heap stays bounded by the vets.gov
// submissions and MaxListed. Rows are generated inside fetch, never held in a slice.
func TestMillionRowReportMemoryIsBounded(t *testing.T) {
	const (
		rows  = 1_000_000
		vetsN = 1_000
		limit = 32 << 20
		base  = int64(40_000_000_000)
	)
	// vets.gov submitted every 1000th row's id, minus the last 10, which ES lost, plus
	// 10 more ES never lists; 5 of the matched ones disagree on status.
	var vets []Submission
	for i := range vetsN {
		id := base + int64(i)*1000
		if i >= vetsN-10 {
			id = base + rows + int64(i) // beyond the report
		}
		status := 104
		if i < 5 {
			status = 101
		}
		vets = append(vets, sub(id, status))
	}
	stale := morning.Add(-48 * time.Hour)

	var peak uint64
	var m runtime.MemStats
	sample := func() {
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapAlloc)
	}
	fetch := func(fn func(enrollment.ReportRow) error) (enrollment.ReportSummary, error) {
		sum := enrollment.ReportSummary{Date: day, ByStatus: map[int]int{}}
		for i := range rows {
			id := base + int64(i)
			r := enrollment.ReportRow{Line: i + 2, ReportDate: day, FormSubmissionID: id, StatusCode: 104,
				SubmittedAt: morning, StatusAt: morning.Add(time.Minute)}
			if i%1000 == 0 {
				r.ApplicationKey = appID(int(id))
			}
			if i%100 == 7 { // 1% of rows stuck in processing
				r.StatusCode, r.SubmittedAt = 103, stale
			}
			sum.Total++
			sum.ByStatus[r.StatusCode]++
			if err := fn(r); err != nil {
				return sum, err
			}
			if i%50_000 == 0 {
				sample()
			}
		}
		return sum, nil
	}

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	res, err := Reconcile(day, vets, fetch, defaults)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("Reconcile: %v", err)
	}
	sample()
	runtime.GC()
	runtime.ReadMemStats(&m)
	retained := int64(m.HeapAlloc) - int64(before.HeapAlloc)
	growth := int64(peak) - int64(before.HeapAlloc)
	t.Logf("%d rows against %d submissions in %v (%.0f rows/s); peak heap growth %.2f MiB, retained with the result %.2f MiB",
		rows, vetsN, elapsed.Round(time.Millisecond), rows/elapsed.Seconds(), float64(growth)/(1<<20), float64(retained)/(1<<20))

	const matched = vetsN - 10
	wantCounts(t, res, 10, rows-matched, 5, rows/100, 0)
	if res.ES.Total != rows || res.ES.ByStatus[103] != rows/100 || res.Matched != matched {
		t.Errorf("ES total %d, 103s %d, matched %d", res.ES.Total, res.ES.ByStatus[103], res.Matched)
	}
	if len(res.UnknownToVetsGov) != DefaultMaxListed || len(res.Stuck) != DefaultMaxListed || !res.Truncated {
		t.Errorf("listed %d unknown, %d stuck, truncated %v", len(res.UnknownToVetsGov), len(res.Stuck), res.Truncated)
	}
	if want := rows - matched - duplicateWatch; res.DuplicateUnchecked != want {
		t.Errorf("DuplicateUnchecked = %d, want %d", res.DuplicateUnchecked, want)
	}
	if growth > limit || retained > limit {
		t.Errorf("heap grew by %d bytes at peak, %d retained; limit %d", growth, retained, limit)
	}
}
