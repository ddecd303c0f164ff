package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/ticket"
)

// DailyReportInput names the day to reconcile; empty means the day before the scheduled run.
type DailyReportInput struct {
	Date   string                   `json:"date,omitempty"`
	Policy *enrollment.ReportPolicy `json:"policy,omitempty"`
}

// DailyReportResult is the end of one day's reconciliation.
type DailyReportResult struct {
	Date      string                      `json:"date"`
	Outcome   string                      `json:"outcome"` // reconciled, discrepancies, missing
	Attempts  int                         `json:"attempts"`
	Reconcile activities.ReconcileOutcome `json:"reconcile,omitzero"`
	TicketRef string                      `json:"ticketRef,omitempty"`
}

// DailyReportWorkflow fetches ES's report of a day's submissions and reconciles it against
// what vets.gov submitted. A late report is asked for again until its deadline, then
// escalated as a ticket routed to ES; a discrepancy opens a ticket routed to ES with the figures.
func DailyReportWorkflow(ctx workflow.Context, in DailyReportInput) (DailyReportResult, error) {
	policy := enrollment.DefaultReportPolicy()
	if in.Policy != nil {
		policy = *in.Policy
	}
	at := scheduledTime(ctx)
	date := in.Date
	if date == "" {
		date = at.In(esZone).AddDate(0, 0, -1).Format(time.DateOnly)
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return DailyReportResult{}, temporal.NewNonRetryableApplicationError(fmt.Sprintf("date %q is not YYYY-MM-DD", date), "InvalidDate", nil)
	}
	res := DailyReportResult{Date: date}
	deadline := workflow.Now(ctx).Add(policy.DueAfter)
	if in.Date == "" {
		deadline = at.Add(policy.DueAfter)
	}
	var r *activities.Reports
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute, // a large report streams for a while
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 30 * time.Second, MaximumInterval: 5 * time.Minute, MaximumAttempts: 5},
	})
	for {
		res.Attempts++
		workflow.SetCurrentDetails(ctx, fmt.Sprintf("ES report for **%s**: attempt %d, due by %s", date, res.Attempts, deadline.UTC().Format(time.RFC3339)))
		var out activities.ReconcileOutcome
		err := workflow.ExecuteActivity(actx, r.ReconcileDailyReport, activities.ReconcileInput{Date: date, StuckAfter: policy.StuckAfter}).Get(ctx, &out)
		if err == nil && out.Ready {
			res.Reconcile = out
			break
		}
		if !workflow.Now(ctx).Before(deadline) {
			res.Outcome = "missing"
			why := "the report has not arrived"
			if err != nil {
				why = "fetching it keeps failing: " + ticket.SafeText(reason(err), 1000)
			}
			ref, terr := raiseESTicket(ctx, esTicketOptions(ctx), ticket.NewTicket{
				Ref: "ESREPORT-" + date, Channel: ticket.ChannelWeb, Product: ticket.ProductOnline1010EZ,
				Priority: ticket.PriorityMedium, Category: "daily-report", Reporter: ticket.SystemActor,
				Summary:     "ES daily submissions report for " + date + " is missing",
				Description: fmt.Sprintf("Asked %d times until %s; %s.", res.Attempts, deadline.UTC().Format(time.RFC3339), why),
			}, "ES to send the daily report")
			res.TicketRef = ref
			workflow.SetCurrentDetails(ctx, fmt.Sprintf("ES report for **%s** missing: ticket %s", date, ref))
			return res, terr
		}
		if err := workflow.Sleep(ctx, policy.RetryEvery); err != nil {
			return res, err
		}
	}
	res.Outcome = "reconciled"
	if res.Reconcile.Discrepancies {
		res.Outcome = "discrepancies"
		ref, err := raiseESTicket(ctx, esTicketOptions(ctx), ticket.NewTicket{
			Ref: "ESRECON-" + date, Channel: ticket.ChannelWeb, Product: ticket.ProductOnline1010EZ,
			Priority: ticket.PriorityMedium, Category: "reconciliation", Reporter: ticket.SystemActor,
			Summary:     "ES daily report for " + date + " disagrees with vets.gov submissions",
			Description: res.Reconcile.Summary + " Details: " + res.Reconcile.MarkdownPath,
		}, "ES to explain the differences in the daily report")
		res.TicketRef = ref
		if err != nil {
			return res, err
		}
	}
	workflow.SetCurrentDetails(ctx, fmt.Sprintf("ES report for **%s**: %s", date, res.Reconcile.Summary))
	return res, nil
}
