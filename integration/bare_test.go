package integration

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

// The bare workflow is the yardstick of the ticket's costs (issue 9): it takes the same
// three operator Updates as the standard lifecycle through a validator and does nothing
// else. It lives here, in test code, and never in the worker binary.

// lifecycle is the standard lifecycle after opening: escalate, start-fix, resolve.
var lifecycle = []struct {
	a ticket.Action
	r ticket.Request
}{
	{ticket.ActEscalate, ticket.Request{Actor: "bench", Comment: "several callers"}},
	{ticket.ActStartFix, ticket.Request{Actor: "bench"}},
	{ticket.ActResolve, ticket.Request{Actor: "bench", Comment: "fix deployed"}},
}

// BareWorkflow accepts the lifecycle's Updates in order and waits, as an open ticket does.
func BareWorkflow(ctx workflow.Context) error {
	return bareLifecycle(ctx, func(ctx workflow.Context, done int) {})
}

// FloorWorkflow is the bare workflow plus what any ticket must pay on an action, whatever
// its design: the status written as a search attribute (operators filter on it), and,
// with withDesk, a local activity that does nothing (the cheapest durable call from the
// action's workflow task, where the desk is written). It measures the floor under the
// ticket's latency on the server at hand; it is not the yardstick of the goal.
func FloorWorkflow(ctx workflow.Context, withDesk bool) error {
	return bareLifecycle(ctx, func(ctx workflow.Context, done int) {
		if withDesk {
			lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{StartToCloseTimeout: time.Second})
			_ = workflow.ExecuteLocalActivity(lctx, nothing, done).Get(ctx, nil)
		}
		_ = workflow.UpsertTypedSearchAttributes(ctx, workflows.TicketStatus.ValueSet(string(lifecycle[done-1].a)))
	})
}

// nothing is the floor's local activity.
func nothing(_ context.Context, n int) (int, error) { return n, nil }

// bareLifecycle takes the lifecycle's Updates through a validator, calling then after each.
func bareLifecycle(ctx workflow.Context, then func(ctx workflow.Context, done int)) error {
	done := 0
	for i, s := range lifecycle {
		err := workflow.SetUpdateHandlerWithOptions(ctx, string(s.a),
			func(ctx workflow.Context, req ticket.Request) (int, error) {
				done++
				then(ctx, done)
				return done, nil
			},
			workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, req ticket.Request) error {
				if done != i {
					return fmt.Errorf("%w: %s is not allowed now", ticket.ErrRejected, s.a)
				}
				return nil
			}})
		if err != nil {
			return err
		}
	}
	// Never true: like a resolved ticket, the bare workflow stays open after the lifecycle,
	// so both histories are counted at the same point.
	return workflow.Await(ctx, func() bool { return false })
}

// kind is what a lifecycle runs on: the bare workflow, a floor, or a ticket.
type kind string

const (
	kindBare       kind = "bare"
	kindTicket     kind = "ticket"
	kindStatus     kind = "bare+status"
	kindStatusDesk kind = "bare+status+la"
)

// lifecycleRun is one lifecycle's figures.
type lifecycleRun struct {
	latencies []time.Duration // one per action, as the operator waits for it
	events    int             // history events once nothing is pending
	tasks     []time.Duration // the workflow tasks after the first, from the history's times
}

// startFor opens a ticket, or starts a bare workflow, and waits for its first workflow task
// to complete: an operator acts on a ticket some time after it opened.
func startFor(ctx context.Context, k kind, ref string) (string, error) {
	id := workflows.TicketWorkflowID(ref)
	if k != kindTicket {
		id = "bare-" + ref
		opts := client.StartWorkflowOptions{ID: id, TaskQueue: workflows.TaskQueue}
		var err error
		if k == kindBare {
			_, err = env.client.ExecuteWorkflow(ctx, opts, BareWorkflow)
		} else {
			_, err = env.client.ExecuteWorkflow(ctx, opts, FloorWorkflow, k == kindStatusDesk)
		}
		if err != nil {
			return "", err
		}
	} else {
		if _, err := env.ops.Open(ctx, ticket.NewTicket{Ref: ref, Channel: ticket.ChannelPhone, Product: ticket.ProductOnline1010EZ,
			Summary: "benchmark ticket", Priority: ticket.PriorityLow, Reporter: "bench"}); err != nil {
			return "", err
		}
	}
	return id, quiesce(ctx, id)
}

// runLifecycle takes one workflow through the lifecycle, timing each action as the
// operator waits for it (the Update's answer), then counts its history once nothing is
// pending (the ticket's mirror to the desk included).
func runLifecycle(ctx context.Context, k kind, ref string) (lifecycleRun, error) {
	id, err := startFor(ctx, k, ref)
	if err != nil {
		return lifecycleRun{}, err
	}
	return actAndCount(ctx, id)
}

// act takes workflow id through the lifecycle's actions, timing each.
func act(ctx context.Context, id string) ([]time.Duration, error) {
	var lat []time.Duration
	for _, s := range lifecycle {
		t0 := time.Now()
		h, err := env.client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: id, UpdateName: string(s.a), Args: []any{s.r}, WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		if err == nil {
			err = h.Get(ctx, nil)
		}
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", s.a, id, err)
		}
		lat = append(lat, time.Since(t0))
	}
	return lat, nil
}

func actAndCount(ctx context.Context, id string) (lifecycleRun, error) {
	lat, err := act(ctx, id)
	if err != nil {
		return lifecycleRun{}, err
	}
	if err := quiesce(ctx, id); err != nil {
		return lifecycleRun{}, err
	}
	h, err := readHistory(ctx, id)
	return lifecycleRun{latencies: lat, events: h.events, tasks: h.tasks}, err
}

// quiesce waits until the workflow has no workflow task or activity pending, and no local
// activity under way (its history stops growing).
func quiesce(ctx context.Context, id string) error {
	deadline := time.Now().Add(30 * time.Second)
	last := -1
	for time.Now().Before(deadline) {
		d, err := env.client.DescribeWorkflowExecution(ctx, id, "")
		if err != nil {
			return err
		}
		n := int(d.WorkflowExecutionInfo.HistoryLength)
		if d.PendingWorkflowTask == nil && len(d.PendingActivities) == 0 && n >= 4 && n == last {
			return nil
		}
		last = n
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s still busy after 30 s", id)
}

// history is what the benchmark reads from a workflow's history.
type history struct {
	events int
	// tasks holds, for each workflow task after the first (one per action in a lifecycle),
	// the time from its start to its completion as the server recorded them: the worker's
	// share of the action, the desk's calls included. The rest of an action's time is the
	// server's: taking the Update, scheduling the task, persisting its completion, answering.
	tasks []time.Duration
}

func readHistory(ctx context.Context, id string) (history, error) {
	it := env.client.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var (
		h       history
		started time.Time
	)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return history{}, err
		}
		h.events++
		switch e.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED:
			started = e.GetEventTime().AsTime()
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			if e.GetEventId() > 4 { // the first task runs before anyone acts
				h.tasks = append(h.tasks, e.GetEventTime().AsTime().Sub(started))
			}
		}
	}
	return h, nil
}

// latencyRound has ops operators each take a fresh workflow of kind k through the
// lifecycle at once. The workflows are started, and left to finish their first task,
// before anyone acts, and counted after everyone is done: nothing but the actions runs
// while they are timed. It returns each operator's lifecycle.
func latencyRound(ctx context.Context, k kind, prefix string, ops int) ([]lifecycleRun, error) {
	ids := make([]string, ops)
	if err := each(ops, func(o int) (err error) {
		ids[o], err = startFor(ctx, k, fmt.Sprintf("%s-%d", prefix, o))
		return err
	}); err != nil {
		return nil, err
	}
	runs := make([]lifecycleRun, ops)
	if err := each(ops, func(o int) (err error) {
		runs[o].latencies, err = act(ctx, ids[o])
		return err
	}); err != nil {
		return nil, err
	}
	if err := each(ops, func(o int) error {
		if err := quiesce(ctx, ids[o]); err != nil {
			return err
		}
		h, err := readHistory(ctx, ids[o])
		runs[o].events, runs[o].tasks = h.events, h.tasks
		return err
	}); err != nil {
		return nil, err
	}
	return runs, nil
}

// each runs f(0..n-1) at once and returns the first error.
func each(n int, f func(i int) error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(i); err != nil {
				mu.Lock()
				first = cmp.Or(first, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}

// percentile is the nearest-rank percentile p (0-100) of ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(p/100*float64(len(s))+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

// TestLifecycleHistoryWithinBudget holds the ticket to issue 9's history budget: the
// standard lifecycle (open, escalate, start-fix, resolve, mirrored to the desk) costs at
// most 1.5 times the events of the bare workflow taking the same three Updates. Event
// counts are deterministic, so this is a test, not a benchmark.
func TestLifecycleHistoryWithinBudget(t *testing.T) {
	ctx := context.Background()
	ref := uniqueRef(t, "IT-BUDGET")
	bare, err := runLifecycle(ctx, kindBare, ref)
	if err != nil {
		t.Fatal(err)
	}
	tk, err := runLifecycle(ctx, kindTicket, ref)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("history events: bare %d, ticket %d, ratio %.2f", bare.events, tk.events, float64(tk.events)/float64(bare.events))
	if float64(tk.events) > 1.5*float64(bare.events) {
		t.Errorf("the ticket's lifecycle took %d history events, more than 1.5 × the bare workflow's %d", tk.events, bare.events)
	}
	recordHistory(t, workflows.TicketWorkflowID(ref), "", "lean_lifecycle")
	inc, ok := sdmIncident(ref)
	if !ok {
		t.Fatalf("no SDM incident for %s", ref)
	}
	if inc.Status != "RE" {
		t.Errorf("incident %s is %q, want RE (resolved) mirrored", inc.RefNum, inc.Status)
	}
}
