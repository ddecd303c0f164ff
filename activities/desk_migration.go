package activities

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/activity"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/ticket"
)

// MigrateInput is one ticket's move to another desk.
type MigrateInput struct {
	Ticket   ticket.NewTicket    `json:"ticket"`
	From     ticket.IncidentLink `json:"from"`
	To       string              `json:"to"` // "dynamics"
	Status   servicedesk.Status  `json:"status"`
	Group    servicedesk.Group   `json:"group"`
	Priority ticket.Priority     `json:"priority"`
	// Notes are the ticket's timeline, one note each, keyed as the mirror keys comments.
	Notes []MigrateNote `json:"notes"`
}

// MigrateNote is one timeline event as a note.
type MigrateNote struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// MigrateResult is where the ticket's incident is now.
type MigrateResult struct {
	Incident ticket.IncidentLink `json:"incident"`
	Desk     ticket.DeskView     `json:"desk"`
}

// MigrateIncident moves a ticket's incident to another desk: it creates the incident
// there (found first, if an earlier attempt created it) with the timeline as notes and
// the ticket's status, points each incident at the other, and closes the old one. Every
// step finds before it writes, so a retry after any failure, or a second run, doubles
// nothing.
func (a *ServiceDesk) MigrateIncident(ctx context.Context, in MigrateInput) (MigrateResult, error) {
	to, err := a.deskFor(in.To)
	if err != nil {
		return MigrateResult{}, err
	}
	from, err := a.deskFor(in.From.System)
	if err != nil {
		return MigrateResult{}, err
	}
	ref := in.Ticket.Ref
	inc, err := to.EnsureIncident(ctx, servicedesk.NewIncident{
		Ref: ref, Summary: in.Ticket.Summary, Description: in.Ticket.Description, Category: in.Ticket.Category,
		Channel: in.Ticket.Channel, Priority: in.Priority, Group: in.Group,
	})
	if err != nil {
		return MigrateResult{}, classify(fmt.Sprintf("create the %s incident of ticket %s", in.To, ref), err)
	}
	activity.RecordHeartbeat(ctx, "created "+inc.Number)
	for _, n := range in.Notes {
		if err := to.AddComment(ctx, inc.ID, n.Key, n.Text); err != nil {
			return MigrateResult{}, classify(fmt.Sprintf("copy the timeline of ticket %s", ref), err)
		}
	}
	pointer := fmt.Sprintf("Moved from %s incident %s.", in.From.System, in.From.Number)
	if err := to.AddComment(ctx, inc.ID, "migrated-from", pointer); err != nil {
		return MigrateResult{}, classify(fmt.Sprintf("point %s at %s", inc.Number, in.From.Number), err)
	}
	// The status last: a resolved Dynamics incident takes no more notes.
	status, group, priority := in.Status, in.Group, in.Priority
	if err := to.UpdateIncident(ctx, inc.ID, servicedesk.Update{Status: &status, Group: &group, Priority: &priority}); err != nil {
		return MigrateResult{}, classify(fmt.Sprintf("set the status of %s", inc.Number), err)
	}
	moved := fmt.Sprintf("Moved to %s case %s: ticket %s continues there.", in.To, inc.Number, ref)
	if err := from.AddComment(ctx, in.From.ID, "migrated-to", moved); err != nil {
		return MigrateResult{}, classify(fmt.Sprintf("point %s at %s", in.From.Number, inc.Number), err)
	}
	closed := servicedesk.StatusClosed
	if err := from.UpdateIncident(ctx, in.From.ID, servicedesk.Update{Status: &closed, Resolution: moved}); err != nil {
		return MigrateResult{}, classify(fmt.Sprintf("close %s incident %s", in.From.System, in.From.Number), err)
	}
	activity.GetLogger(ctx).Info("incident moved", "ref", ref, "from", in.From.Number, "to", inc.Number)
	cs, cp := to.Canonical(status, priority)
	return MigrateResult{
		Incident: ticket.IncidentLink{System: to.Name(), ID: inc.ID, Number: inc.Number},
		Desk:     ticket.DeskView{Status: string(cs), Group: string(group), Priority: cp},
	}, nil
}
