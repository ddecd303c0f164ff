package reconcile

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

func TestCleanDay(t *testing.T) {
	vets := []Submission{sub(1, 104), sub(2, 101), sub(3, 100), sub(4, 102)}
	// 3: vets.gov saw 100, ES has it at 102: progress, not a discrepancy.
	res := mustReconcile(t, vets, rowsOf(row(1, 104), row(2, 101), row(3, 102), row(4, 102)), defaults)

	wantCounts(t, res, 0, 0, 0, 0, 0, 0, 0)
	if res.HasDiscrepancies() || res.Truncated || res.Matched != 4 {
		t.Errorf("HasDiscrepancies %v, Truncated %v, Matched %d", res.HasDiscrepancies(), res.Truncated, res.Matched)
	}
	if res.ES.Total != 4 || !maps.Equal(res.ES.ByStatus, map[int]int{101: 1, 102: 2, 104: 1}) {
		t.Errorf("ES counts = %+v", res.ES)
	}
	if res.VetsGov.Total != 4 || !maps.Equal(res.VetsGov.ByStatus, map[int]int{100: 1, 101: 1, 102: 1, 104: 1}) {
		t.Errorf("vets.gov counts = %+v", res.VetsGov)
	}
	if !res.GeneratedAt.Equal(asOf) || !res.CutOff.Equal(cutOff) || res.StuckAfter != 7*24*time.Hour || res.Date != day {
		t.Errorf("GeneratedAt %v, CutOff %v, StuckAfter %v, Date %s", res.GeneratedAt, res.CutOff, res.StuckAfter, res.Date)
	}
	want := "2026-11-24: ES 4 rows, vets.gov 4 submitted; 0 missing from ES, 0 unknown, 0 mismatched, 0 stuck"
	if got := res.Summary(); got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
}

// vets.gov's record is compared with the report as of the report's cut-off (02:00 on the
// 25th), not as of when reconciliation runs.
func TestStatusAsOfTheCutOff(t *testing.T) {
	afterCutOff := cutOff.Add(3 * time.Hour)
	cases := []struct {
		name string
		vets Submission
		es   int
		want bool // a mismatch
		// the status vets.gov is counted with, as of the cut-off
		counted int
	}{
		{"ES finished, vets.gov has not polled since", history(7, 100, morning), 104, false, 100},
		{"ES finished after the cut-off, vets.gov already heard", history(7, 100, morning, 104, afterCutOff), 102, false, 100},
		{"ES failed it after the cut-off, vets.gov already heard", history(7, 100, morning, 102, at(10, 0), 101, afterCutOff), 102, false, 102},
		{"the report is behind what ES answered before the cut-off", history(7, 100, morning, 104, at(20, 0)), 102, true, 104},
		{"final on both sides, different (vets.gov heard later)", history(7, 100, morning, 104, afterCutOff), 101, true, 100},
		{"final on both sides, different", history(7, 100, morning, 101, at(12, 0)), 104, true, 101},
		{"final on both sides, the same", history(7, 100, morning, 104, at(10, 0)), 104, false, 104},
		{"both in progress", history(7, 100, morning, 102, at(10, 0)), 103, false, 102},
		{"the report behind, in progress", history(7, 100, morning, 103, at(11, 0)), 100, false, 103},
		{"exactly at the cut-off counts as before it", history(7, 100, morning, 104, cutOff), 102, true, 104},
		// Records kept before statuses were noted: only the last status, at no known time.
		{"old record, final on both sides, different", Submission{ApplicationID: appID(7), FormSubmissionID: 7, Status: 101, SubmittedAt: morning}, 104, true, 101},
		{"old record, vets.gov final, ES in progress", Submission{ApplicationID: appID(7), FormSubmissionID: 7, Status: 104, SubmittedAt: morning}, 102, false, 104},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := mustReconcile(t, []Submission{c.vets}, rowsOf(row(7, c.es)), defaults)
			if got := res.MismatchCount == 1; got != c.want {
				t.Fatalf("mismatch %v, want %v (%+v)", got, c.want, res.StatusMismatches)
			}
			if res.VetsGov.Total != 1 || res.VetsGov.ByStatus[c.counted] != 1 {
				t.Errorf("vets.gov counted as %v, want status %d", res.VetsGov.ByStatus, c.counted)
			}
			if c.want != res.HasDiscrepancies() {
				t.Errorf("HasDiscrepancies = %v", res.HasDiscrepancies())
			}
		})
	}
	// The mismatch names the final status vets.gov holds.
	res := mustReconcile(t, []Submission{history(7, 100, morning, 104, afterCutOff)}, rowsOf(row(7, 101)), defaults)
	if want := (Mismatch{FormSubmissionID: 7, ApplicationID: appID(7), VetsGov: 104, ES: 101}); res.StatusMismatches[0] != want {
		t.Errorf("mismatch = %+v, want %+v", res.StatusMismatches[0], want)
	}
}

// An answer without ES's timeStamp is placed when vets.gov heard it.
func TestStatusWithoutTimeStamp(t *testing.T) {
	heardBefore := history(7, 100, morning)
	heardBefore.Statuses = append(heardBefore.Statuses, StatusSeen{Status: 104, LearnedAt: at(12, 0)})
	heardAfter := history(8, 100, morning)
	heardAfter.Statuses = append(heardAfter.Statuses, StatusSeen{Status: 104, LearnedAt: cutOff.Add(time.Minute)})
	res := mustReconcile(t, []Submission{heardBefore, heardAfter}, rowsOf(row(7, 102), row(8, 102)), defaults)
	wantIDs(t, "mismatched", ids(res.StatusMismatches, func(m Mismatch) int64 { return m.FormSubmissionID }), []int64{7})
}

// ES acknowledged 2 after the cut-off, and vets.gov received 9 after it with no answer
// yet: the report is not expected to list them. 3 was acknowledged at the cut-off itself.
func TestSubmissionsAfterTheCutOff(t *testing.T) {
	late := sub(2, 100)
	late.SubmittedAt = cutOff.Add(time.Second)
	atCutOff := sub(3, 100)
	atCutOff.SubmittedAt = cutOff
	res := mustReconcile(t, []Submission{sub(1, 104), late, atCutOff, unacked(9, cutOff.Add(time.Minute), false)}, rowsOf(row(1, 104)), defaults)
	wantCounts(t, res, 1, 0, 0, 0, 0, 0, 0)
	wantIDs(t, "missing", ids(res.MissingFromES, func(s Submission) int64 { return s.FormSubmissionID }), []int64{3})
	if res.AfterCutOffCount != 2 || len(res.AfterCutOff) != 2 || res.AfterCutOff[0].ApplicationID != appID(9) || res.AfterCutOff[1].FormSubmissionID != 2 {
		t.Errorf("after the cut-off: %d %+v", res.AfterCutOffCount, res.AfterCutOff)
	}
	if res.VetsGov.Total != 2 {
		t.Errorf("vets.gov counted %d submissions, want the 2 expected in the report", res.VetsGov.Total)
	}
	if want := "2026-11-24: ES 1 rows, vets.gov 2 submitted; 1 missing from ES, 0 unknown, 0 mismatched, 0 stuck, 2 after the cut-off"; res.Summary() != want {
		t.Errorf("Summary() = %q, want %q", res.Summary(), want)
	}

	// Nothing but late ones: a clean day.
	res = mustReconcile(t, []Submission{late}, rowsOf(), defaults)
	if res.HasDiscrepancies() {
		t.Errorf("a submission acknowledged after the cut-off raised %d discrepancies", res.Discrepancies())
	}
}

// A submission ES never acknowledged (no formSubmissionId) is missing unless ES lists it
// under its key; if vets.gov gave up on it and told the Veteran, ES listing it is a
// mismatch.
func TestNeverAcknowledged(t *testing.T) {
	stillTrying := unacked(20, at(10, 0), false)
	gaveUp := unacked(21, at(11, 0), true)
	listed := unacked(22, at(12, 0), false)
	listedGaveUp := unacked(23, at(13, 0), true)
	listedGaveUpFailed := unacked(24, at(14, 0), true)

	byKey := func(n int, id int64, status int) enrollment.ReportRow {
		r := row(id, status)
		r.ApplicationKey = appID(n)
		return r
	}
	res := mustReconcile(t, []Submission{stillTrying, gaveUp, listed, listedGaveUp, listedGaveUpFailed, sub(1, 104)},
		rowsOf(row(1, 104), byKey(22, 522, 102), byKey(23, 523, 104), byKey(24, 524, 101)), defaults)
	wantCounts(t, res, 2, 0, 1, 0, 0, 0, 0)
	if len(res.MissingFromES) != 2 || res.MissingFromES[0].ApplicationID != appID(20) || res.MissingFromES[1].ApplicationID != appID(21) {
		t.Errorf("missing = %+v", res.MissingFromES)
	}
	if want := (Mismatch{FormSubmissionID: 523, ApplicationID: appID(23), VetsGov: 101, ES: 104}); len(res.StatusMismatches) != 1 || res.StatusMismatches[0] != want {
		t.Errorf("mismatches = %+v, want %+v", res.StatusMismatches, want)
	}
	if res.Matched != 4 || res.VetsGov.Total != 6 || res.VetsGov.ByStatus[0] != 5 || res.VetsGov.ByStatus[104] != 1 {
		t.Errorf("matched %d, vets.gov counts %+v", res.Matched, res.VetsGov)
	}
}

// Rows without an application key that vets.gov did not send came through other
// channels: counted and shown, never a discrepancy.
func TestOtherChannelsAreCountedNotAlarmed(t *testing.T) {
	vets := []Submission{sub(1, 104), sub(2, 104)}
	res := mustReconcile(t, vets, rowsOf(foreign(70, 104), row(1, 104), foreign(50, 100), foreign(2, 104), foreign(71, 102)), defaults)
	wantCounts(t, res, 0, 0, 0, 0, 0, 0, 0)
	if res.HasDiscrepancies() {
		t.Errorf("rows of other channels raised %d discrepancies", res.Discrepancies())
	}
	// 2 has no key in the report but vets.gov knows its id: it is vets.gov's, not another channel's.
	if res.Matched != 2 || res.OtherChannels.Total != 3 || !maps.Equal(res.OtherChannels.ByStatus, map[int]int{100: 1, 102: 1, 104: 1}) {
		t.Errorf("matched %d, other channels %+v", res.Matched, res.OtherChannels)
	}
	if res.ES.Total != 5 {
		t.Errorf("ES total = %d, want every row", res.ES.Total)
	}
	want := "2026-11-24: ES 5 rows (3 from other channels), vets.gov 2 submitted; 0 missing from ES, 0 unknown, 0 mismatched, 0 stuck"
	if got := res.Summary(); got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
}

// A row whose application key vets.gov does not know is unknown.
func TestUnknownToVetsGov(t *testing.T) {
	stranger := row(60, 104)
	stranger.ApplicationKey = appID(6000)
	res := mustReconcile(t, []Submission{sub(1, 104)}, rowsOf(row(1, 104), stranger), defaults)
	wantCounts(t, res, 0, 1, 0, 0, 0, 0, 0)
	if u := res.UnknownToVetsGov; len(u) != 1 || u[0].FormSubmissionID != 60 || u[0].Line != 4 {
		t.Errorf("unknown = %+v", u)
	}
}

// Stuck is judged with the submission workflow's give-up time, as of the cut-off: a
// submission not finished (100, 102, 103) that long after ES received it.
func TestStuckAgreesWithTheGiveUpTime(t *testing.T) {
	giveUp := 7 * 24 * time.Hour
	old := func(id int64, status int, age time.Duration) enrollment.ReportRow {
		return received(row(id, status), cutOff.Add(-age))
	}
	vets := []Submission{sub(1, 100), sub(2, 100), sub(3, 100), sub(4, 100), sub(5, 100), sub(6, 100)}
	rows := rowsOf(
		old(1, 102, giveUp),                                      // exactly the give-up time: the workflow gives up at that instant too
		old(2, 103, giveUp-time.Second),                          // not yet
		old(3, 100, giveUp+time.Hour),                            // 100 is not finished either
		old(4, 104, 30*24*time.Hour),                             // finished
		old(5, 101, 30*24*time.Hour),                             // finished
		old(6, 102, 2*24*time.Hour),                              // the old 24-hour threshold would have called this stuck
		received(foreign(90, 102), cutOff.Add(-30*24*time.Hour)), // another channel's: not ours to alarm on
	)
	res := mustReconcile(t, vets, rows, Options{AsOf: asOf, StuckAfter: giveUp})
	wantIDs(t, "stuck", ids(res.Stuck, func(s Stuck) int64 { return s.FormSubmissionID }), []int64{1, 3})
	if s := res.Stuck[0]; s.For != giveUp || s.Status != 102 || s.ApplicationID != appID(1) {
		t.Errorf("stuck[0] = %+v", s)
	}
	if s := res.Stuck[1]; s.For != giveUp+time.Hour || s.Status != 100 {
		t.Errorf("stuck[1] = %+v", s)
	}
	// The default is the submission workflow's default give-up time.
	if got := mustReconcile(t, vets, rows, defaults); got.StuckCount != 2 || got.StuckAfter != 7*24*time.Hour {
		t.Errorf("default: %d stuck after %v", got.StuckCount, got.StuckAfter)
	}
	// Judged at the cut-off, not when reconciliation runs: a week later changes nothing.
	if got := mustReconcile(t, vets, rows, Options{AsOf: asOf.Add(7 * 24 * time.Hour), StuckAfter: giveUp}); got.StuckCount != 2 {
		t.Errorf("reconciled a week later: %d stuck, want 2", got.StuckCount)
	}
}

// An application ES never acknowledged to vets.gov (a timed-out submit) is found by its
// key; the key takes one ES record only, and another id under the same key is a second
// ES record of that application.
func TestFallbackMatchByApplicationKey(t *testing.T) {
	lost := unacked(5, morning, false)
	first := row(500, 104)
	first.ApplicationKey = appID(5)
	again := row(500, 104) // same id again: a duplicate row, not a second record
	again.ApplicationKey = appID(5)
	other := row(501, 104) // same key, another ES record
	other.ApplicationKey = appID(5)

	res := mustReconcile(t, []Submission{lost, sub(1, 104)}, rowsOf(row(1, 104), first, again, other), defaults)
	wantCounts(t, res, 0, 0, 0, 0, 1, 1, 0)
	if res.Matched != 2 {
		t.Errorf("Matched = %d, want 2", res.Matched)
	}
	if d := res.Duplicates; len(d) != 1 || d[0] != (Duplicate{FormSubmissionID: 500, ApplicationID: appID(5), Rows: 2}) {
		t.Errorf("duplicates = %+v", d)
	}
	want := ExtraRecord{ApplicationID: appID(5), FormSubmissionID: 500, ExtraID: 501, Status: 104, SubmittedAt: morning, Line: 6}
	if x := res.ExtraRecords; len(x) != 1 || x[0] != want {
		t.Errorf("second records = %+v, want %+v", x, want)
	}
}

// Two ES ids for one application key: ES holds the application twice.
func TestSecondRecordOfAnAcknowledgedApplication(t *testing.T) {
	second := row(800, 102)
	second.ApplicationKey = appID(1)
	repeated := second // the second record listed twice is also a duplicate row
	res := mustReconcile(t, []Submission{sub(1, 104)}, rowsOf(row(1, 104), second, repeated), defaults)
	wantCounts(t, res, 0, 0, 0, 0, 1, 1, 0)
	want := ExtraRecord{ApplicationID: appID(1), FormSubmissionID: 1, ExtraID: 800, Status: 102, SubmittedAt: morning, Line: 4}
	if x := res.ExtraRecords; len(x) != 1 || x[0] != want {
		t.Errorf("second records = %+v, want %+v", x, want)
	}
	if d := res.Duplicates; len(d) != 1 || d[0] != (Duplicate{FormSubmissionID: 800, Rows: 2}) {
		t.Errorf("duplicates = %+v", d)
	}
	if !strings.HasSuffix(res.Summary(), ", 1 duplicated, 1 second ES record") {
		t.Errorf("Summary() = %q", res.Summary())
	}
}

func TestDuplicateRows(t *testing.T) {
	stranger := row(80, 104)
	stranger.ApplicationKey = appID(8000)
	vets := []Submission{sub(1, 104), sub(2, 104)}
	late := row(1, 101) // a later row for 1 does not change how 1 is judged
	res := mustReconcile(t, vets, rowsOf(row(1, 104), stranger, row(2, 104), late, stranger, stranger, foreign(90, 104), foreign(90, 104)), defaults)
	// 80 is unknown (once) and repeated; 90 came through another channel, twice: not ours to alarm on.
	wantCounts(t, res, 0, 1, 0, 0, 2, 0, 0)
	want := []Duplicate{{FormSubmissionID: 1, ApplicationID: appID(1), Rows: 2}, {FormSubmissionID: 80, Rows: 3}}
	if len(res.Duplicates) != 2 || res.Duplicates[0] != want[0] || res.Duplicates[1] != want[1] {
		t.Errorf("duplicates = %+v, want %+v", res.Duplicates, want)
	}
	if res.ES.Total != 8 || res.OtherChannels.Total != 2 || res.Matched != 2 || res.DuplicateUnchecked != 0 {
		t.Errorf("ES total %d, other channels %d, matched %d, unchecked %d", res.ES.Total, res.OtherChannels.Total, res.Matched, res.DuplicateUnchecked)
	}
}

// A keyless row ES received while one of vets.gov's attempts went unanswered may be that
// attempt's record: flagged with the application. Outside every such window, or on a day
// with no unanswered attempt, keyless rows are other channels and raise nothing.
func TestPossibleDuplicates(t *testing.T) {
	// Application 5: the attempt sent at 10:00 timed out at 10:01; a retry got id 500.
	a := sub(500, 104)
	a.ApplicationID = appID(5)
	a.UnknownAttempts = []Attempt{{SentAt: at(10, 0), Until: at(10, 1)}}
	mine := row(500, 104)
	mine.ApplicationKey = appID(5)
	rows := []enrollment.ReportRow{
		mine,
		received(foreign(900, 104), at(10, 2)),  // inside 10:00..10:01, widened by 5 minutes: 09:55..10:06
		received(foreign(901, 104), at(9, 55)),  // the window's first instant
		received(foreign(902, 104), at(10, 6)),  // its last instant
		received(foreign(903, 104), at(9, 54)),  // before it
		received(foreign(904, 102), at(10, 30)), // after it
	}
	res := mustReconcile(t, []Submission{a}, rowsOf(rows...), defaults)
	wantCounts(t, res, 0, 0, 0, 0, 0, 0, 3)
	wantIDs(t, "possible duplicates", ids(res.PossibleDuplicates, func(p PossibleDuplicate) int64 { return p.FormSubmissionID }), []int64{900, 901, 902})
	if p := res.PossibleDuplicates[0]; p != (PossibleDuplicate{FormSubmissionID: 900, Status: 104, SubmittedAt: at(10, 2), ApplicationID: appID(5), Line: 4}) {
		t.Errorf("possible duplicate = %+v", p)
	}
	if res.OtherChannels.Total != 2 || !strings.HasSuffix(res.Summary(), ", 3 possible duplicates") {
		t.Errorf("other channels %d; Summary() = %q", res.OtherChannels.Total, res.Summary())
	}

	// The same rows on a day when every attempt was answered: nothing to flag.
	a.UnknownAttempts = nil
	res = mustReconcile(t, []Submission{a}, rowsOf(rows...), defaults)
	if res.HasDiscrepancies() || res.OtherChannels.Total != 5 {
		t.Errorf("no unanswered attempt: %d discrepancies, %d other channels", res.Discrepancies(), res.OtherChannels.Total)
	}

	// A narrower allowance for clock differences narrows the window: 09:59..10:02.
	a.UnknownAttempts = []Attempt{{SentAt: at(10, 0), Until: at(10, 1)}}
	res = mustReconcile(t, []Submission{a}, rowsOf(rows...), Options{AsOf: asOf, ClockSkew: time.Minute})
	wantIDs(t, "possible duplicates, 1m skew", ids(res.PossibleDuplicates, func(p PossibleDuplicate) int64 { return p.FormSubmissionID }), []int64{900})
}

// Overlapping windows of two applications: a row is flagged once, with the attempt that
// started last before it.
func TestPossibleDuplicateWindowsOverlap(t *testing.T) {
	a, b := unacked(5, at(9, 0), false), unacked(6, at(9, 0), false)
	a.UnknownAttempts = []Attempt{{SentAt: at(10, 0), Until: at(10, 30)}} // 09:55..10:35
	b.UnknownAttempts = []Attempt{{SentAt: at(10, 10), Until: at(10, 11)}, {SentAt: at(14, 0), Until: at(14, 1)}}
	res := mustReconcile(t, []Submission{a, b}, rowsOf(
		received(foreign(1, 104), at(9, 58)),  // a only
		received(foreign(2, 104), at(10, 9)),  // both: b started later
		received(foreign(3, 104), at(10, 20)), // a only (b's window ended 10:16)
		received(foreign(4, 104), at(13, 57)), // b's second attempt
		received(foreign(5, 104), at(12, 0)),  // neither
	), defaults)
	got := map[int64]string{}
	for _, p := range res.PossibleDuplicates {
		got[p.FormSubmissionID] = p.ApplicationID
	}
	want := map[int64]string{1: appID(5), 2: appID(6), 3: appID(5), 4: appID(6)}
	if !maps.Equal(got, want) || res.PossibleDuplicateCount != 4 || res.OtherChannels.Total != 1 {
		t.Errorf("possible duplicates %v (count %d), want %v; other channels %d", got, res.PossibleDuplicateCount, want, res.OtherChannels.Total)
	}
	// Both applications are also missing: ES never acknowledged either.
	if res.MissingFromESCount != 2 {
		t.Errorf("missing = %d, want 2", res.MissingFromESCount)
	}
}

// The same application listed twice by vets.gov (a reset workflow leaves two runs) is
// one submission; one id claimed by two applications is refused.
func TestVetsGovListingCopies(t *testing.T) {
	lost := unacked(1, morning.Add(-time.Hour), false)
	older := sub(1, 100)
	newer := sub(1, 104)
	newer.SubmittedAt = morning.Add(time.Hour)
	res := mustReconcile(t, []Submission{lost, older, newer, sub(2, 104)}, rowsOf(row(1, 104), row(2, 104)), defaults)
	wantCounts(t, res, 0, 0, 0, 0, 0, 0, 0)
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
		vets = append(vets, sub(int64(100+i), 104)) // missing
		stranger := row(int64(2000-i), 104)         // unknown, arriving highest first
		stranger.ApplicationKey = appID(9000 + i)
		rows = append(rows, stranger)
		vets = append(vets, sub(int64(300+i), 101)) // mismatched
		rows = append(rows, row(int64(300+i), 104))
	}
	res := mustReconcile(t, vets, rowsOf(rows...), Options{AsOf: asOf, MaxListed: 3})
	wantCounts(t, res, 10, 10, 10, 0, 0, 0, 0)
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
		return enrollment.ReportSummary{Date: day, CutOff: cutOff, Total: 2}, fn(row(1, 104))
	}
	_, err := Reconcile(day, []Submission{sub(1, 104)}, dropping, defaults)
	if err == nil || !strings.Contains(err.Error(), "the report counts 2 rows but 1 reached reconciliation") {
		t.Errorf("err = %v", err)
	}
	_, err = Reconcile(day, nil, rowsCutOff(time.Time{}), defaults)
	if err == nil || !strings.Contains(err.Error(), "the report names no cut-off") {
		t.Errorf("no cut-off: err = %v", err)
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
		{day, Options{AsOf: asOf, ClockSkew: -time.Second}, "ClockSkew -1s is negative"},
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
	w, err := enrollment.NewReportWriter(&buf, cutOff)
	if err != nil {
		t.Fatal(err)
	}
	stranger := row(4, 104)
	stranger.ApplicationKey = appID(4000)
	for _, r := range []enrollment.ReportRow{row(1, 104), row(2, 101), foreign(3, 104), stranger} {
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
	wantCounts(t, res, 0, 1, 1, 0, 0, 0, 0)
	if u := res.UnknownToVetsGov; len(u) != 1 || u[0].Line != 6 {
		t.Errorf("unknown = %+v, want the row on line 6", u)
	}
	if !res.CutOff.Equal(cutOff) || res.OtherChannels.Total != 1 {
		t.Errorf("cut-off %v, other channels %d", res.CutOff, res.OtherChannels.Total)
	}
}

// An application listed only for an unanswered attempt of the day (ES dates the
// submission itself on another day) is not judged here: not missing, but its attempt
// still flags a keyless row received meanwhile.
func TestApplicationListedForItsAttemptsOnly(t *testing.T) {
	elsewhere := Submission{ApplicationID: appID(5), AttemptsOnly: true,
		UnknownAttempts: []Attempt{{SentAt: at(23, 58), Until: at(23, 59)}}}
	res := mustReconcile(t, []Submission{elsewhere}, rowsOf(received(foreign(900, 104), at(23, 59))), defaults)
	wantCounts(t, res, 0, 0, 0, 0, 0, 0, 1)
	if res.VetsGov.Total != 0 || res.AfterCutOffCount != 0 || res.PossibleDuplicates[0].ApplicationID != appID(5) {
		t.Errorf("vets.gov %d, after the cut-off %d, possible %+v", res.VetsGov.Total, res.AfterCutOffCount, res.PossibleDuplicates)
	}
}

// An application ES refused outright (a validation fault, no formSubmissionId) is not in
// ES's report and is not missing: vets.gov already told the Veteran and raised ESSUB.
func TestRefusedByESIsNotMissing(t *testing.T) {
	refused := unacked(30, at(10, 0), true)
	refused.Refused = true
	res := mustReconcile(t, []Submission{refused, unacked(31, at(11, 0), true), sub(1, 104)}, rowsOf(row(1, 104)), defaults)
	wantCounts(t, res, 1, 0, 0, 0, 0, 0, 0) // 31: gave up with no answer at all
	if res.RefusedByESCount != 1 || res.RefusedByES[0].ApplicationID != appID(30) || res.MissingFromES[0].ApplicationID != appID(31) {
		t.Errorf("refused %d %+v, missing %+v", res.RefusedByESCount, res.RefusedByES, res.MissingFromES)
	}
	if want := "2026-11-24: ES 1 rows, vets.gov 2 submitted; 1 missing from ES, 0 unknown, 0 mismatched, 0 stuck, 1 refused by ES"; res.Summary() != want {
		t.Errorf("Summary() = %q, want %q", res.Summary(), want)
	}
}
