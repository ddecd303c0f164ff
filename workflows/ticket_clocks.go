package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/sla"
	"github.com/hcaops/hcaops/ticket"
)

// ChangeClockCrossedBeforeAction versions reporting the thresholds an action recorded
// as it stopped, paused or re-targeted a clock (see sla.Clock.Settle). Runs older than
// it did not report them.
const ChangeClockCrossedBeforeAction = "clock-crossed-before-action"

// fireDueClocks reports every warning and breach the clocks have reached, each exactly
// once: those reached by now, and those an action recorded before it changed a clock.
func (r *ticketRun) fireDueClocks(ctx workflow.Context, now time.Time) {
	r.t.SettleClocks(r.cals, now)
	for _, x := range r.t.Unreported() {
		c := r.t.Clock(x.Clock)
		c.MarkReported(x.Threshold)
		if !r.reportedBeforeVersioning(c, x.Threshold, now) &&
			workflow.GetVersion(ctx, ChangeClockCrossedBeforeAction, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
			continue // recorded, never reported, as the run did when it was written
		}
		if x.Threshold >= 1 {
			r.escalate(c.Name, x.At, now)
		} else {
			r.warn(c.Name, x.Threshold, x.At, now)
		}
	}
}

// reportedBeforeVersioning says whether the workflow reported threshold f here before
// actions recorded crossings: only while the clock runs and has reached it under its
// current target.
func (r *ticketRun) reportedBeforeVersioning(c *sla.Clock, f float64, now time.Time) bool {
	at, ok := c.At(r.cals.For(c.Name), f)
	return ok && !at.After(now)
}

// owner names the group answerable for a clock.
func owner(clock string) string {
	if clock == ticket.ClockES {
		return string(ticket.TierES)
	}
	return string(ticket.TierVetsGov)
}

func (r *ticketRun) warn(clock string, f float64, at, now time.Time) {
	text := fmt.Sprintf("%s clock at %.0f%% of its target", clock, f*100) + crossedAt(at, now)
	r.t.Note(now, "sla-warning", text)
	countSLAWarning(r.metrics, clock, string(r.t.Priority), f)
	r.notify(activities.NoticeWarning, clock, text, []string{owner(clock)})
}

// escalate handles a breach: the Tier 2+ procedure notifies the owning group and the
// product manager, marks the incident escalated and records it in the timeline.
func (r *ticketRun) escalate(clock string, at, now time.Time) {
	text := fmt.Sprintf("%s target breached; escalated to %s and the product manager", clock, owner(clock)) + crossedAt(at, now)
	r.t.Note(now, "sla-breach", text)
	countSLABreach(r.metrics, clock, string(r.t.Priority))
	r.mirrorLast()
	r.notify(activities.NoticeBreach, clock, text, []string{owner(clock), r.t.Policy.ProductManager})
	r.changed = true
}

// crossedAt says when a threshold reported late (after worker downtime, or recorded by
// an action) was reached; a timer's usual lag is not worth a mention.
func crossedAt(at, now time.Time) string {
	if now.Sub(at) < time.Minute {
		return ""
	}
	return " (reached " + at.UTC().Format("2006-01-02 15:04:05 UTC") + ")"
}

// notify queues a staff notice about the newest timeline event; the event's index is the
// notice's idempotency key.
func (r *ticketRun) notify(kind, clock, text string, to []string) {
	r.outbox = append(r.outbox, OutboxItem{Notify: &activities.Escalation{
		Ref: r.t.Ref, Clock: clock, Priority: string(r.t.Priority), Owner: string(r.t.Tier), To: to, Text: text,
		Key: fmt.Sprintf("%s#%d", r.t.Ref, len(r.t.Timeline)-1), Kind: kind,
	}})
}

// announce tells the people concerned that a ticket raised with NewTicket.Announce (an
// ES outage) opened or was resolved: vets.gov, ES, the ES liaisons and the product manager.
func (r *ticketRun) announce(kind string) {
	if !r.t.Announce {
		return
	}
	ev := r.t.Timeline[len(r.t.Timeline)-1]
	text := kind
	if ev.Comment != "" {
		text += ": " + ev.Comment
	}
	r.outbox = append(r.outbox, OutboxItem{Notify: &activities.Escalation{
		Ref: r.t.Ref, Priority: string(r.t.Priority), Owner: string(r.t.Tier), Text: text, Summary: r.t.Summary,
		To:  []string{string(ticket.TierVetsGov), string(ticket.TierES), r.t.Policy.Liaison(), r.t.Policy.ProductManager},
		Key: fmt.Sprintf("%s#%d", r.t.Ref, len(r.t.Timeline)-1), Kind: kind,
	}})
}

// escalateStalledAtES follows the Tier 2+ procedure for an item ES has not moved in the
// policy's number of calls: notify, mark the incident escalated, and (through ES.Stalled)
// raise it first on the next agenda.
func (r *ticketRun) escalateStalledAtES(now time.Time) {
	text := fmt.Sprintf("no ES progress in %d calls; escalated to %s and the product manager", r.t.ES.CallsWithoutProgress-1, ticket.TierES)
	r.t.Note(now, "es-stalled", text)
	r.mirrorLast()
	r.notify(activities.NoticeESStalled, ticket.ClockES, text,
		[]string{r.t.Policy.Liaison(), string(ticket.TierES), string(ticket.TierVetsGov), r.t.Policy.ProductManager})
}
