package report

import (
	"context"
	"fmt"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

// Sources are where a report's data comes from: Temporal itself, through the ticket
// client (ticketclient.Client) and the submission client (submissions.Client), never a
// copy kept by hand.
type Sources struct {
	Tickets     TicketReader
	Submissions ESReader
	UIURL       string
	Namespace   string
}

// TicketReader reads every ticket open at or closed after since: the latest run of each,
// and how many could not be read.
type TicketReader interface {
	TicketsSince(ctx context.Context, since time.Time) ([]ticket.Ticket, int, error)
}

// ESReader reads the ES side of the days from..to.
type ESReader interface {
	StatusesBetween(ctx context.Context, from, to string) ([]Submission, error)
	DailyReportsBetween(ctx context.Context, from, to string) ([]DailyReport, error)
}

// Collect reads the period's tickets and ES figures from Temporal and builds the report.
func Collect(ctx context.Context, src Sources, from, to string, zone *time.Location, asOf time.Time) (Report, error) {
	if zone == nil {
		zone = defaultZone()
	}
	start, _, err := Period(from, to, zone)
	if err != nil {
		return Report{}, err
	}
	tickets, unreadable, err := src.Tickets.TicketsSince(ctx, start)
	if err != nil {
		return Report{}, fmt.Errorf("read tickets: %w", err)
	}
	statuses, err := src.Submissions.StatusesBetween(ctx, from, to)
	if err != nil {
		return Report{}, fmt.Errorf("read submissions: %w", err)
	}
	daily, err := src.Submissions.DailyReportsBetween(ctx, from, to)
	if err != nil {
		return Report{}, fmt.Errorf("read ES reconciliations: %w", err)
	}
	return Build(Input{From: from, To: to, Zone: zone, AsOf: asOf, UIURL: src.UIURL, Namespace: src.Namespace,
		Tickets: tickets, Unreadable: unreadable, Submissions: statuses, DailyReports: daily})
}
