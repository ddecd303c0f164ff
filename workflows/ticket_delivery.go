package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/ticket"
)

// How a lean run delivers its outbox. Everything pending goes out in one local activity
// (Outbox.DeliverOutbox) run in the workflow task that queued it: one marker event, no
// activity events and no extra workflow task. The operator's Update is answered when that
// task completes, so the desk's answer time is part of the action's latency; deskWait
// bounds it. An item the desk did not take in time, or that failed, goes to the regular,
// retrying activities in the background, with everything queued after it, and the next
// items go back to the local activity once the background is done.

// deskWait is the longest an operator's action waits for the desk (or the mail relay).
const deskWait = 2 * time.Second

// flush delivers what is pending, unless the background is delivering already.
func (r *ticketRun) flush(ctx workflow.Context) {
	for !r.mirrorBusy && len(r.outbox) > 0 {
		n := 0
		for n < len(r.outbox) && r.outbox[n].Migrate == nil {
			n++
		}
		if n == 0 {
			r.deliverInBackground(ctx) // a move to another desk takes minutes
			return
		}
		in := activities.DeliveryInput{Incident: r.t.Incident}
		var names []string
		for _, it := range r.outbox[:n] {
			if it.Mirror != nil && r.t.Incident.ID == "" && in.Open == nil {
				in.Open = &activities.OpenIncidentInput{Ticket: r.t.NewTicket, Group: incidentGroup(ticket.TierHRC)}
				names = append(names, r.deskName()+": open incident")
			}
			in.Items = append(in.Items, activities.DeliveryItem{Mirror: it.Mirror, Notify: it.Notify})
			names = append(names, r.itemSummary(it))
		}
		lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
			StartToCloseTimeout: deskWait,
			RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 1}, // the background retries
			Summary:             summarize(names),
		})
		var o *activities.Outbox
		var res activities.DeliveryResult
		err := workflow.ExecuteLocalActivity(lctx, o.DeliverOutbox, in).Get(ctx, &res)
		if err != nil {
			// Timed out or the worker failed it: nothing is known delivered; the retrying
			// activities are idempotent, so they may safely do it again.
			res = activities.DeliveryResult{Failed: &activities.DeliveryFailure{Error: err.Error()}}
		}
		r.recordDelivery(ctx, res)
		if res.Failed != nil && !res.Failed.Final {
			if res.Failed.Served != nil && r.outbox[0].Notify != nil {
				nt := *r.outbox[0].Notify
				nt.Served = res.Failed.Served
				r.outbox[0].Notify = &nt
			}
			r.deliverInBackground(ctx)
			return
		}
	}
}

// recordDelivery applies what the local activity delivered: the incident it opened, the
// desk's view after each write, and a final refusal, noted in the timeline as the
// retrying path does.
func (r *ticketRun) recordDelivery(ctx workflow.Context, res activities.DeliveryResult) {
	if res.Opened != nil {
		r.deskOpened(*res.Opened)
	}
	for _, it := range r.outbox[:res.Done] {
		if it.Mirror != nil {
			m := *it.Mirror
			m.Incident = r.t.Incident
			r.deskWritten(m)
		}
	}
	r.outbox = r.outbox[res.Done:]
	if res.Failed != nil && res.Failed.Final && len(r.outbox) > 0 {
		r.deliveryFailed(ctx, r.outbox[0], res.Failed.Error)
		r.outbox = r.outbox[1:]
	}
}

// deliverInBackground hands the outbox to the regular activities, one item at a time and
// retried until the desk takes it, without holding up operators or clocks.
func (r *ticketRun) deliverInBackground(ctx workflow.Context) {
	r.mirrorBusy = true
	workflow.Go(ctx, func(ctx workflow.Context) {
		actx := workflow.WithActivityOptions(ctx, deskActivityOptions)
		var a *activities.ServiceDesk
		for len(r.outbox) > 0 && !r.mirrorStop {
			r.deliverOne(ctx, actx, a)
		}
		r.mirrorBusy = false
		r.changed = true // the loop takes over the next items
	})
}

// drain finishes a closed ticket: every accepted action answered, every item delivered.
func (r *ticketRun) drain(ctx workflow.Context) error {
	for {
		r.flush(ctx)
		if err := workflow.Await(ctx, func() bool {
			return workflow.AllHandlersFinished(ctx) && !r.mirrorBusy
		}); err != nil {
			return err
		}
		if len(r.outbox) == 0 {
			return nil
		}
	}
}

// deskName is how the history names the ticket's desk.
func (r *ticketRun) deskName() string {
	switch r.t.Incident.System {
	case "sdm":
		return "SDM"
	case "dynamics":
		return "Dynamics"
	case "":
		return "desk"
	}
	return r.t.Incident.System
}

// itemSummary names an outbox item as the UI shows it: "SDM: route-to-es",
// "notify vets.gov: warning".
func (r *ticketRun) itemSummary(it OutboxItem) string {
	switch {
	case it.Mirror != nil:
		what := it.Mirror.Action
		if what == "" {
			what = "update incident"
		}
		return r.deskName() + ": " + what
	case it.Notify != nil:
		return fmt.Sprintf("notify %s: %s", strings.Join(it.Notify.To, ", "), orDefault(it.Notify.Kind, "notice"))
	case it.Migrate != nil:
		return "move incident to " + it.Migrate.To
	}
	return "deliver"
}

// summarize joins item summaries into one line the UI can show.
func summarize(names []string) string {
	s := strings.Join(names, "; ")
	if len(s) > 200 {
		s = s[:197] + "..."
	}
	return s
}
