package simulation

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

// Outcome is what one ticket came to under one policy.
type Outcome struct {
	Ref         string
	Priority    ticket.Priority // at the end (targets follow priority changes)
	Verdicts    map[string]string
	Breaches    int // clocks that reached their target
	Escalations int // breach escalations and ES stall escalations
	Warnings    int
	Rejected    int // actions the state machine refused under this policy
	// BreachedAt is when each breached clock reached its target.
	BreachedAt map[string]time.Time
	State      ticket.State
}

// Simulate runs one ticket's traffic through TicketWorkflow in the time-skipping test
// environment, under policy, until the workflow ends or until `until`, whichever is first;
// the service desk and notification activities are stubbed (they do no I/O).
func Simulate(tt Ticket, policy ticket.Policy, until time.Time) (Outcome, error) {
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(logging.SDK{L: zerolog.New(io.Discard)})
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(tt.New.OpenedAt)
	// A year of ticket time passes in milliseconds; this only stops a workflow that hangs.
	env.SetTestTimeout(time.Minute)
	env.RegisterWorkflow(workflows.TicketWorkflow)
	registerStubs(env)

	in := workflows.TicketInput{New: tt.New, Policy: &policy, Version: workflows.TicketVersion}
	var mu sync.Mutex
	rejected := 0
	for _, e := range tt.Events {
		d := e.At.Sub(tt.New.OpenedAt)
		if d <= 0 {
			// Actions taken as the ticket opened are its opening steps, as for tickets hcaops opens.
			in.Then = append(in.Then, ticket.Step{Action: e.Action, Request: e.Request})
			continue
		}
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(string(e.Action), "", &testsuite.TestUpdateCallback{
				OnReject:   func(error) { mu.Lock(); rejected++; mu.Unlock() },
				OnAccept:   func() {},
				OnComplete: func(any, error) {},
			}, e.Request)
		}, d)
	}
	var last *ticket.Ticket
	if !until.IsZero() && until.After(tt.New.OpenedAt) {
		env.RegisterDelayedCallback(func() {
			if v, err := env.QueryWorkflow(workflows.QueryTicket); err == nil {
				var view ticket.View
				if v.Get(&view) == nil {
					last = &view.Ticket
				}
			}
			env.CancelWorkflow()
		}, until.Sub(tt.New.OpenedAt))
	}
	env.ExecuteWorkflow(workflows.TicketWorkflow, in)
	if !env.IsWorkflowCompleted() {
		return Outcome{}, fmt.Errorf("ticket %s: the workflow did not finish", tt.New.Ref)
	}
	var final *ticket.Ticket
	err := env.GetWorkflowError()
	switch {
	case err == nil:
		if err := env.GetWorkflowResult(&final); err != nil {
			return Outcome{}, fmt.Errorf("ticket %s: %w", tt.New.Ref, err)
		}
	case last != nil:
		final = last // still open at the end of the period
	default:
		return Outcome{}, fmt.Errorf("ticket %s: %w", tt.New.Ref, err)
	}
	return outcomeOf(final, rejected), nil
}

func outcomeOf(t *ticket.Ticket, rejected int) Outcome {
	o := Outcome{Ref: t.Ref, Priority: t.Priority, Verdicts: map[string]string{}, Rejected: rejected,
		BreachedAt: map[string]time.Time{}, State: t.State}
	for _, c := range t.Clocks {
		switch {
		case c.Phase == "not started":
			continue
		case c.Breached():
			o.Verdicts[c.Name] = "missed"
			o.BreachedAt[c.Name] = c.BreachedAt
			o.Breaches++
		case c.Phase == "stopped":
			o.Verdicts[c.Name] = "met"
		default:
			o.Verdicts[c.Name] = "pending"
		}
	}
	for _, e := range t.Timeline {
		switch e.Action {
		case "sla-breach", "es-stalled":
			o.Escalations++
		case "sla-warning":
			o.Warnings++
		}
	}
	return o
}

// registerStubs registers the ticket workflow's activities under their real names with
// stand-ins that do no I/O: the replay is about clocks and escalations, not the desk.
func registerStubs(env *testsuite.TestWorkflowEnvironment) {
	env.RegisterActivityWithOptions(func(_ context.Context, in activities.OpenIncidentInput) (ticket.IncidentLink, error) {
		return ticket.IncidentLink{System: "what-if", ID: in.Ticket.Ref, Number: in.Ticket.Ref}, nil
	}, activity.RegisterOptions{Name: "OpenIncident"})
	env.RegisterActivityWithOptions(func(context.Context, activities.MirrorInput) error { return nil },
		activity.RegisterOptions{Name: "MirrorTransition"})
	env.RegisterActivityWithOptions(func(context.Context, activities.Escalation) error { return nil },
		activity.RegisterOptions{Name: "NotifyEscalation"})
	env.RegisterActivityWithOptions(func(_ context.Context, in activities.DeliveryInput) (activities.DeliveryResult, error) {
		res := activities.DeliveryResult{Done: len(in.Items)}
		if in.Open != nil {
			res.Opened = &ticket.IncidentLink{System: "what-if", ID: in.Open.Ticket.Ref, Number: in.Open.Ticket.Ref}
		}
		return res, nil
	}, activity.RegisterOptions{Name: "DeliverOutbox"})
}
