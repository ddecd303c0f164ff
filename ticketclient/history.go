package ticketclient

import (
	"context"
	"fmt"
	"sync"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	workflowpb "go.temporal.io/api/workflow/v1"

	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

// reading is the latest state of every ticket read for a report.
type reading struct {
	Tickets []ticket.Ticket
	// Unreadable counts tickets whose last run failed, was terminated or timed out: they
	// have no result, and a query would replay a broken run.
	Unreadable int
}

// TicketsSince reads every ticket still open or closed at or after since, from Temporal
// itself: the result of a completed workflow (the final ticket) and the query answer of a
// running one. A ticket that continued as new is read once, from its latest run (earlier
// runs end as ContinuedAsNew and are skipped), so its timeline and clocks are whole. It
// also returns how many tickets could not be read (failed, terminated or timed-out runs).
func (c Client) TicketsSince(ctx context.Context, since time.Time) ([]ticket.Ticket, int, error) {
	r, err := c.ticketsSince(ctx, since)
	return r.Tickets, r.Unreadable, err
}

func (c Client) ticketsSince(ctx context.Context, since time.Time) (reading, error) {
	q := fmt.Sprintf("WorkflowType = 'TicketWorkflow' AND (ExecutionStatus = 'Running' OR CloseTime >= '%s')",
		since.UTC().Format(time.RFC3339))
	var execs []*workflowpb.WorkflowExecutionInfo
	err := temporalclient.EachWorkflow(ctx, c.Client, c.Namespace, q, 0, func(e *workflowpb.WorkflowExecutionInfo) (bool, error) {
		execs = append(execs, e)
		return true, nil
	})
	if err != nil {
		return reading{}, fmt.Errorf("list tickets: %w", err)
	}

	var (
		mu      sync.Mutex
		out     reading
		firstEr error
		wg      sync.WaitGroup
		slots   = make(chan struct{}, 8)
	)
	seen := map[string]bool{}
	for _, e := range execs {
		id := e.GetExecution().GetWorkflowId()
		switch e.GetStatus() {
		case enumspb.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW:
			continue
		case enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED:
		default:
			out.Unreadable++
			continue
		}
		if seen[id] { // listed twice while a run continued as new during the listing
			continue
		}
		seen[id] = true
		running := e.GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING
		runID := e.GetExecution().GetRunId()
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			t, err := c.readTicket(ctx, id, runID, running)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstEr == nil {
					firstEr = err
				}
				return
			}
			out.Tickets = append(out.Tickets, t)
		}()
	}
	wg.Wait()
	if firstEr != nil {
		return reading{}, firstEr
	}
	return out, nil
}

// readTicket reads a running ticket's latest run by query, a completed one by its result.
func (c Client) readTicket(ctx context.Context, id, runID string, running bool) (ticket.Ticket, error) {
	if running {
		resp, err := c.Client.QueryWorkflow(ctx, id, "", workflows.QueryTicket)
		if err != nil {
			return ticket.Ticket{}, fmt.Errorf("query %s: %w", id, err)
		}
		var v ticket.View
		if err := resp.Get(&v); err != nil {
			return ticket.Ticket{}, fmt.Errorf("read %s: %w", id, err)
		}
		return v.Ticket, nil
	}
	var t *ticket.Ticket
	if err := c.Client.GetWorkflow(ctx, id, runID).Get(ctx, &t); err != nil {
		return ticket.Ticket{}, fmt.Errorf("result of %s: %w", id, err)
	}
	if t == nil {
		return ticket.Ticket{}, fmt.Errorf("result of %s is empty", id)
	}
	return *t, nil
}
