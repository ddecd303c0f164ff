package reconcile

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

// Submission is what vets.gov knows of one application it submitted (from its own
// records; no PII).
type Submission struct {
	ApplicationID    string    `json:"applicationId"`    // our UUID, the ES application_key
	FormSubmissionID int64     `json:"formSubmissionId"` // 0 if ES never acknowledged it
	Status           int       `json:"status"`           // last status vets.gov saw
	SubmittedAt      time.Time `json:"submittedAt"`
}

// Options tune a reconciliation; the zero value of a field means its default.
type Options struct {
	// A row in 102/103 whose SubmittedAt is older than AsOf-StuckAfter is stuck
	// (default 24h).
	StuckAfter time.Duration
	// When the reconciliation runs. Required: it is passed in, never read from the
	// clock, so that the same inputs give the same result.
	AsOf time.Time
	// Cap on each list of items kept in the result (default 1000); counts are always
	// complete.
	MaxListed int
}

const (
	DefaultStuckAfter = 24 * time.Hour
	DefaultMaxListed  = 1000
)

// duplicateWatch is how many ids of rows unknown to vets.gov are remembered to spot a
// repeat (about 2 MiB). Rows vets.gov knows are always checked, through the index; the
// unknown ones can be any number, and remembering them all would make memory grow with
// the report.
const duplicateWatch = 1 << 16

// Fetch streams the report: it calls fn once per row and returns the report's summary,
// e.g. a closure over (*enrollment.Client).FetchDailyReport or ParseDailyReport. An error
// from fn must stop it and come back wrapped.
type Fetch func(fn func(enrollment.ReportRow) error) (enrollment.ReportSummary, error)

// Reconcile streams ES's report for date through fetch and compares it with vets, what
// vets.gov submitted that day. Rows are matched by form_submission_id, or by application
// key for a submission ES never acknowledged to vets.gov.
//
// Every row of the report counts once: it matches a vets.gov submission, repeats an id
// already seen (a duplicate), or is unknown. A duplicated submission is judged by its
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
	run := newRun(date, ix, opts)
	sum, err := fetch(run.row)
	if err != nil {
		return Result{}, fmt.Errorf("reconcile %s: ES daily report: %w", date, err)
	}
	if err := run.checkSummary(sum); err != nil {
		return Result{}, fmt.Errorf("reconcile %s: %w", date, err)
	}
	return run.result(), nil
}

func (o Options) withDefaults() (Options, error) {
	switch {
	case o.AsOf.IsZero():
		return o, errors.New("options: AsOf is required (the time of the reconciliation)")
	case o.StuckAfter < 0:
		return o, fmt.Errorf("options: StuckAfter %v is negative", o.StuckAfter)
	case o.MaxListed < 0:
		return o, fmt.Errorf("options: MaxListed %d is negative", o.MaxListed)
	}
	if o.StuckAfter == 0 {
		o.StuckAfter = DefaultStuckAfter
	}
	if o.MaxListed == 0 {
		o.MaxListed = DefaultMaxListed
	}
	return o, nil
}

// stuckFor says how long a submission has been in processing when that is too long.
func (o Options) stuckFor(status int, submittedAt time.Time) (time.Duration, bool) {
	if status != enrollment.StatusProcessingInProgress && status != enrollment.StatusProcessingPending {
		return 0, false
	}
	age := o.AsOf.Sub(submittedAt)
	return age, age > o.StuckAfter
}

// final statuses do not change any more.
func final(status int) bool {
	return status == enrollment.StatusSubmissionFailed || status == enrollment.StatusProcessed
}

// disagree is a status difference worth a ticket: one side has a final status the other
// does not share. vets.gov seeing 100 while ES is at 102 is only progress it has not
// polled yet.
func disagree(vets, es int) bool { return vets != es && (final(vets) || final(es)) }

// run is the state of one reconciliation while the report streams through it.
type run struct {
	date string
	opts Options
	ix   *index
	es   Counts

	unknown *lowest[enrollment.ReportRow]
	stuck   *lowest[Stuck]
	// Ids of unknown rows seen so far, with their row counts, up to duplicateWatch.
	seen      map[int64]int
	unchecked int
}

func newRun(date string, ix *index, opts Options) *run {
	return &run{
		date: date, opts: opts, ix: ix,
		es:      Counts{ByStatus: map[int]int{}},
		unknown: newLowest(opts.MaxListed, byRow),
		stuck:   newLowest(opts.MaxListed, byStuck),
		seen:    map[int64]int{},
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
	// A repeated id is a duplicate whatever its key says; only a new one may match by key.
	if n, ok := r.seen[row.FormSubmissionID]; ok {
		r.seen[row.FormSubmissionID] = n + 1
		return nil
	}
	if t, ok := r.ix.byApplicationKey(row); ok {
		t.take(row)
		return nil
	}
	if len(r.seen) < duplicateWatch {
		r.seen[row.FormSubmissionID] = 1
	} else {
		r.unchecked++
	}
	r.unknown.add(row)
	if d, ok := r.opts.stuckFor(row.StatusCode, row.SubmittedAt); ok {
		r.stuck.add(Stuck{FormSubmissionID: row.FormSubmissionID, ApplicationID: row.ApplicationKey,
			Status: row.StatusCode, SubmittedAt: row.SubmittedAt, For: d})
	}
	return nil
}

// checkSummary compares the rows that reached reconciliation with the report's own
// count, so a fetch that drops rows cannot pass for a clean day. A zero summary (a fetch
// that does not count) is taken on trust.
func (r *run) checkSummary(sum enrollment.ReportSummary) error {
	if sum.Date != "" && sum.Date != r.date {
		return fmt.Errorf("the report summary is for %s", sum.Date)
	}
	if (sum.Date != "" || sum.Total != 0) && sum.Total != r.es.Total {
		return fmt.Errorf("the report counts %d rows but %d reached reconciliation", sum.Total, r.es.Total)
	}
	return nil
}

// result judges vets.gov's submissions against the rows they matched.
func (r *run) result() Result {
	listed := r.opts.MaxListed
	missing := newLowest(listed, bySubmission)
	mismatches := newLowest(listed, byMismatch)
	dups := newLowest(listed, byDuplicate)
	res := Result{Date: r.date, GeneratedAt: r.opts.AsOf, StuckAfter: r.opts.StuckAfter, ES: r.es,
		VetsGov: Counts{ByStatus: map[int]int{}}}

	for i := range r.ix.subs {
		t := &r.ix.subs[i]
		res.VetsGov.add(t.sub.Status)
		if t.rows == 0 {
			missing.add(t.sub)
			continue
		}
		res.Matched++
		if t.rows > 1 {
			dups.add(Duplicate{FormSubmissionID: t.esID, ApplicationID: t.sub.ApplicationID, Rows: t.rows})
		}
		if disagree(t.sub.Status, t.esStatus) {
			mismatches.add(Mismatch{FormSubmissionID: t.esID, ApplicationID: t.sub.ApplicationID, VetsGov: t.sub.Status, ES: t.esStatus})
		}
		if d, ok := r.opts.stuckFor(t.esStatus, t.esSubmittedAt); ok {
			r.stuck.add(Stuck{FormSubmissionID: t.esID, ApplicationID: t.sub.ApplicationID,
				Status: t.esStatus, SubmittedAt: t.esSubmittedAt, For: d})
		}
	}
	for id, n := range r.seen {
		if n > 1 {
			dups.add(Duplicate{FormSubmissionID: id, Rows: n})
		}
	}

	res.MissingFromES, res.MissingFromESCount = missing.sorted(), missing.count
	res.UnknownToVetsGov, res.UnknownCount = r.unknown.sorted(), r.unknown.count
	res.StatusMismatches, res.MismatchCount = mismatches.sorted(), mismatches.count
	res.Stuck, res.StuckCount = r.stuck.sorted(), r.stuck.count
	res.Duplicates, res.DuplicateCount = dups.sorted(), dups.count
	res.DuplicateUnchecked = r.unchecked
	res.Truncated = missing.truncated() || r.unknown.truncated() || mismatches.truncated() ||
		r.stuck.truncated() || dups.truncated()
	return res
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
