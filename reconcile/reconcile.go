package reconcile

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

// Options tune a reconciliation; the zero value of a field means its default.
type Options struct {
	// A submission ES has not finished (100, 102, 103) this long after it received it,
	// as of the report's cut-off, is stuck. It is the submission workflow's own give-up
	// time (enrollment.SubmissionPolicy.GiveUpAfter), so the two never disagree.
	StuckAfter time.Duration
	// When the reconciliation runs (the result's GeneratedAt). Required: it is passed in,
	// never read from the clock, so that the same inputs give the same result. Nothing is
	// judged as of this instant: the report's cut-off is the instant compared.
	AsOf time.Time
	// Cap on each list of items kept in the result (default 200); counts are always
	// complete. The result travels through Temporal, so it must stay well under its
	// payload limits.
	MaxListed int
	// How far ES's clock and vets.gov's may differ when a row ES received from another
	// channel is matched to an unanswered attempt (default 5m).
	ClockSkew time.Duration
}

const (
	DefaultStuckAfter = 7 * 24 * time.Hour // enrollment.DefaultSubmissionPolicy().GiveUpAfter
	DefaultMaxListed  = 200
	DefaultClockSkew  = 5 * time.Minute
)

// duplicateWatch is how many ids of rows with an application key but no vets.gov
// submission are remembered to spot a repeat (about 2 MiB). They are rare (our keys come
// only from vets.gov), but a broken report could be all of them, and remembering them all
// would make memory grow with the report.
const duplicateWatch = 1 << 16

// Fetch streams the report: it calls fn once per row and returns the report's summary,
// e.g. a closure over (*enrollment.Client).FetchDailyReport or ParseDailyReport. An error
// from fn must stop it and come back wrapped.
type Fetch func(fn func(enrollment.ReportRow) error) (enrollment.ReportSummary, error)

// Reconcile streams ES's report for date through fetch and compares it with vets, what
// vets.gov submitted that day, both as of the report's cut-off. Rows are matched by
// form_submission_id, or by application key for a submission ES never acknowledged to
// vets.gov.
//
// Every row of the report counts once: it matches a vets.gov submission, repeats an id
// already seen (a duplicate), is a second ES record of a vets.gov application, is unknown
// (it has an application key vets.gov does not know), or came through another channel
// (no key). A row of another channel received while one of vets.gov's attempts went
// unanswered is a possible duplicate of it. A duplicated submission is judged by its
// first row. Memory is bounded by len(vets) + MaxListed, plus a fixed ~2 MiB for the
// duplicate check (duplicateWatch), whatever the size of the report.
// Errors from fetch come back wrapped with the date, so errors.Is(err,
// enrollment.ErrReportNotReady) still tells a late report.
func Reconcile(date string, vets []Submission, fetch Fetch, opts Options) (Result, error) {
	if _, err := parseDate(date); err != nil {
		return Result{}, fmt.Errorf("reconcile: %w", err)
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return Result{}, fmt.Errorf("reconcile %s: %w", date, err)
	}
	ix, err := newIndex(vets)
	if err != nil {
		return Result{}, fmt.Errorf("reconcile %s: %w", date, err)
	}
	run := newRun(date, ix, newWindows(vets, opts.ClockSkew), opts)
	sum, err := fetch(run.row)
	if err != nil {
		return Result{}, fmt.Errorf("reconcile %s: ES daily report: %w", date, err)
	}
	if err := run.checkSummary(sum); err != nil {
		return Result{}, fmt.Errorf("reconcile %s: %w", date, err)
	}
	return run.result(sum.CutOff), nil
}

func (o Options) withDefaults() (Options, error) {
	switch {
	case o.AsOf.IsZero():
		return o, errors.New("options: AsOf is required (the time of the reconciliation)")
	case o.StuckAfter < 0:
		return o, fmt.Errorf("options: StuckAfter %v is negative", o.StuckAfter)
	case o.MaxListed < 0:
		return o, fmt.Errorf("options: MaxListed %d is negative", o.MaxListed)
	case o.ClockSkew < 0:
		return o, fmt.Errorf("options: ClockSkew %v is negative", o.ClockSkew)
	}
	if o.StuckAfter == 0 {
		o.StuckAfter = DefaultStuckAfter
	}
	if o.MaxListed == 0 {
		o.MaxListed = DefaultMaxListed
	}
	if o.ClockSkew == 0 {
		o.ClockSkew = DefaultClockSkew
	}
	return o, nil
}

// run is the state of one reconciliation while the report streams through it.
type run struct {
	date    string
	opts    Options
	ix      *index
	windows windows
	es      Counts
	other   Counts // rows of other channels

	unknown  *lowest[enrollment.ReportRow]
	extra    *lowest[ExtraRecord]
	possible *lowest[PossibleDuplicate]
	// Ids of keyed rows no submission claims, with their row counts, up to duplicateWatch.
	seen      map[int64]int
	unchecked int
}

func newRun(date string, ix *index, w windows, opts Options) *run {
	return &run{
		date: date, opts: opts, ix: ix, windows: w,
		es:       Counts{ByStatus: map[int]int{}},
		other:    Counts{ByStatus: map[int]int{}},
		unknown:  newLowest(opts.MaxListed, byRow),
		extra:    newLowest(opts.MaxListed, byExtra),
		possible: newLowest(opts.MaxListed, byPossible),
		seen:     map[int64]int{},
	}
}

// row takes one row of the report.
func (r *run) row(row enrollment.ReportRow) error {
	if row.ReportDate != r.date {
		return fmt.Errorf("row of %s in the report for %s", row.ReportDate, r.date)
	}
	r.es.add(row.StatusCode)
	if t, ok := r.ix.byFormID(row.FormSubmissionID); ok {
		t.take(row)
		return nil
	}
	if row.ApplicationKey == "" {
		// Another channel's record, unless it came in while an attempt of ours went unanswered.
		if app, ok := r.windows.find(row.SubmittedAt); ok {
			r.possible.add(PossibleDuplicate{FormSubmissionID: row.FormSubmissionID, Status: row.StatusCode,
				SubmittedAt: row.SubmittedAt, ApplicationID: app, Line: row.Line})
			return nil
		}
		r.other.add(row.StatusCode)
		return nil
	}
	// A repeated id is a duplicate whatever its key says; only a new one may match by key.
	if n, ok := r.seen[row.FormSubmissionID]; ok {
		r.seen[row.FormSubmissionID] = n + 1
		return nil
	}
	t, matched, found := r.ix.byApplicationKey(row)
	if matched {
		t.take(row)
		return nil
	}
	if len(r.seen) < duplicateWatch {
		r.seen[row.FormSubmissionID] = 1
	} else {
		r.unchecked++
	}
	if found {
		r.extra.add(ExtraRecord{ApplicationID: t.sub.ApplicationID, FormSubmissionID: cmp.Or(t.sub.FormSubmissionID, t.esID),
			ExtraID: row.FormSubmissionID, Status: row.StatusCode, SubmittedAt: row.SubmittedAt, Line: row.Line})
		return nil
	}
	r.unknown.add(row)
	return nil
}

// checkSummary compares the rows that reached reconciliation with the report's own
// count, so a fetch that drops rows cannot pass for a clean day, and requires the
// cut-off every judgement is made as of.
func (r *run) checkSummary(sum enrollment.ReportSummary) error {
	switch {
	case sum.Date != "" && sum.Date != r.date:
		return fmt.Errorf("the report summary is for %s", sum.Date)
	case sum.Total != r.es.Total:
		return fmt.Errorf("the report counts %d rows but %d reached reconciliation", sum.Total, r.es.Total)
	case sum.CutOff.IsZero():
		return errors.New("the report names no cut-off")
	}
	return nil
}

// result judges vets.gov's submissions against the rows they matched, as of cutOff.
func (r *run) result(cutOff time.Time) Result {
	listed := r.opts.MaxListed
	missing := newLowest(listed, bySubmission)
	late := newLowest(listed, bySubmission)
	refused := newLowest(listed, bySubmission)
	mismatches := newLowest(listed, byMismatch)
	stuck := newLowest(listed, byStuck)
	dups := newLowest(listed, byDuplicate)
	res := Result{Date: r.date, GeneratedAt: r.opts.AsOf, CutOff: cutOff, StuckAfter: r.opts.StuckAfter,
		ES: r.es, OtherChannels: r.other, VetsGov: Counts{ByStatus: map[int]int{}}}

	for i := range r.ix.subs {
		t := &r.ix.subs[i]
		if t.rows == 0 && t.sub.FormSubmissionID == 0 && t.sub.Refused {
			refused.add(t.sub)
			continue
		}
		if t.rows == 0 && !t.sub.expected(cutOff) {
			late.add(t.sub)
			continue
		}
		asOf, known := t.sub.statusAsOf(cutOff)
		if len(t.sub.Statuses) == 0 {
			asOf = t.sub.Status // a record kept before statuses were noted: its last one
		}
		res.VetsGov.add(asOf) // 0: ES had given vets.gov no status by the cut-off
		if t.rows == 0 {
			missing.add(t.sub)
			continue
		}
		res.Matched++
		if t.rows > 1 {
			dups.add(Duplicate{FormSubmissionID: t.esID, ApplicationID: t.sub.ApplicationID, Rows: t.rows})
		}
		if vets, bad := disagree(t.sub, asOf, known, t.esStatus); bad {
			mismatches.add(Mismatch{FormSubmissionID: t.esID, ApplicationID: t.sub.ApplicationID, VetsGov: vets, ES: t.esStatus})
		}
		if age := cutOff.Sub(t.esSubmittedAt); !final(t.esStatus) && age >= r.opts.StuckAfter {
			stuck.add(Stuck{FormSubmissionID: t.esID, ApplicationID: t.sub.ApplicationID,
				Status: t.esStatus, SubmittedAt: t.esSubmittedAt, For: age})
		}
	}
	for id, n := range r.seen {
		if n > 1 {
			dups.add(Duplicate{FormSubmissionID: id, Rows: n})
		}
	}

	res.MissingFromES, res.MissingFromESCount = missing.sorted(), missing.count
	res.AfterCutOff, res.AfterCutOffCount = late.sorted(), late.count
	res.RefusedByES, res.RefusedByESCount = refused.sorted(), refused.count
	res.UnknownToVetsGov, res.UnknownCount = r.unknown.sorted(), r.unknown.count
	res.StatusMismatches, res.MismatchCount = mismatches.sorted(), mismatches.count
	res.Stuck, res.StuckCount = stuck.sorted(), stuck.count
	res.Duplicates, res.DuplicateCount = dups.sorted(), dups.count
	res.ExtraRecords, res.ExtraRecordCount = r.extra.sorted(), r.extra.count
	res.PossibleDuplicates, res.PossibleDuplicateCount = r.possible.sorted(), r.possible.count
	res.DuplicateUnchecked = r.unchecked
	res.Truncated = missing.truncated() || late.truncated() || refused.truncated() || r.unknown.truncated() || mismatches.truncated() ||
		stuck.truncated() || dups.truncated() || r.extra.truncated() || r.possible.truncated()
	return res
}

// disagree says whether ES's status in the report contradicts vets.gov, and which
// status of vets.gov's it contradicts. vets.gov being behind is never a contradiction: ES
// finished a submission vets.gov has not polled since, or vets.gov learned of a status ES
// set after the cut-off. A contradiction is a final status on one side the other does
// not share:
//   - vets.gov's status as of the cut-off is final and the report says otherwise (the
//     report is behind what ES itself answered);
//   - both are final and differ, whenever vets.gov learned its own;
//   - vets.gov gave up on an application ES never acknowledged, yet ES lists it.
func disagree(s Submission, asOf int, known bool, es int) (vets int, bad bool) {
	switch v := s.verdict(); {
	case known && final(asOf) && es != asOf:
		return asOf, true
	case v != 0 && final(es) && es != v:
		return v, true
	case s.FormSubmissionID == 0 && s.Failed && es != enrollment.StatusSubmissionFailed:
		return v, true
	}
	return 0, false
}

// Lists are ordered by form_submission_id; the tie-breakers only make the order total.

func bySubmission(a, b Submission) int {
	return cmp.Or(cmp.Compare(a.FormSubmissionID, b.FormSubmissionID), cmp.Compare(a.ApplicationID, b.ApplicationID),
		a.SubmittedAt.Compare(b.SubmittedAt))
}

func byRow(a, b enrollment.ReportRow) int {
	return cmp.Or(cmp.Compare(a.FormSubmissionID, b.FormSubmissionID), cmp.Compare(a.Line, b.Line))
}

func byMismatch(a, b Mismatch) int {
	return cmp.Or(cmp.Compare(a.FormSubmissionID, b.FormSubmissionID), cmp.Compare(a.ApplicationID, b.ApplicationID))
}

func byStuck(a, b Stuck) int {
	return cmp.Or(cmp.Compare(a.FormSubmissionID, b.FormSubmissionID), a.SubmittedAt.Compare(b.SubmittedAt),
		cmp.Compare(a.Status, b.Status))
}

func byDuplicate(a, b Duplicate) int { return cmp.Compare(a.FormSubmissionID, b.FormSubmissionID) }

func byExtra(a, b ExtraRecord) int {
	return cmp.Or(cmp.Compare(a.ExtraID, b.ExtraID), cmp.Compare(a.Line, b.Line))
}

func byPossible(a, b PossibleDuplicate) int {
	return cmp.Or(cmp.Compare(a.FormSubmissionID, b.FormSubmissionID), cmp.Compare(a.Line, b.Line))
}
