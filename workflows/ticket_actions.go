package workflows

import (
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
				return r.t.ViewAt(r.cals, now), nil
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
