package integration

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/rs/zerolog"
	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	updatepb "go.temporal.io/api/update/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/internal/app"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

// TestActionAfterDeadlineDuringWorkerDowntime is the order the time-skipping environment
// never produces: the worker is down while the acknowledgement deadline passes, an
// operator acknowledges, and the worker comes back to one workflow task holding both the
// fired timer and the Update. The SDK runs the Update handler before the main loop, so the
// acknowledgement stops the clock before the loop sees the timer. The breach must still be
// recorded, dated at the deadline, and reported once.
//
// Which of the two the SDK runs first, when one task holds both, is not promised, and under
// load the server has been seen to hand the fired timer over alone. The scenario is
// therefore tried up to three times: each try must record the breach right, and at least
// one must be the race this test is about, or the test fails.
func TestActionAfterDeadlineDuringWorkerDowntime(t *testing.T) {
	for try := 1; try <= 3; try++ {
		if raceWithDowntime(t, try) {
			return
		}
		t.Logf("try %d: the fired timer was handled before the Update; trying again", try)
	}
	t.Fatal("in 3 tries the Update never ran before the fired timer was handled: the race was not exercised")
}

// raceWithDowntime runs the scenario once, checks the breach, and reports whether the
// Update ran before the fired timer was handled.
func raceWithDowntime(t *testing.T, try int) bool {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	queue := fmt.Sprintf("it-clock-race-%d", time.Now().UnixNano())
	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	acts, err := app.NewActivities(cfg, env.client, env.namespace, zerolog.New(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	startWorker := func() worker.Worker {
		w := worker.New(env.client, queue, worker.Options{})
		app.Register(w, acts)
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		return w
	}

	p := ticket.DefaultPolicy()
	p.Acknowledge, p.AcknowledgeCalendar = 3*time.Second, "calendar"
	ref := fmt.Sprintf("%s-%d", uniqueRef(t, "IT-RACE"), try)
	id := workflows.TicketWorkflowID(ref)
	w1 := startWorker()
	run, err := env.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue},
		workflows.TicketWorkflow, workflows.TicketInput{
			New: ticket.NewTicket{Ref: ref, Channel: ticket.ChannelPhone, Product: ticket.ProductOnline1010EZ,
				Summary: "Form stops at the insurance page", Priority: ticket.PriorityMedium, Reporter: "hrc-agent-4"},
			Policy: &p,
			Then:   []ticket.Step{{Action: ticket.ActEscalate, Request: ticket.Request{Actor: "hrc-agent-4"}}},
		})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = env.client.TerminateWorkflow(context.Background(), id, "", "test over") }()
	var opened ticket.View
	eventually(t, 10*time.Second, "ticket answers its query", func() bool {
		v, err := env.client.QueryWorkflow(ctx, id, "", workflows.QueryTicket)
		return err == nil && v.Get(&opened) == nil
	})
	w1.Stop()
	deadline := opened.EscalatedAt.Add(p.Acknowledge)

	// The worker is down: wait until the deadline has passed and a timer fired unhandled.
	eventually(t, 20*time.Second, "the deadline passes with a fired timer in history", func() bool {
		if time.Now().Before(deadline.Add(time.Second)) {
			return false
		}
		it := env.client.GetWorkflowHistory(ctx, id, run.GetRunID(), false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		fired := false
		for it.HasNext() {
			e, err := it.Next()
			if err != nil {
				return false
			}
			fired = fired || e.GetEventType() == enumspb.EVENT_TYPE_TIMER_FIRED
		}
		return fired
	})

	updateID := "ack-" + ref
	acked := make(chan error, 1)
	go func() {
		h, err := env.client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: id, UpdateID: updateID, UpdateName: string(ticket.ActAcknowledge),
			Args: []any{ticket.Request{Actor: "vets-oncall"}}, WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		if err == nil {
			err = h.Get(ctx, nil)
		}
		acked <- err
	}()
	eventually(t, 10*time.Second, "the server holds the acknowledgement", func() bool {
		pctx, pcancel := context.WithTimeout(ctx, time.Second)
		defer pcancel()
		_, err := env.client.WorkflowService().PollWorkflowExecutionUpdate(pctx, &workflowservice.PollWorkflowExecutionUpdateRequest{
			Namespace:  env.namespace,
			UpdateRef:  &updatepb.UpdateRef{WorkflowExecution: &commonpb.WorkflowExecution{WorkflowId: id}, UpdateId: updateID},
			WaitPolicy: &updatepb.WaitPolicy{LifecycleStage: enumspb.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED},
		})
		var nf *serviceerror.NotFound
		return err == nil || !errors.As(err, &nf) && !errors.Is(err, context.DeadlineExceeded)
	})

	w2 := startWorker()
	defer w2.Stop()
	if err := <-acked; err != nil {
		t.Fatalf("acknowledge: %v", err)
	}
	var v ticket.View
	eventually(t, 15*time.Second, "the breach is reported", func() bool {
		q, err := env.client.QueryWorkflow(ctx, id, "", workflows.QueryTicket)
		if err != nil || q.Get(&v) != nil {
			return false
		}
		return len(v.Unreported()) == 0 && countActions(v.Timeline, "sla-breach") > 0
	})
	ack := v.Clock(ticket.ClockAcknowledge)
	if ack.Phase != "stopped" || !ack.BreachedAt.Equal(deadline) {
		t.Fatalf("acknowledge clock %s breached at %v, want stopped and breached at the deadline %v", ack.Phase, ack.BreachedAt, deadline)
	}
	if n := countActions(v.Timeline, "sla-breach"); n != 1 {
		t.Fatalf("%d breach events, want 1: %+v", n, v.Timeline)
	}
	if n := countActions(v.Timeline, "sla-warning"); n != 2 {
		t.Fatalf("%d warnings, want 2 (50%% and 75%%)", n)
	}
	if !v.Ticket.Breached() {
		t.Fatal("ticket view does not say breached")
	}
	// The order in the timeline shows which ran first: the acknowledgement (the Update)
	// before the warnings and breach means the race this test is about did happen.
	order := []string{}
	for _, e := range v.Timeline {
		order = append(order, e.Action)
	}
	if !slices.Equal(order, []string{"open", "escalate", "acknowledge", "sla-warning", "sla-warning", "sla-breach"}) {
		return false
	}
	recordHistory(t, id, "", "late_action_breach")
	return true
}

func countActions(tl []ticket.Event, action string) int {
	n := 0
	for _, e := range tl {
		if e.Action == action {
			n++
		}
	}
	return n
}
