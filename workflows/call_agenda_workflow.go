package workflows

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/internal/zones"
	"github.com/hcaops/hcaops/sla"
	"github.com/hcaops/hcaops/ticket"
)

// CallAgendaInput names the regular vets.gov–ES call an agenda is for.
type CallAgendaInput struct {
	// CallDate is the call's date (YYYY-MM-DD); empty means the scheduled run's time plus Lead.
	CallDate string        `json:"callDate,omitempty"`
	Lead     time.Duration `json:"lead"` // how long before the call the agenda is produced
	Zone     string        `json:"zone"` // the call's time zone
}

// CallAgendaWorkflow produces the agenda of the regular call from the tickets awaiting
// ES: every such ticket is told it is on the agenda (which counts calls without ES
// progress and escalates stalled ones), then the agenda is written and sent.
func CallAgendaWorkflow(ctx workflow.Context, in CallAgendaInput) (activities.Agenda, error) {
	callDate, movedFrom := in.CallDate, ""
	if callDate == "" {
		loc, err := zones.Load(in.Zone)
		if err != nil {
			return activities.Agenda{}, temporal.NewNonRetryableApplicationError("call zone: "+err.Error(), "InvalidZone", nil)
		}
		call := scheduledTime(ctx).Add(in.Lead).In(loc)
		// rickar/cal's holiday cache (a map) is off in sla's calendar, so its eviction never runs.
		moved, holiday := sla.CallDay(call) //workflowcheck:ignore
		if holiday != "" &&
			workflow.GetVersion(ctx, "es-call-holiday", workflow.DefaultVersion, 1) == 1 {
			// No call on a federal holiday: the agenda waits for the moved call.
			movedFrom = call.Format(time.DateOnly) + " (" + holiday + ")"
			workflow.SetCurrentDetails(ctx, fmt.Sprintf("no ES call on %s: moved to %s", movedFrom, moved.Format(time.DateOnly)))
			if d := moved.Add(-in.Lead).Sub(workflow.Now(ctx)); d > 0 {
				if err := workflow.Sleep(ctx, d); err != nil {
					return activities.Agenda{}, err
				}
			}
			call = moved
		}
		callDate = call.Format(time.DateOnly)
	}
	var ag *activities.CallAgenda
	var t *activities.TicketClient
	actx := esTicketOptions(ctx)
	var refs []string
	if err := workflow.ExecuteActivity(actx, ag.ListAwaitingES).Get(ctx, &refs); err != nil {
		return activities.Agenda{}, err
	}
	agenda := activities.Agenda{CallDate: callDate, Generated: workflow.Now(ctx), MovedFrom: movedFrom}
	for _, ref := range refs {
		var v ticket.View
		err := workflow.ExecuteActivity(actx, t.ActOnTicket, activities.ActInput{Ref: ref, Action: ticket.ActESAgenda,
			Request: ticket.Request{Actor: ticket.SystemActor, CallDate: callDate}}).Get(ctx, &v)
		var app *temporal.ApplicationError
		if errors.As(err, &app) && app.Type() == activities.ErrTypeTicketRejected {
			// Already listed for this call (a rerun), or it left ES meanwhile: read it as it is.
			err = workflow.ExecuteActivity(actx, t.ShowTicket, ref).Get(ctx, &v)
		}
		if err != nil || !withES(v) {
			continue
		}
		agenda.Items = append(agenda.Items, agendaItem(v, agenda.Generated))
	}
	sortAgenda(agenda.Items)
	if err := workflow.ExecuteActivity(actx, ag.PublishAgenda, agenda).Get(ctx, &agenda.Path); err != nil {
		return agenda, err
	}
	workflow.SetCurrentDetails(ctx, fmt.Sprintf("agenda of the **%s** ES call: %d item(s)", callDate, len(agenda.Items)))
	return agenda, nil
}

// withES is a ticket the call discusses: awaiting ES, or put on hold while with ES.
func withES(v ticket.View) bool {
	return v.State == ticket.StateAwaitingES || (v.State == ticket.StateOnHold && v.HeldFrom == ticket.StateAwaitingES)
}

func agendaItem(v ticket.View, now time.Time) activities.AgendaItem {
	it := activities.AgendaItem{
		Ref: v.Ref, Summary: v.Summary, Priority: string(v.Priority), Opened: v.OpenedAt, Age: now.Sub(v.OpenedAt),
		Stalled: v.ES.Stalled, CallsWithoutProgress: v.ES.CallsWithoutProgress, Calls: v.ES.Calls,
		LastCall: v.ES.LastCall, LastOutcome: string(v.ES.LastOutcome), LastComment: v.ES.LastComment,
		HoldReason: string(v.HoldReason),
	}
	for _, c := range v.ClockViews {
		if c.Name == ticket.ClockES {
			it.ESClock = c
		}
	}
	return it
}

// sortAgenda raises stalled items first, then the most urgent, then the oldest.
func sortAgenda(items []activities.AgendaItem) {
	rank := func(p string) int { return slices.Index(ticket.Priorities, ticket.Priority(p)) }
	slices.SortStableFunc(items, func(a, b activities.AgendaItem) int {
		switch {
		case a.Stalled != b.Stalled:
			if a.Stalled {
				return -1
			}
			return 1
		case rank(a.Priority) != rank(b.Priority):
			return rank(b.Priority) - rank(a.Priority)
		case !a.Opened.Equal(b.Opened):
			return a.Opened.Compare(b.Opened)
		}
		return strings.Compare(a.Ref, b.Ref)
	})
}
