package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/reconcile"
)

// SubmissionLister lists what vets.gov submitted to ES on a day (from the submission
// workflows' search attributes).
type SubmissionLister interface {
	SubmittedOn(ctx context.Context, date string) ([]reconcile.Submission, error)
}

// Reports fetches the daily ES report and reconciles it. The result travels back to the
// workflow, where operators read it through Temporal; Store, when it has a folder, also
// keeps a copy as files.
type Reports struct {
	ES          *enrollment.Client
	Submissions SubmissionLister
	Store       reconcile.Store
}

// ReconcileInput names the day.
type ReconcileInput struct {
	Date       string        `json:"date"`
	StuckAfter time.Duration `json:"stuckAfter"`
}

// ReconcileOutcome is a reconciliation: the figures the workflow acts on, and the whole
// result (its lists capped at reconcile.DefaultMaxListed, to stay well under Temporal's
// payload limits).
type ReconcileOutcome struct {
	Ready         bool   `json:"ready"` // false: ES has not published the report yet
	Summary       string `json:"summary,omitempty"`
	Discrepancies bool   `json:"discrepancies"`
	ESRows        int    `json:"esRows"`
	Submitted     int    `json:"submitted"`
	Missing       int    `json:"missingFromES"`
	Unknown       int    `json:"unknownToVetsGov"`
	Mismatched    int    `json:"mismatched"`
	Stuck         int    `json:"stuck"`
	// Where the file copies are, when the worker keeps them (HCAOPS_REPORTS_DIR).
	JSONPath     string            `json:"jsonPath,omitempty"`
	MarkdownPath string            `json:"markdownPath,omitempty"`
	Result       *reconcile.Result `json:"result,omitempty"`
}

// ReconcileDailyReport streams the day's report from ES through the reconciliation. A
// report ES has not published yet is a normal outcome (Ready false), so the workflow
// decides when to ask again and when to escalate.
func (a *Reports) ReconcileDailyReport(ctx context.Context, in ReconcileInput) (ReconcileOutcome, error) {
	vets, err := a.Submissions.SubmittedOn(ctx, in.Date)
	if err != nil {
		return ReconcileOutcome{}, fmt.Errorf("list vets.gov submissions of %s: %w", in.Date, err)
	}
	rows := 0
	fetch := func(fn func(enrollment.ReportRow) error) (enrollment.ReportSummary, error) {
		return a.ES.FetchDailyReport(ctx, in.Date, func(r enrollment.ReportRow) error {
			if rows++; rows%10000 == 0 {
				activity.RecordHeartbeat(ctx, rows)
			}
			return fn(r)
		})
	}
	res, err := reconcile.Reconcile(in.Date, vets, fetch, reconcile.Options{StuckAfter: in.StuckAfter, AsOf: time.Now()})
	if errors.Is(err, enrollment.ErrReportNotReady) {
		return ReconcileOutcome{Ready: false}, nil
	}
	if err != nil {
		return ReconcileOutcome{}, classifyES("reconcile the ES report of "+in.Date, err)
	}
	out := ReconcileOutcome{
		Ready: true, Summary: res.Summary(), Discrepancies: res.HasDiscrepancies(),
		ESRows: res.ES.Total, Submitted: res.VetsGov.Total, Missing: res.MissingFromESCount, Unknown: res.UnknownCount,
		Mismatched: res.MismatchCount, Stuck: res.StuckCount, Result: &res,
	}
	if a.Store.Dir != "" {
		if out.JSONPath, out.MarkdownPath, err = a.Store.Save(res); err != nil {
			return ReconcileOutcome{}, fmt.Errorf("keep the reconciliation of %s: %w", in.Date, err)
		}
	}
	return out, nil
}
