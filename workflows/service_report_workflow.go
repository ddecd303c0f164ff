package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/internal/zones"
)

// ServiceReportInput names the period; empty From and To mean the ISO week (Monday to
// Sunday, in Zone) before the scheduled run.
type ServiceReportInput struct {
	From       string   `json:"from,omitempty"`
	To         string   `json:"to,omitempty"`
	Zone       string   `json:"zone"`
	Recipients []string `json:"recipients"`
}

// ServiceReportWorkflow produces the service report of a period from Temporal's own data
// and sends it to the product manager. Its result keeps the headline figures, readable
// wherever a client runs.
func ServiceReportWorkflow(ctx workflow.Context, in ServiceReportInput) (activities.ServiceReportOutcome, error) {
	zone, err := zones.Load(in.Zone)
	if err != nil {
		return activities.ServiceReportOutcome{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("zone %q is not an IANA time zone", in.Zone), "InvalidZone", nil)
	}
	from, to := in.From, in.To
	if from == "" && to == "" {
		from, to = WeekBefore(scheduledTime(ctx), zone)
	}
	workflow.SetCurrentDetails(ctx, fmt.Sprintf("Service report **%s** to **%s**", from, to))
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute, // reads every ticket of the period
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 30 * time.Second, MaximumInterval: 10 * time.Minute, MaximumAttempts: 10},
	})
	var a *activities.ServiceReport
	var out activities.ServiceReportOutcome
	err = workflow.ExecuteActivity(actx, a.SendServiceReport, activities.ServiceReportInput{
		From: from, To: to, Zone: in.Zone, Recipients: in.Recipients,
	}).Get(ctx, &out)
	if err == nil {
		workflow.SetCurrentDetails(ctx, fmt.Sprintf("Service report **%s** to **%s**: %d tickets, %d breaches", from, to, out.Tickets, out.Breaches))
	}
	return out, err
}

// WeekBefore is the ISO week (Monday to Sunday) before the one holding at, in zone.
func WeekBefore(at time.Time, zone *time.Location) (from, to string) {
	d := at.In(zone)
	monday := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, zone).AddDate(0, 0, -((int(d.Weekday())+6)%7)-7)
	return monday.Format(time.DateOnly), monday.AddDate(0, 0, 6).Format(time.DateOnly)
}
