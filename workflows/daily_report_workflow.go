package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/reconcile"
	"github.com/hcaops/hcaops/ticket"
)

// DailyReportInput names the day to reconcile; empty means the day before the scheduled run.
type DailyReportInput struct {
	Date   string                   `json:"date,omitempty"`
	Policy *enrollment.ReportPolicy `json:"policy,omitempty"`
}

// Outcomes of a daily report run, in its result and memo.
const (
	ReportReconciled    = "reconciled"
	ReportDiscrepancies = "discrepancies"
	ReportMissing       = "missing" // never arrived: ESREPORT-<date> stays open
	ReportLate          = "late"    // past its deadline, ESREPORT-<date> raised, still asked for (memo only)
)

// DailyReportResult is the end of one day's reconciliation. Reconcile.Result holds the
// whole reconciliation: operators read it from here (esctl report show), wherever they are.
type DailyReportResult struct {
	Date      string                      `json:"date"`
	Outcome   string                      `json:"outcome"` // reconciled, discrepancies, missing
	Attempts  int                         `json:"attempts"`
	Reconcile activities.ReconcileOutcome `json:"reconcile,omitzero"`
	// ESRECON-<date> when the day has discrepancies; ESREPORT-<date> when the report never came.
	TicketRef string `json:"ticketRef,omitempty"`
	// ESREPORT-<date> when this run raised it while waiting, and whether it resolved it
	// with the result once the report arrived.
	LateTicketRef      string `json:"lateTicketRef,omitempty"`
	LateTicketResolved bool   `json:"lateTicketResolved,omitempty"`
}

// MemoReconciliation is the memo key of a daily report run (a DailyReportMemo): the day
// and its figures, so roll-ups read a visibility listing instead of every run's result.
const MemoReconciliation = "reconciliation"

// DailyReportMemo is what a daily report run shows in visibility. No PII.
type DailyReportMemo struct {
	Date    string             `json:"date"`
	Outcome string             `json:"outcome,omitempty"`
	Figures *reconcile.Figures `json:"figures,omitempty"`
}

// reportThroughTemporalChange versions what the run adds for people reading it through
// Temporal and for late reports: the memo, following a late report after ESREPORT and
// resolving that ticket when the report comes. Older histories replay without them.
const reportThroughTemporalChange = "report-through-temporal"

// DailyReportWorkflow fetches ES's report of a day's submissions and reconciles it against
// what vets.gov submitted, as of the report's cut-off. A late report is asked for again
// until its deadline, then escalated as ESREPORT-<date> routed to ES, and still asked for
// (less often) for Policy.FollowLateFor: when it arrives the day is reconciled and that
// ticket resolved with the result. A discrepancy opens ESRECON-<date> with the figures.
func DailyReportWorkflow(ctx workflow.Context, in DailyReportInput) (DailyReportResult, error) {
	policy := enrollment.DefaultReportPolicy()
	if in.Policy != nil {
		policy = *in.Policy
	}
	legacy := workflow.GetVersion(ctx, reportThroughTemporalChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion
	at := scheduledTime(ctx)
	date := in.Date
	if date == "" {
		date = at.In(reportZone(policy)).AddDate(0, 0, -1).Format(time.DateOnly)
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return DailyReportResult{}, temporal.NewNonRetryableApplicationError(fmt.Sprintf("date %q is not YYYY-MM-DD", date), "InvalidDate", nil)
	}
	res := DailyReportResult{Date: date}
	if !legacy {
		upsertReportMemo(ctx, DailyReportMemo{Date: date})
	}
	deadline := workflow.Now(ctx).Add(policy.DueAfter)
	if in.Date == "" {
		deadline = at.Add(policy.DueAfter)
	}
	giveUp := deadline
	if !legacy {
		giveUp = deadline.Add(policy.FollowLateFor)
	}
	var failure error
	for {
		res.Attempts++
		due := deadline
		if res.LateTicketRef != "" {
			due = giveUp
		}
		workflow.SetCurrentDetails(ctx, fmt.Sprintf("ES report for **%s**: attempt %d, due by %s%s", date, res.Attempts,
			due.UTC().Format(time.RFC3339), lateNote(res.LateTicketRef)))
		out, err := reconcileOnce(ctx, date, policy)
		if err == nil && out.Ready {
			res.Reconcile = out
			break
		}
		failure = err
		now := workflow.Now(ctx)
		if res.LateTicketRef == "" && !now.Before(deadline) {
			ref, err := raiseLateReport(ctx, date, res.Attempts, deadline, failure)
			res.LateTicketRef = ref
			if legacy || err != nil || !now.Before(giveUp) {
				res.Outcome, res.TicketRef = ReportMissing, ref
				workflow.SetCurrentDetails(ctx, fmt.Sprintf("ES report for **%s** missing: ticket %s", date, ref))
				return finishReport(ctx, res, legacy, err)
			}
			upsertReportMemo(ctx, DailyReportMemo{Date: date, Outcome: ReportLate})
		}
		if res.LateTicketRef != "" && !now.Before(giveUp) {
			res.Outcome, res.TicketRef = ReportMissing, res.LateTicketRef
			workflow.SetCurrentDetails(ctx, fmt.Sprintf("ES report for **%s** missing after %s: ticket %s stays open", date,
				policy.FollowLateFor, res.LateTicketRef))
			return finishReport(ctx, res, legacy, nil)
		}
		every := policy.RetryEvery
		if res.LateTicketRef != "" && policy.LateRetryEvery > 0 {
			every = policy.LateRetryEvery
		}
		if err := workflow.Sleep(ctx, every); err != nil {
			return res, err
		}
	}
	res.Outcome = ReportReconciled
	if res.Reconcile.Discrepancies {
		res.Outcome = ReportDiscrepancies
	}
	// A run by hand may be reconciling a day whose report an earlier run gave up on.
	if !legacy && (res.LateTicketRef != "" || in.Date != "") {
		resolved, err := resolveLateReport(ctx, date, res)
		if err != nil {
			return finishReport(ctx, res, legacy, err)
		}
		res.LateTicketResolved = resolved
	}
	if res.Reconcile.Discrepancies {
		ref, err := raiseESTicket(ctx, esTicketOptions(ctx), ticket.NewTicket{
			Ref: "ESRECON-" + date, Channel: ticket.ChannelWeb, Product: ticket.ProductOnline1010EZ,
			Priority: ticket.PriorityMedium, Category: "reconciliation", Reporter: ticket.SystemActor,
			Summary:     "ES daily report for " + date + " disagrees with vets.gov submissions",
			Description: reconDescription(date, res.Reconcile, legacy),
		}, "ES to explain the differences in the daily report")
		res.TicketRef = ref
		if err != nil {
			return finishReport(ctx, res, legacy, err)
		}
	}
	workflow.SetCurrentDetails(ctx, fmt.Sprintf("ES report for **%s**: %s", date, res.Reconcile.Summary))
	return finishReport(ctx, res, legacy, nil)
}

// reconcileOnce asks ES for the day's report and reconciles it.
func reconcileOnce(ctx workflow.Context, date string, p enrollment.ReportPolicy) (activities.ReconcileOutcome, error) {
	var r *activities.Reports
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute, // a large report streams for a while
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 30 * time.Second, MaximumInterval: 5 * time.Minute, MaximumAttempts: 5},
	})
	var out activities.ReconcileOutcome
	err := workflow.ExecuteActivity(actx, r.ReconcileDailyReport, activities.ReconcileInput{Date: date, StuckAfter: p.StuckAfter}).Get(ctx, &out)
	return out, err
}

// raiseLateReport opens ESREPORT-<date>, routed to ES.
func raiseLateReport(ctx workflow.Context, date string, attempts int, deadline time.Time, failure error) (string, error) {
	why := "the report has not arrived"
	if failure != nil {
		why = "fetching it keeps failing: " + ticket.SafeText(reason(failure), 1000)
	}
	return raiseESTicket(ctx, esTicketOptions(ctx), ticket.NewTicket{
		Ref: "ESREPORT-" + date, Channel: ticket.ChannelWeb, Product: ticket.ProductOnline1010EZ,
		Priority: ticket.PriorityMedium, Category: "daily-report", Reporter: ticket.SystemActor,
		Summary:     "ES daily submissions report for " + date + " is missing",
		Description: fmt.Sprintf("Asked %d times until %s; %s.", attempts, deadline.UTC().Format(time.RFC3339), why),
	}, "ES to send the daily report")
}

// resolveLateReport resolves ESREPORT-<date> with the reconciliation, the report having
// come. A ticket that does not exist, or is resolved already, is left as it is.
func resolveLateReport(ctx workflow.Context, date string, res DailyReportResult) (bool, error) {
	var t *activities.TicketClient
	comment := fmt.Sprintf("The report arrived (attempt %d) and was reconciled: %s.", res.Attempts, res.Reconcile.Summary)
	if res.Reconcile.Discrepancies {
		comment += " Discrepancies follow in ESRECON-" + date + "."
	}
	comment += " Details: esctl report show " + date
	err := workflow.ExecuteActivity(esTicketOptions(ctx), t.ActOnTicket, activities.ActInput{Ref: "ESREPORT-" + date, Action: ticket.ActResolve,
		Request: ticket.Request{Actor: ticket.SystemActor, Comment: ticket.SafeText(comment, 1500)}}).Get(ctx, nil)
	var refused *temporal.ApplicationError
	if errors.As(err, &refused) && refused.Type() == activities.ErrTypeTicketRejected {
		return false, nil
	}
	return err == nil, err
}

// reconDescription is the ESRECON ticket's text: the figures, and where anyone reads
// the whole reconciliation.
func reconDescription(date string, out activities.ReconcileOutcome, legacy bool) string {
	if legacy {
		return out.Summary + " Details: " + out.MarkdownPath
	}
	return out.Summary + ". Details: esctl report show " + date
}

// finishReport shows the run's day and figures in its memo, and ends it.
func finishReport(ctx workflow.Context, res DailyReportResult, legacy bool, err error) (DailyReportResult, error) {
	countESReport(ctx, res)
	if !legacy {
		m := DailyReportMemo{Date: res.Date, Outcome: res.Outcome}
		if r := res.Reconcile.Result; r != nil {
			f := r.Figures()
			m.Figures = &f
		}
		upsertReportMemo(ctx, m)
	}
	return res, err
}

func upsertReportMemo(ctx workflow.Context, m DailyReportMemo) {
	if err := workflow.UpsertMemo(ctx, map[string]any{MemoReconciliation: m}); err != nil {
		workflow.GetLogger(ctx).Error("upsert memo", "date", m.Date, "error", err)
	}
}

func lateNote(ref string) string {
	if ref == "" {
		return ""
	}
	return "; late: ticket " + ref
}

// reportZone is ES's day, which dates the report.
func reportZone(p enrollment.ReportPolicy) *time.Location { return esDay(p.ESZone) }
