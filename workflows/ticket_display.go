package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// shownState is what the search attributes and UI details last said, so the workflow
// writes them only when they change and history stays small.
type shownState struct {
	status, tier, priority, details string
	breached                        bool
	due                             time.Time
	set                             bool
}

// shownFromSearchAttributes reads what the search attributes say now (set at start, or
// carried over by continue-as-new), so a lean run writes only what differs from them.
func shownFromSearchAttributes(ctx workflow.Context) shownState {
	sa := workflow.GetTypedSearchAttributes(ctx)
	status, ok1 := sa.GetKeyword(TicketStatus)
	tier, ok2 := sa.GetKeyword(TicketTier)
	priority, ok3 := sa.GetKeyword(TicketPriority)
	breached, ok4 := sa.GetBool(SLABreached)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return shownState{} // started without them: write them all
	}
	due, _ := sa.GetTime(SLADueAt)
	return shownState{status: status, tier: tier, priority: priority, breached: breached, due: due, set: true}
}

// show keeps the search attributes and the UI's current details in step with the ticket.
func (r *ticketRun) show(ctx workflow.Context, now time.Time) {
	due, hasDue := r.t.NextDeadline(r.cals)
	next := shownState{
		status: string(r.t.State), tier: string(r.t.Tier), priority: string(r.t.Priority),
		breached: r.t.Breached(), due: due, set: true,
	}
	var updates []temporal.SearchAttributeUpdate
	old := r.shown
	if !old.set || old.status != next.status {
		updates = append(updates, TicketStatus.ValueSet(next.status))
	}
	if !old.set || old.tier != next.tier {
		updates = append(updates, TicketTier.ValueSet(next.tier))
	}
	if !old.set || old.priority != next.priority {
		updates = append(updates, TicketPriority.ValueSet(next.priority))
	}
	if !old.set || old.breached != next.breached {
		updates = append(updates, SLABreached.ValueSet(next.breached))
	}
	if !old.set || !old.due.Equal(next.due) {
		if hasDue {
			updates = append(updates, SLADueAt.ValueSet(due))
		} else {
			updates = append(updates, SLADueAt.ValueUnset())
		}
	}
	if len(updates) > 0 {
		if err := workflow.UpsertTypedSearchAttributes(ctx, updates...); err != nil {
			workflow.GetLogger(ctx).Error("upsert search attributes", "ref", r.t.Ref, "error", err)
		}
	}
	next.details = r.details(now)
	if next.details != old.details {
		workflow.SetCurrentDetails(ctx, next.details)
	}
	r.shown = next
}

// details is the Markdown the Temporal UI shows as the ticket's current details.
func (r *ticketRun) details(now time.Time) string {
	var b strings.Builder
	b.WriteString(fmt.Sprintf("**%s** · owner **%s** · %s priority", r.t.State, r.t.Tier, r.t.Priority))
	if r.t.HoldReason != "" {
		b.WriteString(fmt.Sprintf(" · %s", r.t.HoldReason))
	}
	if r.t.Incident.Number != "" {
		b.WriteString(fmt.Sprintf(" · %s incident %s", r.t.Incident.System, r.t.Incident.Number))
	}
	b.WriteString("\n\n| clock | status | deadline |\n|---|---|---|\n")
	for _, c := range r.t.ClockViews(r.cals, now) {
		deadline := "—"
		if !c.Deadline.IsZero() {
			deadline = c.Deadline.UTC().Format("2006-01-02 15:04 UTC")
		}
		b.WriteString(fmt.Sprintf("| %s (%s) | %s | %s |\n", c.Name, c.Calendar, c.Status, deadline))
	}
	return b.String()
}
