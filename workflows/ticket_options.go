package workflows

import (
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/hcaops/hcaops/ticket"
)

// TaskQueue is where ticket workflows and their activities run.
const TaskQueue = "hcaops-tickets"

// TicketWorkflowID derives the workflow ID from the ticket reference, so opening the same
// ticket twice finds the first one.
func TicketWorkflowID(ref string) string { return "ticket-" + ref }

// InitialSearchAttributes are set at start, so a new ticket is listed at once.
func InitialSearchAttributes(n ticket.NewTicket) temporal.SearchAttributes {
	return temporal.NewSearchAttributes(
		TicketStatus.ValueSet(string(ticket.StateNew)),
		TicketTier.ValueSet(string(ticket.TierHRC)),
		TicketPriority.ValueSet(string(n.Priority)),
		TicketChannel.ValueSet(string(n.Channel)),
		TicketProduct.ValueSet(string(n.Product)),
		TicketRef.ValueSet(n.Ref),
		SLABreached.ValueSet(false),
	)
}

// StaticSummary is the one line the Temporal UI shows for a ticket.
func StaticSummary(n ticket.NewTicket) string {
	return fmt.Sprintf("%s · %s · %s · %s", n.Ref, n.Priority, productName(n.Product), n.Summary)
}

func productName(p ticket.Product) string {
	switch p {
	case ticket.ProductOnline1010EZ:
		return "VA.gov online 10-10EZ"
	case ticket.ProductLegacyVOA:
		return "legacy VOA"
	}
	return string(p)
}
