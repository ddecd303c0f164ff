package activities

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/hcaops/hcaops/ticket"
)

// TicketService opens, reads and acts on support tickets as an operator would;
// ticketclient.Client is the implementation (through the ticket workflows' Updates and
// queries).
type TicketService interface {
	OpenTicket(ctx context.Context, n ticket.NewTicket, then []ticket.Step) (existing bool, err error)
	Act(ctx context.Context, ref string, a ticket.Action, r ticket.Request) (ticket.View, error)
	Show(ctx context.Context, ref string) (ticket.View, error)
}

// TicketClient lets the Enrollment System workflows raise and follow up support tickets
// (hcaops's own ticket workflows, not the service desk).
type TicketClient struct {
	Tickets TicketService
}

// ErrTypeTicketRejected is the failure type of an action the ticket's state machine refused.
const ErrTypeTicketRejected = "TicketActionRejected"

// OpenTicketInput is a ticket hcaops raises itself, with the steps applied as it opens.
type OpenTicketInput struct {
	Ticket ticket.NewTicket `json:"ticket"`
	Then   []ticket.Step    `json:"then,omitempty"`
}

// OpenedTicket says which ticket exists now.
type OpenedTicket struct {
	Ref      string `json:"ref"`
	Existing bool   `json:"existing"` // opened before: a retried activity finds the first one
}

// OpenTicket opens a ticket; opening a reference that exists returns it, so retries are safe.
func (a *TicketClient) OpenTicket(ctx context.Context, in OpenTicketInput) (OpenedTicket, error) {
	if err := in.Ticket.Validate(); err != nil {
		return OpenedTicket{}, temporal.NewNonRetryableApplicationError("ticket "+in.Ticket.Ref+": "+err.Error(), "InvalidTicket", nil)
	}
	existing, err := a.Tickets.OpenTicket(ctx, in.Ticket, in.Then)
	if err != nil {
		return OpenedTicket{}, err
	}
	return OpenedTicket{Ref: in.Ticket.Ref, Existing: existing}, nil
}

// ActInput is one action on one ticket.
type ActInput struct {
	Ref     string         `json:"ref"`
	Action  ticket.Action  `json:"action"`
	Request ticket.Request `json:"request"`
}

// ActOnTicket applies an action and returns the ticket after it. A refusal is final:
// retrying cannot change the ticket's state.
func (a *TicketClient) ActOnTicket(ctx context.Context, in ActInput) (ticket.View, error) {
	v, err := a.Tickets.Act(ctx, in.Ref, in.Action, in.Request)
	if errors.Is(err, ticket.ErrRejected) {
		return ticket.View{}, temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeTicketRejected, nil)
	}
	if err != nil {
		return ticket.View{}, fmt.Errorf("%s on %s: %w", in.Action, in.Ref, err)
	}
	return v, nil
}

// ShowTicket reads a ticket.
func (a *TicketClient) ShowTicket(ctx context.Context, ref string) (ticket.View, error) {
	v, err := a.Tickets.Show(ctx, ref)
	if errors.Is(err, ticket.ErrRejected) {
		return ticket.View{}, temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeTicketRejected, nil)
	}
	return v, err
}
