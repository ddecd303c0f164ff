package submissions

import (
	"context"
	"fmt"
	"strings"
	"time"

	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/converter"

	"github.com/hcaops/hcaops/report"
	"github.com/hcaops/hcaops/workflows"
)

// StatusesBetween lists the submissions ES acknowledged on the days from..to (inclusive,
// YYYY-MM-DD), from the submission workflows' search attributes.
// Each carries its SubmittedDate (ES local) and workflows.Submission* status.
func (c Client) StatusesBetween(ctx context.Context, from, to string) ([]report.Submission, error) {
	days, err := daysBetween(from, to)
	if err != nil {
		return nil, err
	}
	q := fmt.Sprintf("WorkflowType = 'SubmissionWorkflow' AND %s IN ('%s')", workflows.SubmittedDate.GetName(), strings.Join(days, "','"))
	var out []report.Submission
	dc := converter.GetDefaultDataConverter()
	err = c.list(ctx, q, func(e executionInfo) error {
		s := report.Submission{Status: c.outcome(e)}
		if p, ok := e.GetSearchAttributes().GetIndexedFields()[workflows.SubmittedDate.GetName()]; ok {
			_ = dc.FromPayload(p, &s.Date)
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

// DailyReportsBetween returns the outcome of the last completed reconciliation of each day
// from..to, from the daily report workflows' results.
func (c Client) DailyReportsBetween(ctx context.Context, from, to string) ([]report.DailyReport, error) {
	days, err := daysBetween(from, to)
	if err != nil {
		return nil, err
	}
	first, _ := time.Parse(time.DateOnly, days[0])
	// A day's report is reconciled on a later day; runs closed before the period cannot hold it.
	q := fmt.Sprintf("WorkflowType = 'DailyReportWorkflow' AND ExecutionStatus = 'Completed' AND CloseTime >= '%s'",
		first.Add(-24*time.Hour).UTC().Format(time.RFC3339))
	wanted := map[string]bool{}
	for _, d := range days {
		wanted[d] = true
	}
	latest := map[string]time.Time{}
	byDay := map[string]workflows.DailyReportResult{}
	var runs []executionInfo
	if err := c.list(ctx, q, func(e executionInfo) error { runs = append(runs, e); return nil }); err != nil {
		return nil, err
	}
	for _, e := range runs {
		// The memo names the run's day: fetch the results of the period's days only. Runs
		// from before the memo say nothing there, and their result tells.
		if p, ok := e.GetMemo().GetFields()[workflows.MemoReconciliation]; ok {
			var m workflows.DailyReportMemo
			if err := c.memo(p, &m); err == nil && !wanted[m.Date] {
				continue
			}
		}
		var res workflows.DailyReportResult
		if err := c.Client.GetWorkflow(ctx, e.GetExecution().GetWorkflowId(), e.GetExecution().GetRunId()).Get(ctx, &res); err != nil {
			return nil, fmt.Errorf("result of %s: %w", e.GetExecution().GetWorkflowId(), err)
		}
		closed := e.GetCloseTime().AsTime()
		if wanted[res.Date] && closed.After(latest[res.Date]) {
			latest[res.Date], byDay[res.Date] = closed, res
		}
	}
	out := make([]report.DailyReport, 0, len(byDay))
	for _, d := range days {
		if r, ok := byDay[d]; ok {
			rec := r.Reconcile
			out = append(out, report.DailyReport{Date: r.Date, Outcome: r.Outcome, ESRows: rec.ESRows, Submitted: rec.Submitted,
				MissingFromES: rec.Missing, UnknownToUs: rec.Unknown, Mismatched: rec.Mismatched, Stuck: rec.Stuck})
		}
	}
	return out, nil
}

type executionInfo = *workflowpb.WorkflowExecutionInfo

// daysBetween lists the dates from..to, inclusive; an empty or inverted period is refused.
func daysBetween(from, to string) ([]string, error) {
	f, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return nil, fmt.Errorf("date %q is not YYYY-MM-DD", from)
	}
	t, err := time.Parse(time.DateOnly, to)
	if err != nil {
		return nil, fmt.Errorf("date %q is not YYYY-MM-DD", to)
	}
	if t.Before(f) {
		return nil, fmt.Errorf("the period is empty: %s is after %s", from, to)
	}
	var out []string
	for d := f; !d.After(t); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(time.DateOnly))
	}
	return out, nil
}
