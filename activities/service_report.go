package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/hcaops/hcaops/notify"
	"github.com/hcaops/hcaops/report"
)

// ServiceReport produces the service report from Temporal and sends it to the product
// manager through the notification path.
type ServiceReport struct {
	Sources  report.Sources
	Notifier notify.Notifier
}

// ServiceReportInput names the period (days in Zone) and the recipients.
type ServiceReportInput struct {
	From       string   `json:"from"`
	To         string   `json:"to"`
	Zone       string   `json:"zone"`
	Recipients []string `json:"recipients"`
}

// ServiceReportOutcome is what the workflow keeps of a report: its headline figures.
type ServiceReportOutcome struct {
	From              string   `json:"from"`
	To                string   `json:"to"`
	Tickets           int      `json:"tickets"`
	AckPercent        *float64 `json:"ackPercent"`
	ResolutionPercent *float64 `json:"resolutionPercent"`
	ESPercent         *float64 `json:"esPercent"`
	Breaches          int      `json:"breaches"`
	Backlog           int      `json:"backlog"`
	OpenOver30Days    int      `json:"openOver30Days"`
	Summary           string   `json:"summary"`
}

// SendServiceReport computes the report of the period and emails its summary.
func (a *ServiceReport) SendServiceReport(ctx context.Context, in ServiceReportInput) (ServiceReportOutcome, error) {
	zone, err := time.LoadLocation(in.Zone)
	if err != nil {
		return ServiceReportOutcome{}, fmt.Errorf("service report zone %q: %w", in.Zone, err)
	}
	r, err := report.Collect(ctx, a.Sources, in.From, in.To, zone, time.Now())
	if err != nil {
		return ServiceReportOutcome{}, fmt.Errorf("service report %s to %s: %w", in.From, in.To, err)
	}
	summary := report.Text(r)
	body := summary + fmt.Sprintf("\nThe full report with charts (HTML), CSV or JSON:\n  bin/reportctl service -from %s -to %s -o service-report.html\n", in.From, in.To)
	out := ServiceReportOutcome{From: r.From, To: r.To, Tickets: r.Tickets, AckPercent: r.Overall.Ack.Percent,
		ResolutionPercent: r.Overall.Resolution.Percent, ESPercent: r.Overall.ESClock.Percent, Breaches: len(r.Breaches),
		OpenOver30Days: len(r.OpenOver), Summary: summary}
	for _, c := range r.Backlog {
		out.Backlog += c.Count
	}
	err = a.Notifier.Notify(ctx, notify.Message{
		To:      in.Recipients,
		Subject: fmt.Sprintf("[hcaops] service report %s to %s", in.From, in.To),
		Body:    body,
		// One report per period: a retry, or the schedule's catch-up, sends the same message.
		Key:      "service-report-" + in.From + "-" + in.To,
		Progress: newHeartbeatProgress(ctx, nil),
	})
	return out, notifyErr(err)
}
