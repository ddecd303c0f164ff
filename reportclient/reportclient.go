// Package reportclient is the client side of the reports hcaops produces: each day's
// reconciliation of ES's report, roll-ups of reconciled days, and the ES call's agenda.
// It reads them through Temporal, from the workflows' results and memos, so an operator
// reads them from any machine that reaches the Temporal service; nothing here reads the
// worker's disk.
//
// Closed runs are kept for the namespace's retention period: that is how far back a day
// or a roll-up can reach (see the README).
package reportclient

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/reconcile"
	"github.com/hcaops/hcaops/workflows"
)

// Client reads reports through a Temporal client.
type Client struct {
	Client    client.Client
	Namespace string
	// DataConverter decodes memos as the client's own converter does (a payload codec
	// encrypts them too); nil means the SDK's default.
	DataConverter converter.DataConverter
}

// ErrNoReconciliation is returned (wrapped) for a day Temporal holds no reconciliation of.
var ErrNoReconciliation = errors.New("no reconciliation")

// Run is one daily report run of a day.
type Run struct {
	WorkflowID, RunID string
	Status            enumspb.WorkflowExecutionStatus
	Closed            time.Time // zero while it runs
	Memo              workflows.DailyReportMemo
}

// Reconciliation returns the latest reconciliation of date. A day whose report never
// came, or is still awaited, is an error saying so (wrapping ErrNoReconciliation), with
// the ticket raised for it.
func (c Client) Reconciliation(ctx context.Context, date string) (workflows.DailyReportResult, Run, error) {
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return workflows.DailyReportResult{}, Run{}, fmt.Errorf("date %q is not YYYY-MM-DD", date)
	}
	runs, err := c.Runs(ctx, "")
	if err != nil {
		return workflows.DailyReportResult{}, Run{}, err
	}
	var waiting, missing *Run
	for i := range runs {
		r := &runs[i]
		if r.Memo.Date != date {
			continue
		}
		switch {
		case r.Status == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
			waiting = cmp.Or(waiting, r)
		case r.Status != enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED:
			continue
		case r.Memo.Outcome == workflows.ReportMissing:
			missing = cmp.Or(missing, r)
		default:
			res, err := c.result(ctx, *r)
			return res, *r, err
		}
	}
	switch {
	case waiting != nil:
		late := ""
		if waiting.Memo.Outcome == workflows.ReportLate {
			late = " (past its deadline: ticket ESREPORT-" + date + ")"
		}
		return workflows.DailyReportResult{}, *waiting, fmt.Errorf("%w of %s yet: ES's report is still awaited%s", ErrNoReconciliation, date, late)
	case missing != nil:
		return workflows.DailyReportResult{}, *missing, fmt.Errorf("%w of %s: ES's report never arrived (ticket ESREPORT-%s)", ErrNoReconciliation, date, date)
	}
	return workflows.DailyReportResult{}, Run{}, fmt.Errorf("%w of %s in Temporal (run `esctl report run %s`; closed runs are kept for the namespace's retention period)",
		ErrNoReconciliation, date, date)
}

func (c Client) result(ctx context.Context, r Run) (workflows.DailyReportResult, error) {
	var res workflows.DailyReportResult
	if err := c.Client.GetWorkflow(ctx, r.WorkflowID, r.RunID).Get(ctx, &res); err != nil {
		return res, fmt.Errorf("read the reconciliation of %s (%s): %w", r.Memo.Date, r.WorkflowID, err)
	}
	if res.Reconcile.Result == nil {
		return res, fmt.Errorf("the run %s reconciled %s before results were kept in Temporal", r.WorkflowID, r.Memo.Date)
	}
	return res, nil
}

// Figures returns the figures of every reconciled day from..to (inclusive, YYYY-MM-DD;
// empty means unbounded), the latest run's for a day reconciled more than once.
func (c Client) Figures(ctx context.Context, from, to string) ([]reconcile.Figures, error) {
	runs, err := c.Runs(ctx, "ExecutionStatus = 'Completed'")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []reconcile.Figures
	for _, r := range runs {
		f := r.Memo.Figures
		if f == nil || seen[f.Date] || (from != "" && f.Date < from) || (to != "" && f.Date > to) {
			continue
		}
		seen[f.Date] = true
		out = append(out, *f)
	}
	return out, nil
}

// Runs lists the daily report runs that say which day they are for (runs from before
// memos do not), latest first: running ones, then by close time. filter narrows the
// visibility query.
func (c Client) Runs(ctx context.Context, filter string) ([]Run, error) {
	q := "WorkflowType = 'DailyReportWorkflow'"
	if filter != "" {
		q += " AND " + filter
	}
	var runs []Run
	err := c.list(ctx, q, func(e *workflowpb.WorkflowExecutionInfo) error {
		p, ok := e.GetMemo().GetFields()[workflows.MemoReconciliation]
		if !ok {
			return nil
		}
		r := Run{WorkflowID: e.GetExecution().GetWorkflowId(), RunID: e.GetExecution().GetRunId(), Status: e.GetStatus()}
		if e.GetCloseTime() != nil {
			r.Closed = e.GetCloseTime().AsTime()
		}
		if err := c.converter().FromPayload(p, &r.Memo); err != nil {
			return fmt.Errorf("memo of %s: %w", r.WorkflowID, err)
		}
		runs = append(runs, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list the daily report runs: %w", err)
	}
	slices.SortStableFunc(runs, func(a, b Run) int {
		switch {
		case a.Closed.IsZero() != b.Closed.IsZero():
			if a.Closed.IsZero() {
				return -1
			}
			return 1
		}
		return b.Closed.Compare(a.Closed)
	})
	return runs, nil
}

func (c Client) converter() converter.DataConverter {
	if c.DataConverter != nil {
		return c.DataConverter
	}
	return converter.GetDefaultDataConverter()
}

// list pages through the workflows a visibility query finds.
func (c Client) list(ctx context.Context, query string, fn func(*workflowpb.WorkflowExecutionInfo) error) error {
	return temporalclient.EachWorkflow(ctx, c.Client, c.Namespace, query, 0, func(e *workflowpb.WorkflowExecutionInfo) (bool, error) {
		return true, fn(e)
	})
}
