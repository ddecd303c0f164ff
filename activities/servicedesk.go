// Package activities holds every piece of I/O the workflows need: the service desk,
// notifications and configuration. Activities are methods on structs that hold their
// dependencies; workflows name them through nil pointers.
package activities

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/ticket"
)

// ServiceDesk mirrors tickets to the service desk (the system of record).
type ServiceDesk struct {
	// Desk holds the incidents of new tickets.
	Desk servicedesk.Desk
	// Others are the other desks the worker can reach: a ticket's mirror goes to the
	// desk its incident is in (IncidentLink.System), so tickets opened before a switch of
	// HCAOPS_TICKETING keep mirroring to their desk until they are moved.
	Others []servicedesk.Desk
}

// systemOf names the desk of an incident link's system; "" is the desk of new tickets.
func (a *ServiceDesk) systemOf(system string) string {
	if system == "" {
		return a.Desk.Name()
	}
	return system
}

// deskFor returns the desk named system; "" is the desk of new tickets.
func (a *ServiceDesk) deskFor(system string) (servicedesk.Desk, error) {
	if a.systemOf(system) == a.Desk.Name() {
		return a.Desk, nil
	}
	for _, d := range a.Others {
		if d.Name() == system {
			return d, nil
		}
	}
	return nil, temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("the worker has no client for the %s desk (HCAOPS_DESKS)", system), ErrTypeDeskRejected, nil)
}

// ErrTypeDeskRejected is the application error type of a request the service desk refused
// and will refuse again; the workflow records it and does not retry. The value is older
// than the name and stays: it is in recorded histories.
const ErrTypeDeskRejected = "TicketingRejected"

// OpenIncidentInput is what the workflow knows of a ticket when it opens its incident.
type OpenIncidentInput struct {
	Ticket ticket.NewTicket  `json:"ticket"`
	Group  servicedesk.Group `json:"group"`
}

// OpenIncident finds or creates the ticket's incident in the service desk.
func (a *ServiceDesk) OpenIncident(ctx context.Context, in OpenIncidentInput) (_ ticket.IncidentLink, err error) {
	defer countDeskError(ctx, a.Desk.Name(), "open-incident", &err)
	inc, err := a.Desk.EnsureIncident(ctx, servicedesk.NewIncident{
		Ref: in.Ticket.Ref, Summary: clean(ticket.FieldSummary, in.Ticket.Summary), Description: clean(ticket.FieldDescription, in.Ticket.Description),
		Category: clean(ticket.FieldCategory, in.Ticket.Category), Channel: in.Ticket.Channel, Priority: in.Ticket.Priority, Group: in.Group,
	})
	if err != nil {
		return ticket.IncidentLink{}, classify(fmt.Sprintf("open incident for ticket %s", in.Ticket.Ref), err)
	}
	activity.GetLogger(ctx).Info("incident opened", "ref", in.Ticket.Ref, "system", a.Desk.Name(), "incident", inc.Number)
	return ticket.IncidentLink{System: a.Desk.Name(), ID: inc.ID, Number: inc.Number}, nil
}

// MirrorInput is one transition to copy to the service desk.
type MirrorInput struct {
	Ref      string              `json:"ref"`
	Incident ticket.IncidentLink `json:"incident"`
	Key      string              `json:"key"` // unique per timeline event: the comment's idempotency key
	Status   *servicedesk.Status `json:"status,omitempty"`
	Priority *ticket.Priority    `json:"priority,omitempty"`
	Group    *servicedesk.Group  `json:"group,omitempty"`
	Escalate bool                `json:"escalate,omitempty"`
	Comment  string              `json:"comment"`
	// DuplicateOf is the hcaops reference of the master ticket, for a duplicate.
	DuplicateOf string `json:"duplicateOf,omitempty"`
	// Link writes the ticket reference on an incident people opened in the desk.
	Link bool `json:"link,omitempty"`
	// Action is the timeline event mirrored ("route-to-es"), which names the delivery in
	// the ticket's history; empty in old histories and for hcaops's own answers.
	Action string `json:"action,omitempty"`
}

// clean takes control characters out of text on its way to the desk (ticket.CleanText):
// text kept in older histories may predate the guard.
func clean(f ticket.Field, s string) string {
	s, _ = ticket.CleanText(f, s)
	return s
}

// MirrorTransition updates the incident and adds the comment, each idempotently.
func (a *ServiceDesk) MirrorTransition(ctx context.Context, in MirrorInput) (err error) {
	// Counted against the desk the incident is in, which need not be the desk of new tickets.
	defer countDeskError(ctx, a.systemOf(in.Incident.System), "mirror-transition", &err)
	in.Comment = clean(ticket.FieldComment, in.Comment)
	desk, err := a.deskFor(in.Incident.System)
	if err != nil {
		return err
	}
	if in.Link {
		if err := desk.LinkIncident(ctx, in.Incident.ID, in.Ref); err != nil {
			return classify(fmt.Sprintf("link incident %s to ticket %s", in.Incident.Number, in.Ref), err)
		}
	}
	u := servicedesk.Update{Status: in.Status, Priority: in.Priority, Group: in.Group}
	if in.Escalate {
		yes := true
		u.Escalated = &yes
	}
	if in.DuplicateOf != "" {
		master, err := desk.FindIncident(ctx, in.DuplicateOf)
		if err != nil && !errors.Is(err, servicedesk.ErrNotFound) {
			return classify(fmt.Sprintf("find master ticket %s of %s", in.DuplicateOf, in.Ref), err)
		}
		u.DuplicateOf = master.ID // empty when the master has no incident: cancelled all the same
	}
	if in.Status != nil && (*in.Status == servicedesk.StatusResolved || *in.Status == servicedesk.StatusCancelled) {
		u.Resolution = in.Comment
	}
	// The incident's fields and the comment are separate resources in both desks, each
	// written idempotently on its own (the comment by its key), so they go out at once: an
	// operator's action waits for the slower of the two, not for both in turn (issue 9).
	// People may see the comment a moment before the change it explains.
	var writes sync.WaitGroup
	var updateErr, commentErr error
	if u.Status != nil || u.Priority != nil || u.Group != nil || u.Escalated != nil {
		writes.Go(func() {
			if err := desk.UpdateIncident(ctx, in.Incident.ID, u); err != nil {
				updateErr = classify(fmt.Sprintf("update incident %s of ticket %s", in.Incident.Number, in.Ref), err)
			}
		})
	}
	if in.Comment != "" { // empty for a change people made in the desk: it is there already
		writes.Go(func() {
			if err := desk.AddComment(ctx, in.Incident.ID, in.Key, in.Comment); err != nil {
				commentErr = classify(fmt.Sprintf("comment on incident %s of ticket %s", in.Incident.Number, in.Ref), err)
			}
		})
	}
	writes.Wait()
	return retryFirst(updateErr, commentErr)
}

// retryFirst returns a failure worth retrying before a refusal the desk will repeat: the
// retry delivers what failed for now (what went through is idempotent and not written
// twice), and the refusal comes back then and is recorded. Refusal first would drop a
// write that only needed another try.
func retryFirst(errs ...error) error {
	var refusal error
	for _, err := range errs {
		var app *temporal.ApplicationError
		switch {
		case err == nil:
		case errors.As(err, &app) && app.NonRetryable():
			refusal = cmp.Or(refusal, err)
		default:
			return err
		}
	}
	return refusal
}

// classify turns a service desk failure into a retryable error or a final one.
func classify(op string, err error) error {
	var re *servicedesk.ResponseError
	if errors.As(err, &re) && !re.Retryable {
		return temporal.NewNonRetryableApplicationError(op+": "+re.Error(), ErrTypeDeskRejected, nil)
	}
	return fmt.Errorf("%s: %w", op, err)
}
