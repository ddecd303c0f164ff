package workflows

import (
	"fmt"
	"time"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/ticket"
)

// fireDueClocks reports every warning and breach reached by now, each exactly once.
func (r *ticketRun) fireDueClocks(now time.Time) {
	for i := range r.t.Clocks {
		c := &r.t.Clocks[i]
		for _, f := range c.Due(r.cals.For(c.Name), r.t.Policy.Thresholds(), now) {
			c.MarkFired(f, now)
			if f >= 1 {
				r.escalate(c.Name, now)
			} else {
				r.warn(c.Name, f, now)
			}
		}
	}
}

// owner names the group answerable for a clock.
func owner(clock string) string {
	if clock == ticket.ClockES {
		return string(ticket.TierES)
	}
	return string(ticket.TierVetsGov)
}

func (r *ticketRun) warn(clock string, f float64, now time.Time) {
	text := fmt.Sprintf("%s clock at %.0f%% of its target", clock, f*100)
	r.t.Note(now, "sla-warning", text)
	r.notify(activities.NoticeWarning, clock, text, []string{owner(clock)})
}

// escalate handles a breach: the Tier 2+ procedure notifies the owning group and the
// product manager, marks the incident escalated and records it in the timeline.
func (r *ticketRun) escalate(clock string, now time.Time) {
	text := fmt.Sprintf("%s target breached; escalated to %s and the product manager", clock, owner(clock))
	r.t.Note(now, "sla-breach", text)
	r.mirrorLast()
	r.notify(activities.NoticeBreach, clock, text, []string{owner(clock), r.t.Policy.ProductManager})
	r.changed = true
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
