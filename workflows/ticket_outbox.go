package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/sla"
	"github.com/hcaops/hcaops/ticket"
)

// OutboxItem is one message for the outside world, delivered in order by deliverOutbox so
// that a slow or failing system of record never holds up operators or clocks.
type OutboxItem struct {
	Mirror  *activities.MirrorInput  `json:"mirror,omitempty"`
	Notify  *activities.Escalation   `json:"notify,omitempty"`
	Migrate *activities.MigrateInput `json:"migrate,omitempty"`
}

// mirrorLast queues the newest timeline event for the system of record.
func (r *ticketRun) mirrorLast() { r.mirrorEvent(len(r.t.Timeline) - 1) }

// mirrorSince queues every timeline event from index i on: an action from the desk with
// masked text adds a pii-masked event after its own.
func (r *ticketRun) mirrorSince(i int) {
	for ; i < len(r.t.Timeline); i++ {
		r.mirrorEvent(i)
	}
}

// mirrorEvent queues timeline event i for the system of record; its index is the
// idempotency key of the comment.
func (r *ticketRun) mirrorEvent(i int) {
	ev := r.t.Timeline[i]
	m := &activities.MirrorInput{
		Ref:     r.t.Ref,
		Key:     fmt.Sprintf("%s#%d", r.t.Ref, i),
		Comment: fmt.Sprintf("[%s by %s] %s", ev.Action, ev.Actor, ev.Comment),
		Action:  ev.Action,
	}
	switch ev.Action {
	case string(ticket.ActChangePriority):
		p := r.t.Priority
		m.Priority = &p
	case "sla-breach", "es-stalled":
		m.Escalate = true
	case string(ticket.ActCancel):
		m.DuplicateOf = r.t.DuplicateOf
	}
	if ev.To != "" || ev.Action == string(ticket.ActAcknowledge) {
		s, g := incidentStatus(r.t), incidentGroup(r.t.Tier)
		m.Status, m.Group = &s, &g
	}
	r.outbox = append(r.outbox, OutboxItem{Mirror: m})
}

// incidentStatus maps the ticket's state to the system-neutral incident status.
func incidentStatus(t *ticket.Ticket) servicedesk.Status {
	switch t.State {
	case ticket.StateTriage:
		if t.Clock(ticket.ClockAcknowledge).Phase != sla.PhaseStopped {
			return servicedesk.StatusOpen
		}
		return servicedesk.StatusAcknowledged
	case ticket.StateInProgress:
		return servicedesk.StatusInProgress
	case ticket.StateAwaitingES:
		return servicedesk.StatusAwaitingVendor
	case ticket.StateOnHold:
		if t.HoldReason == ticket.HoldAwaitingCaller {
			return servicedesk.StatusAwaitingCaller
		}
		return servicedesk.StatusOnHold
	case ticket.StateResolved:
		return servicedesk.StatusResolved
	case ticket.StateClosed:
		return servicedesk.StatusClosed
	case ticket.StateCancelled:
		return servicedesk.StatusCancelled
	}
	return servicedesk.StatusOpen
}

func incidentGroup(t ticket.Tier) servicedesk.Group {
	switch t {
	case ticket.TierVetsGov:
		return servicedesk.GroupVetsGov
	case ticket.TierES:
		return servicedesk.GroupES
	}
	return servicedesk.GroupHRC
}

// deskActivityOptions retry a delivery until the desk (or the relay) takes it; a final
// refusal is recorded in the timeline instead.
var deskActivityOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:        time.Second,
		BackoffCoefficient:     2,
		MaximumInterval:        5 * time.Minute,
		NonRetryableErrorTypes: []string{activities.ErrTypeDeskRejected, activities.ErrTypeNotificationRejected},
	},
}

// deliverOutbox runs for the life of a run started before the lean history (version 0),
// sending queued items one at a time.
func (r *ticketRun) deliverOutbox(ctx workflow.Context) {
	actx := workflow.WithActivityOptions(ctx, deskActivityOptions)
	var a *activities.ServiceDesk
	for {
		if err := workflow.Await(ctx, func() bool { return len(r.outbox) > 0 && !r.mirrorStop }); err != nil {
			return
		}
		r.mirrorBusy = true
		r.deliverOne(ctx, actx, a)
		r.mirrorBusy = false
	}
}

// deliverOne delivers the first item through the retrying activities.
func (r *ticketRun) deliverOne(ctx, actx workflow.Context, a *activities.ServiceDesk) {
	item := r.outbox[0]
	if err := r.deliver(actx, a, item); err != nil {
		r.deliveryFailed(ctx, item, err.Error())
	}
	r.outbox = r.outbox[1:]
}

// deliveryFailed records in the timeline an item that will not be delivered: the desk or
// the relay refused it for good, and nobody will retry it.
func (r *ticketRun) deliveryFailed(ctx workflow.Context, item OutboxItem, why string) {
	what := "mirror-failed"
	if item.Notify != nil {
		what = "notify-failed"
	} else {
		r.metrics.Counter(MetricMirrorFailures).Inc(1)
	}
	r.t.Note(workflow.Now(ctx), what, why)
	r.changed = true
}

// withSummary names the activity in the history as the UI shows it.
func withSummary(ctx workflow.Context, summary string) workflow.Context {
	o := workflow.GetActivityOptions(ctx)
	o.Summary = summary
	return workflow.WithActivityOptions(ctx, o)
}

func (r *ticketRun) deliver(ctx workflow.Context, a *activities.ServiceDesk, item OutboxItem) error {
	if item.Notify != nil {
		var n *activities.Notices
		return workflow.ExecuteActivity(withSummary(ctx, r.itemSummary(item)), n.NotifyEscalation, *item.Notify).Get(ctx, nil)
	}
	if item.Migrate != nil {
		return r.deliverMigration(ctx, a, *item.Migrate)
	}
	if r.t.Incident.ID == "" {
		var link ticket.IncidentLink
		err := workflow.ExecuteActivity(withSummary(ctx, r.deskName()+": open incident"), a.OpenIncident, activities.OpenIncidentInput{
			Ticket: r.t.NewTicket, Group: incidentGroup(ticket.TierHRC),
		}).Get(ctx, &link)
		if err != nil {
			return err
		}
		r.deskOpened(link)
	}
	m := *item.Mirror
	m.Incident = r.t.Incident
	if err := workflow.ExecuteActivity(withSummary(ctx, r.itemSummary(item)), a.MirrorTransition, m).Get(ctx, nil); err != nil {
		return err
	}
	r.deskWritten(m)
	return nil
}
