package ticketclient

import (
	"context"
	"strings"

	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

// OpenFromDesk starts the ticket of an incident people opened in the service desk, linked
// to it from the start. The workflow ID derives from the incident's number, so a poll that
// sees the incident again, or a second poll racing this one, opens nothing: existing says
// the ticket was there already (open, or closed and not to be opened again).
func (c Client) OpenFromDesk(ctx context.Context, n ticket.NewTicket, link ticket.IncidentLink, view ticket.DeskView) (bool, error) {
	opened, err := c.open(ctx, n, workflows.TicketInput{FromDesk: &workflows.DeskOrigin{Incident: link, Desk: view}})
	return opened.Existing, err
}

// DeskChange hands people's changes in the desk to the ticket. stale is true when the
// ticket wrote to the desk after they were read.
func (c Client) DeskChange(ctx context.Context, ref string, ch ticket.DeskChange) (bool, error) {
	err := c.update(ctx, ref, workflows.UpdateDeskChange, ch, nil)
	if err != nil && strings.Contains(err.Error(), workflows.ErrStaleDeskChange) {
		return true, nil
	}
	if err != nil {
		return false, c.explain(ctx, ref, err)
	}
	return false, nil
}

// MigrateDesk asks a ticket to move its incident to the desk named to; the move runs in
// the ticket's outbox. A refusal (moved already, closed, no incident) matches
// ticket.ErrRejected.
func (c Client) MigrateDesk(ctx context.Context, ref, to, actor string) error {
	if err := c.update(ctx, ref, workflows.UpdateMigrateDesk, workflows.MigrateRequest{To: to, Actor: actor}, nil); err != nil {
		return c.explain(ctx, ref, err)
	}
	return nil
}
