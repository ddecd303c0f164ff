package activities

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/hcaops/hcaops/ticket"
)

// Outbox delivers everything a ticket has queued for the outside world (its incident,
// transitions for the desk, staff notices) in one call, in order. The ticket workflow runs
// it as a local activity in the workflow task that queued the items: one marker event in
// history instead of an activity's three events and a workflow task per item. It never
// retries and never waits on a system that was slow or down moments ago: the ticket then
// hands the item to the regular, retrying activities (OpenIncident, MirrorTransition,
// NotifyEscalation), so an operator's action never waits on a desk outage.
type Outbox struct {
	Desk    *ServiceDesk
	Notices *Notices

	// Cooldown is how long a system that failed, timed out or answered slowly is skipped
	// (default 30 s): its items go to the background, and operators do not wait on it.
	Cooldown time.Duration
	// SlowAfter is an answer slow enough to set the system aside (default 250 ms).
	SlowAfter time.Duration
	// now is the clock of the cool-downs (tests set it).
	now func() time.Time

	mu   sync.Mutex
	down map[string]time.Time // system ("sdm", "dynamics", "mail") → skipped until
}

// DeliveryItem is one queued item: a transition for the desk or a staff notice.
type DeliveryItem struct {
	Mirror *MirrorInput `json:"mirror,omitempty"`
	Notify *Escalation  `json:"notify,omitempty"`
}

// DeliveryInput is a ticket's pending items, oldest first.
type DeliveryInput struct {
	// Open is set when the ticket has no incident yet: it is found or created first.
	Open     *OpenIncidentInput  `json:"open,omitempty"`
	Incident ticket.IncidentLink `json:"incident"`
	Items    []DeliveryItem      `json:"items"`
}

// DeliveryResult says how far the delivery got. Items before Done were delivered; Failed,
// when set, is what stopped it at item Done.
type DeliveryResult struct {
	// Opened is the incident found or created for a ticket that had none.
	Opened *ticket.IncidentLink `json:"opened,omitempty"`
	Done   int                  `json:"done"`
	Failed *DeliveryFailure     `json:"failed,omitempty"`
}

// DeliveryFailure is why an item was not delivered.
type DeliveryFailure struct {
	Error string `json:"error"`
	// Final is a refusal that will not change (ErrTypeDeskRejected, ErrTypeNotificationRejected):
	// the ticket records it and goes on. Otherwise the item goes to the retrying activity.
	Final bool `json:"final,omitempty"`
	// Served are the recipients of a notice who have it already (notify.RecipientID).
	Served []string `json:"served,omitempty"`
}

// DeliverOutbox delivers in.Items in order and stops at the first that fails, reporting
// it in the result rather than as an error, so the items delivered before it are recorded.
func (o *Outbox) DeliverOutbox(ctx context.Context, in DeliveryInput) (DeliveryResult, error) {
	// Stop short of the local activity's own limit, so what was delivered (the recipients
	// of a notice too) is reported and not sent again by the background.
	if deadline, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-answerMargin))
		defer cancel()
	}
	var res DeliveryResult
	incident := in.Incident
	for _, it := range in.Items {
		switch {
		case it.Mirror != nil:
			// The incident is opened at the first item for the desk, as the retrying path
			// does: a desk that refuses it fails that item, not the notices before it.
			if in.Open != nil && incident.ID == "" {
				var link ticket.IncidentLink
				res.Failed = o.attempt(o.Desk.Desk.Name(), func() (err error) {
					link, err = o.Desk.OpenIncident(ctx, *in.Open)
					return err
				})
				if res.Failed != nil {
					return res, nil
				}
				res.Opened, incident = &link, link
			}
			m := *it.Mirror
			m.Incident = incident
			res.Failed = o.attempt(o.Desk.systemOf(incident.System), func() error { return o.Desk.MirrorTransition(ctx, m) })
		case it.Notify != nil:
			p := newHeartbeatProgress(ctx, it.Notify.Served) // a local activity's heartbeats go nowhere
			res.Failed = o.attempt(systemMail, func() error { return o.Notices.notify(ctx, *it.Notify, p) })
			if res.Failed != nil {
				res.Failed.Served = p.done
			}
		}
		if res.Failed != nil {
			return res, nil
		}
		res.Done++
	}
	return res, nil
}

const systemMail = "mail"

// answerMargin is the time DeliverOutbox keeps to answer before its deadline.
const answerMargin = 300 * time.Millisecond

// attempt calls a system unless it failed or was slow moments ago, and sets it aside
// for the cool-down when this call fails for now or is slow.
func (o *Outbox) attempt(system string, call func() error) *DeliveryFailure {
	o.mu.Lock()
	until, down := o.down[system]
	o.mu.Unlock()
	if down && o.clock().Before(until) {
		return &DeliveryFailure{Error: fmt.Sprintf("%s failed or was slow moments ago; delivering in the background", system)}
	}
	t0 := o.clock()
	err := call()
	o.timed(system, t0)
	if err == nil {
		return nil
	}
	var ae *temporal.ApplicationError
	if errors.As(err, &ae) && ae.NonRetryable() {
		return &DeliveryFailure{Error: err.Error(), Final: true}
	}
	o.setAside(system)
	return &DeliveryFailure{Error: err.Error()}
}

// timed sets a system aside when a call to it, begun at t0, was slow.
func (o *Outbox) timed(system string, t0 time.Time) {
	slow := o.SlowAfter
	if slow <= 0 {
		slow = 250 * time.Millisecond
	}
	if o.clock().Sub(t0) > slow {
		o.setAside(system)
	}
}

func (o *Outbox) setAside(system string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.down == nil {
		o.down = map[string]time.Time{}
	}
	cool := o.Cooldown
	if cool <= 0 {
		cool = 30 * time.Second
	}
	o.down[system] = o.clock().Add(cool)
}

func (o *Outbox) clock() time.Time {
	if o.now != nil {
		return o.now()
	}
	return time.Now()
}
