// Package activities holds every piece of I/O the workflows need: the system of record,
// notifications and configuration. Activities are methods on structs that hold their
// dependencies; workflows name them through nil pointers.
package activities

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/hcaops/hcaops/notify"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/ticketing"
)

// Ticketing mirrors tickets to the system of record and escalates breaches.
type Ticketing struct {
	System   ticketing.System
	Notifier notify.Notifier
}

// ErrTypeRejected is the application error type of a request the system of record refused
// and will refuse again; the workflow records it and does not retry.
const ErrTypeRejected = "TicketingRejected"

// OpenIncidentInput is what the workflow knows of a ticket when it opens its incident.
type OpenIncidentInput struct {
	Ticket ticket.NewTicket `json:"ticket"`
	Group  ticketing.Group  `json:"group"`
}

// OpenIncident finds or creates the ticket's incident in the system of record.
func (a *Ticketing) OpenIncident(ctx context.Context, in OpenIncidentInput) (ticket.IncidentLink, error) {
	inc, err := a.System.EnsureIncident(ctx, ticketing.NewIncident{
		Ref: in.Ticket.Ref, Summary: in.Ticket.Summary, Description: in.Ticket.Description,
		Category: in.Ticket.Category, Channel: in.Ticket.Channel, Priority: in.Ticket.Priority, Group: in.Group,
	})
	if err != nil {
		return ticket.IncidentLink{}, classify(fmt.Sprintf("open incident for ticket %s", in.Ticket.Ref), err)
	}
	activity.GetLogger(ctx).Info("incident opened", "ref", in.Ticket.Ref, "system", a.System.Name(), "incident", inc.Number)
	return ticket.IncidentLink{System: a.System.Name(), ID: inc.ID, Number: inc.Number}, nil
}

// MirrorInput is one transition to copy to the system of record.
type MirrorInput struct {
	Ref      string              `json:"ref"`
	Incident ticket.IncidentLink `json:"incident"`
	Key      string              `json:"key"` // unique per timeline event: the comment's idempotency key
	Status   *ticketing.Status   `json:"status,omitempty"`
	Priority *ticket.Priority    `json:"priority,omitempty"`
	Group    *ticketing.Group    `json:"group,omitempty"`
	Escalate bool                `json:"escalate,omitempty"`
	Comment  string              `json:"comment"`
	// DuplicateOf is the hcaops reference of the master ticket, for a duplicate.
	DuplicateOf string `json:"duplicateOf,omitempty"`
}

// MirrorTransition updates the incident and adds the comment, each idempotently.
func (a *Ticketing) MirrorTransition(ctx context.Context, in MirrorInput) error {
	u := ticketing.Update{Status: in.Status, Priority: in.Priority, Group: in.Group}
	if in.Escalate {
		yes := true
		u.Escalated = &yes
	}
	if in.DuplicateOf != "" {
		master, err := a.System.FindIncident(ctx, in.DuplicateOf)
		if err != nil && !errors.Is(err, ticketing.ErrNotFound) {
			return classify(fmt.Sprintf("find master ticket %s of %s", in.DuplicateOf, in.Ref), err)
		}
		u.DuplicateOf = master.ID // empty when the master has no incident: cancelled all the same
	}
	if in.Status != nil && (*in.Status == ticketing.StatusResolved || *in.Status == ticketing.StatusCancelled) {
		u.Resolution = in.Comment
	}
	if u.Status != nil || u.Priority != nil || u.Group != nil || u.Escalated != nil {
		if err := a.System.UpdateIncident(ctx, in.Incident.ID, u); err != nil {
			return classify(fmt.Sprintf("update incident %s of ticket %s", in.Incident.Number, in.Ref), err)
		}
	}
	if err := a.System.AddComment(ctx, in.Incident.ID, in.Key, in.Comment); err != nil {
		return classify(fmt.Sprintf("comment on incident %s of ticket %s", in.Incident.Number, in.Ref), err)
	}
	return nil
}

// Escalation is an SLA breach to announce.
type Escalation struct {
	Ref      string   `json:"ref"`
	Clock    string   `json:"clock"`
	Priority string   `json:"priority"`
	Owner    string   `json:"owner"`
	To       []string `json:"to"`
	Text     string   `json:"text"`
}

// NotifyEscalation tells the owning group and the product manager about a breach or warning.
func (a *Ticketing) NotifyEscalation(ctx context.Context, e Escalation) error {
	return notifyErr(a.Notifier.Notify(ctx, notify.Message{
		To:      e.To,
		Subject: fmt.Sprintf("[hcaops] ticket %s: %s", e.Ref, e.Text),
		Body:    fmt.Sprintf("Ticket %s (%s priority), owned by %s: %s clock %s.", e.Ref, e.Priority, e.Owner, e.Clock, e.Text),
	}))
}

// notifyErr makes a permanent delivery failure (a 5xx, a bad address) final, so it is
// recorded rather than retried for days.
func notifyErr(err error) error {
	if err != nil && notify.IsPermanent(err) {
		return temporal.NewNonRetryableApplicationError(err.Error(), "NotificationRejected", nil)
	}
	return err
}

// classify turns a system-of-record failure into a retryable error or a final one.
func classify(op string, err error) error {
	var re *ticketing.ResponseError
	if errors.As(err, &re) && !re.Retryable {
		return temporal.NewNonRetryableApplicationError(op+": "+re.Error(), ErrTypeRejected, nil)
	}
	return fmt.Errorf("%s: %w", op, err)
}
