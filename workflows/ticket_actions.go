package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/ticket"
)

// registerActions makes every operator action an Update whose validator is the state
// machine's Check: a refused action is answered with the reason and never reaches history.
func (r *ticketRun) registerActions(ctx workflow.Context) error {
	for _, a := range ticket.Actions() {
		err := workflow.SetUpdateHandlerWithOptions(ctx, string(a),
			func(ctx workflow.Context, req ticket.Request) (ticket.View, error) {
				now := workflow.Now(ctx)
				before, from := len(r.t.Timeline), r.t.State
				r.t.Apply(a, req, r.cals, now)
				r.mirrorSince(before)
				if from != ticket.StateResolved && r.t.State == ticket.StateResolved {
					r.announce(activities.NoticeResolved)
				}
				if a == ticket.ActESAgenda && r.t.ES.Stalled && r.t.ES.StalledAt.IsZero() {
					r.t.ES.StalledAt = now
					r.escalateStalledAtES(now)
				}
				r.changed = true
				return r.answer(a, now), nil
			},
			workflow.UpdateHandlerOptions{
				Validator: func(ctx workflow.Context, req ticket.Request) error {
					return r.t.Check(a, req, workflow.Now(ctx))
				},
			})
		if err != nil {
			return err
		}
	}
	return nil
}

// answer is what an action returns. A lean run answers an operator with what the operator
// is shown (state, owner, priority, what is allowed next): the answer is kept in history
// with every action, and the whole ticket (timeline, clocks) is a query away. The call
// agenda builds its items from the es-agenda answer, which stays whole.
func (r *ticketRun) answer(a ticket.Action, now time.Time) ticket.View {
	if !r.lean() || a == ticket.ActESAgenda {
		return r.t.ViewAt(r.cals, now)
	}
	v := ticket.View{AsOf: now, Allowed: r.t.Allowed()}
	v.Ref, v.Priority, v.State, v.Tier, v.HoldReason = r.t.Ref, r.t.Priority, r.t.State, r.t.Tier, r.t.HoldReason
	v.Incident = r.t.Incident
	if r.t.State.Terminal() {
		v.Allowed = nil
	}
	return v
}
