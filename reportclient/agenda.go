package reportclient

import (
	"context"
	"fmt"
	"slices"
	"time"

	workflowpb "go.temporal.io/api/workflow/v1"

	"github.com/hcaops/hcaops/activities"
)

// Agenda returns the agenda of the ES call on callDate (YYYY-MM-DD), or the latest
// agenda when callDate is empty: the result of the latest completed agenda run.
func (c Client) Agenda(ctx context.Context, callDate string) (activities.Agenda, error) {
	if callDate != "" {
		if _, err := time.Parse(time.DateOnly, callDate); err != nil {
			return activities.Agenda{}, fmt.Errorf("date %q is not YYYY-MM-DD", callDate)
		}
	}
	var runs []*workflowpb.WorkflowExecutionInfo
	err := c.list(ctx, "WorkflowType = 'CallAgendaWorkflow' AND ExecutionStatus = 'Completed'", func(e *workflowpb.WorkflowExecutionInfo) error {
		runs = append(runs, e)
		return nil
	})
	if err != nil {
		return activities.Agenda{}, fmt.Errorf("list the agenda runs: %w", err)
	}
	slices.SortStableFunc(runs, func(a, b *workflowpb.WorkflowExecutionInfo) int {
		return b.GetCloseTime().AsTime().Compare(a.GetCloseTime().AsTime())
	})
	// Agendas are weekly, so reading results newest first finds a date after a few.
	for _, e := range runs {
		var ag activities.Agenda
		if err := c.Client.GetWorkflow(ctx, e.GetExecution().GetWorkflowId(), e.GetExecution().GetRunId()).Get(ctx, &ag); err != nil {
			return activities.Agenda{}, fmt.Errorf("read the agenda run %s: %w", e.GetExecution().GetWorkflowId(), err)
		}
		if callDate == "" || ag.CallDate == callDate {
			return ag, nil
		}
	}
	if callDate == "" {
		return activities.Agenda{}, fmt.Errorf("no agenda in Temporal yet: run esctl agenda run")
	}
	return activities.Agenda{}, fmt.Errorf("no agenda of the %s call in Temporal (closed runs are kept for the namespace's retention period)", callDate)
}
