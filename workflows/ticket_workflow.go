// Package workflows holds the deterministic process code: one ticket workflow per support
// ticket. All I/O happens in package activities.
package workflows

import (
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/ticket"
)

// QueryTicket returns the ticket.View of a ticket.
const QueryTicket = "ticket"

// ErrTypeInvalidTicket is the failure type of a ticket whose input does not validate.
const ErrTypeInvalidTicket = "InvalidTicket"

// TicketInput starts a ticket, or carries one across continue-as-new.
type TicketInput struct {
	New ticket.NewTicket `json:"new"`
	// Policy is the set of service targets the ticket is measured against, chosen by
	// whoever opens it and kept in history; empty means ticket.DefaultPolicy().
	Policy *ticket.Policy `json:"policy,omitempty"`
	// Then are actions applied as the ticket opens, e.g. escalate and route to ES.
	Then []ticket.Step `json:"then,omitempty"`
	// Ticket and Outbox are set when the workflow continues as new.
	Ticket *ticket.Ticket `json:"ticket,omitempty"`
	Outbox []OutboxItem   `json:"outbox,omitempty"`
	// ContinueAfter continues as new after this many timeline events in one run, besides
	// whenever Temporal suggests it; 0 means only when suggested.
	ContinueAfter int `json:"continueAfter,omitempty"`
	// FromDesk is set for a ticket people opened in the service desk: its incident, and
	// what the desk shows, so the ticket links that incident rather than opening another.
	FromDesk *DeskOrigin `json:"fromDesk,omitempty"`
	// Version is the shape of the workflow the ticket was started with (TicketVersion);
	// 0 in histories from before it, which replay as they ran.
	Version int `json:"version,omitempty"`
}

// TicketVersion is the shape new tickets start with. 1: the lean history of issue 9
// (deliveries in one local activity per workflow task, one timer kept for the next
// wake, search attributes written only when they change).
const TicketVersion = 1

// ChangeLeanHistory versions the lean history for tickets started without a Version
// (by an older client): such a run switches at its first workflow task on a new worker.
// Tickets started with Version 1 skip the marker, which costs two history events (the
// marker and an upsert of TemporalChangeVersion) of a budget of about thirty.
const ChangeLeanHistory = "lean-history"

// TicketWorkflow runs one support ticket from HRC Tier 1 to closure: it applies operator
// actions (Updates), runs the service clocks, escalates breaches once, and mirrors every
// transition to the system of record.
func TicketWorkflow(ctx workflow.Context, in TicketInput) (*ticket.Ticket, error) {
	r := &ticketRun{outbox: in.Outbox, continueAfter: in.ContinueAfter, version: in.Version, metrics: workflow.GetMetricsHandler(ctx)}
	if r.version < TicketVersion && workflow.GetVersion(ctx, ChangeLeanHistory, workflow.DefaultVersion, 1) == 1 {
		r.version = TicketVersion
	}
	if in.Ticket != nil {
		r.t = in.Ticket
	} else {
		n := in.New
		if err := n.Validate(); err != nil {
			return nil, temporal.NewNonRetryableApplicationError("invalid ticket: "+err.Error(), ErrTypeInvalidTicket, nil)
		}
		n.Normalize()
		policy := ticket.DefaultPolicy()
		if in.Policy != nil {
			policy = *in.Policy
		}
		if err := policy.Validate(); err != nil {
			return nil, temporal.NewNonRetryableApplicationError("ticket policy: "+err.Error(), "InvalidPolicy", nil)
		}
		cals, err := ticket.NewCalendars(policy)
		if err != nil {
			return nil, temporal.NewNonRetryableApplicationError("ticket policy: "+err.Error(), "InvalidPolicy", nil)
		}
		now := workflow.Now(ctx)
		r.t = ticket.Open(n, policy, cals, now)
		if in.FromDesk != nil {
			r.openFromDesk(*in.FromDesk)
		} else {
			r.mirrorSince(0)
		}
		for _, step := range in.Then {
			if err := r.t.Check(step.Action, step.Request, now); err != nil {
				return nil, temporal.NewNonRetryableApplicationError("opening step: "+err.Error(), ErrTypeInvalidTicket, nil)
			}
			before := len(r.t.Timeline)
			r.t.Apply(step.Action, step.Request, cals, now)
			r.mirrorSince(before)
		}
		r.announce(activities.NoticeOpened)
	}
	cals, err := ticket.NewCalendars(r.t.Policy)
	if err != nil {
		return nil, temporal.NewNonRetryableApplicationError("ticket policy: "+err.Error(), "InvalidPolicy", nil)
	}
	r.cals = cals
	r.runStart = len(r.t.Timeline)

	if err := workflow.SetQueryHandler(ctx, QueryTicket, func() (ticket.View, error) {
		v := r.t.ViewAt(r.cals, workflow.Now(ctx))
		v.DeskPending = len(r.outbox) > 0
		return v, nil
	}); err != nil {
		return nil, err
	}
	if err := r.registerActions(ctx); err != nil {
		return nil, err
	}
	if err := r.registerDeskUpdates(ctx); err != nil {
		return nil, err
	}
	if r.lean() {
		r.shown = shownFromSearchAttributes(ctx)
	} else {
		workflow.Go(ctx, r.deliverOutbox)
	}
	return r.loop(ctx)
}

// ticketRun is the state of one run of the workflow; only t and outbox outlive it.
type ticketRun struct {
	t             *ticket.Ticket
	cals          ticket.Calendars
	outbox        []OutboxItem
	mirrorBusy    bool
	mirrorStop    bool
	changed       bool
	runStart      int
	continueAfter int
	shown         shownState
	metrics       client.MetricsHandler // replay-safe: see metrics.go
	// version is the workflow's shape (TicketVersion); lean runs deliver the outbox from
	// the loop and keep one timer for the next wake.
	version int
	wake    wakeTimer
}

// loop waits for an action or the next clock instant, whichever comes first, until the
// ticket closes or the run continues as new.
func (r *ticketRun) loop(ctx workflow.Context) (*ticket.Ticket, error) {
	for {
		now := workflow.Now(ctx)
		r.fireDueClocks(ctx, now)
		if r.t.State == ticket.StateResolved && !now.Before(r.t.CloseAt()) {
			r.t.Close(now)
			r.mirrorLast()
		}
		if r.lean() {
			r.flush(ctx)
		}
		r.show(ctx, now)
		if r.t.State.Terminal() {
			// Let in-flight updates answer and the system of record catch up before completing.
			if r.lean() {
				return r.t, r.drain(ctx)
			}
			err := workflow.Await(ctx, func() bool {
				return workflow.AllHandlersFinished(ctx) && len(r.outbox) == 0
			})
			return r.t, err
		}
		if r.shouldContinueAsNew(ctx) {
			r.mirrorStop = true
			if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && !r.mirrorBusy }); err != nil {
				return nil, err
			}
			return nil, workflow.NewContinueAsNewError(ctx, TicketWorkflow, TicketInput{
				New: r.t.NewTicket, Ticket: r.t, Outbox: r.outbox, ContinueAfter: r.continueAfter, Version: r.version,
			})
		}
		r.changed = false
		if r.lean() {
			if err := r.sleep(ctx, now); err != nil {
				return nil, err
			}
			continue
		}
		wake, _, ok := r.nextWake()
		if !ok {
			if err := workflow.Await(ctx, func() bool { return r.changed }); err != nil {
				return nil, err
			}
			continue
		}
		if d := wake.Sub(now); d > 0 {
			if _, err := workflow.AwaitWithTimeout(ctx, d, func() bool { return r.changed }); err != nil {
				return nil, err
			}
		}
	}
}

// lean reports whether the run has the lean history of issue 9 (TicketVersion 1).
func (r *ticketRun) lean() bool { return r.version >= TicketVersion }

func (r *ticketRun) shouldContinueAsNew(ctx workflow.Context) bool {
	if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
		return true
	}
	return r.continueAfter > 0 && len(r.t.Timeline)-r.runStart >= r.continueAfter
}
