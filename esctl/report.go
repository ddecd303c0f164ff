package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/hcaops/hcaops/reconcile"
	"github.com/hcaops/hcaops/workflows"
)

// reportRun starts the daily report workflow for a date now and waits for it.
func (e *env) reportRun(ctx context.Context, args []string) error {
	// Dates are ES's days, as in the report.
	loc, err := time.LoadLocation(e.cfg.ES.ReportZone)
	if err != nil {
		return err
	}
	today := time.Now().In(loc)
	date := today.AddDate(0, 0, -1).Format(time.DateOnly)
	if len(args) > 0 {
		date = args[0]
		if date == "today" {
			date = today.Format(time.DateOnly)
		}
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return fmt.Errorf("date %q is not YYYY-MM-DD", date)
	}
	policy := e.cfg.ES.Report
	run, err := e.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: fmt.Sprintf("es-daily-report-%s-manual-%d", date, time.Now().Unix()), TaskQueue: workflows.TaskQueue,
		StaticSummary: "ES daily report for " + date + " (run by hand)",
	}, workflows.DailyReportWorkflow, workflows.DailyReportInput{Date: date, Policy: &policy})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "reconciling the ES report of %s: %s\n", date, e.ops.Link(run.GetID()))
	// A late report keeps the run asking for days; the command does not wait that long.
	wait, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	var res workflows.DailyReportResult
	if err := run.Get(wait, &res); errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("ES's report of %s has not come yet; the run keeps asking (esctl report show %s says when it is done)", date, date)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "%s after %d attempt(s)\n", res.Outcome, res.Attempts)
	if res.Reconcile.Summary != "" {
		fmt.Fprintf(e.out, "%s\ndetails: esctl report show %s\n", res.Reconcile.Summary, date)
	}
	if res.LateTicketResolved {
		fmt.Fprintf(e.out, "resolved ESREPORT-%s with the result\n", date)
	}
	if res.TicketRef != "" {
		fmt.Fprintf(e.out, "ticket routed to ES: %s\n", res.TicketRef)
	}
	return nil
}

// reportShow prints a day's reconciliation as Temporal keeps it: the daily report run's
// result, whichever machine this runs on.
func (e *env) reportShow(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("report show needs a date (YYYY-MM-DD)")
	}
	res, run, err := e.reports.Reconciliation(ctx, args[0])
	if err != nil {
		if run.WorkflowID != "" {
			err = fmt.Errorf("%w\n  run: %s", err, e.ops.Link(run.WorkflowID))
		}
		return err
	}
	if err := reconcile.WriteMarkdown(e.out, *res.Reconcile.Result); err != nil {
		return err
	}
	fmt.Fprintf(e.out, "\nRun %s (%s): %s\n", run.WorkflowID, res.Outcome, e.ops.Link(run.WorkflowID))
	for _, t := range []struct{ ref, what string }{{res.TicketRef, "raised"}, {res.LateTicketRef, "raised while the report was late"}} {
		if t.ref != "" {
			fmt.Fprintf(e.out, "Ticket %s %s.\n", t.ref, t.what)
		}
	}
	return nil
}

func (e *env) reportRollup(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("report rollup", flag.ContinueOnError)
	period := fs.String("period", "daily", "daily, weekly or monthly")
	from := fs.String("from", "", "first date (YYYY-MM-DD)")
	to := fs.String("to", "", "last date (YYYY-MM-DD)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Checked before asking Temporal, so a typo is named at once.
	if _, err := reconcile.RollUp(reconcile.Period(*period), *from, *to, nil); err != nil {
		return err
	}
	days, err := e.reports.Figures(ctx, *from, *to)
	if err != nil {
		return err
	}
	rs, err := reconcile.RollUp(reconcile.Period(*period), *from, *to, days)
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		fmt.Fprintln(e.out, "no reconciled day in that range (closed runs are kept for the namespace's retention period)")
		return nil
	}
	return reconcile.RenderRollups(e.out, reconcile.Period(*period), rs)
}
