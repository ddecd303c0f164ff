package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/hcaops/hcaops/reconcile"
	"github.com/hcaops/hcaops/workflows"
)

func (e *env) store() reconcile.Store { return reconcile.Store{Dir: e.cfg.ES.ReportsDir} }

// reportRun starts the daily report workflow for a date now and waits for it.
func (e *env) reportRun(ctx context.Context, args []string) error {
	// Dates are ES's local days, as in the report.
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
	var res workflows.DailyReportResult
	if err := run.Get(ctx, &res); err != nil {
		return err
	}
	fmt.Fprintf(e.out, "%s after %d attempt(s)\n", res.Outcome, res.Attempts)
	if res.Reconcile.Summary != "" {
		fmt.Fprintf(e.out, "%s\nkept: %s\n", res.Reconcile.Summary, res.Reconcile.MarkdownPath)
	}
	if res.TicketRef != "" {
		fmt.Fprintf(e.out, "ticket routed to ES: %s\n", res.TicketRef)
	}
	return nil
}

func (e *env) reportShow(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("report show needs a date (YYYY-MM-DD)")
	}
	if _, err := e.store().Load(args[0]); err != nil {
		return err
	}
	f, err := os.Open(e.cfg.ES.ReportsDir + "/" + args[0] + ".md")
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(e.out, f)
	return err
}

func (e *env) reportRollup(args []string) error {
	fs := flag.NewFlagSet("report rollup", flag.ContinueOnError)
	period := fs.String("period", "daily", "daily, weekly or monthly")
	from := fs.String("from", "", "first date (YYYY-MM-DD)")
	to := fs.String("to", "", "last date (YYYY-MM-DD)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rs, err := e.store().Rollup(reconcile.Period(*period), *from, *to)
	if err != nil {
		return err
	}
	return reconcile.RenderRollups(e.out, reconcile.Period(*period), rs)
}
