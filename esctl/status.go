package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/hcaops/hcaops/internal/app"
	"github.com/hcaops/hcaops/workflows"
)

func (e *env) connectivity(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("connectivity", flag.ContinueOnError)
	n := fs.Int("n", 12, "how many recent checks to show")
	if err := fs.Parse(args); err != nil {
		return err
	}
	resp, err := e.client.QueryWorkflow(ctx, workflows.MonitorWorkflowID, "", workflows.QueryConnectivity)
	if err != nil {
		return fmt.Errorf("read the connectivity monitor (is the worker running?): %w", err)
	}
	var st workflows.MonitorState
	if err := resp.Get(&st); err != nil {
		return err
	}
	state := "reachable"
	if st.ConsecutiveFailures > 0 {
		state = fmt.Sprintf("FAILING: %d consecutive failed checks since %s", st.ConsecutiveFailures, st.FailingSince.Local().Format(time.DateTime))
	}
	fmt.Fprintf(e.out, "ES %s; %d checks so far; open incident: %s\n", state, st.TotalChecks, orNone(st.IncidentRef))
	if len(st.Outages) > 0 {
		fmt.Fprintln(e.out, "\noutages")
		for _, o := range st.Outages {
			to := "ongoing"
			if !o.To.IsZero() {
				to = o.To.Local().Format(time.DateTime) + " (" + o.To.Sub(o.From).Round(time.Second).String() + ")"
			}
			fmt.Fprintf(e.out, "  %s → %s  ticket %s\n", o.From.Local().Format(time.DateTime), to, o.TicketRef)
		}
	}
	fmt.Fprintln(e.out, "\nrecent checks")
	tw := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
	checks := st.Checks[max(0, len(st.Checks)-*n):]
	for _, c := range checks {
		result := "ok"
		if !c.OK {
			result = "FAILED: " + c.Error
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.At.Local().Format(time.DateTime), c.Latency.Round(time.Millisecond), result)
	}
	return tw.Flush()
}

func (e *env) schedules(ctx context.Context) error {
	tw := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCHEDULE\tWHEN\tNEXT RUNS\tLAST RUN")
	for _, id := range []string{app.ScheduleDailyReport, app.ScheduleCallAgenda, app.ScheduleServiceReport} {
		d, err := e.client.ScheduleClient().GetHandle(ctx, id).Describe(ctx)
		if err != nil {
			fmt.Fprintf(tw, "%s\tmissing (start the worker)\t\t\n", id)
			continue
		}
		when := ""
		for _, c := range d.Schedule.Spec.Calendars {
			when = c.Comment
		}
		for _, i := range d.Schedule.Spec.Intervals {
			when = "every " + i.Every.String()
		}
		if z := d.Schedule.Spec.TimeZoneName; z != "" {
			when += " (" + z + ")"
		}
		next := ""
		for i, t := range d.Info.NextActionTimes {
			if i == 2 {
				break
			}
			next += t.Local().Format("2006-01-02 15:04 ")
		}
		last := "—"
		if n := len(d.Info.RecentActions); n > 0 {
			last = d.Info.RecentActions[n-1].ActualTime.Local().Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", id, when, next, last)
	}
	fmt.Fprintf(tw, "%s\tES health checks: the monitor runs them itself (esctl connectivity)\t\t\n", workflows.MonitorWorkflowID)
	return tw.Flush()
}

func (e *env) submission(ctx context.Context, id string) error {
	resp, err := e.client.QueryWorkflow(ctx, workflows.SubmissionWorkflowID(id), "", workflows.QuerySubmission)
	if err != nil {
		return fmt.Errorf("no submission %s: %w", id, err)
	}
	var st workflows.SubmissionState
	if err := resp.Get(&st); err != nil {
		return err
	}
	fmt.Fprintf(e.out, "application      %s\noutcome          %s\nES status        %d\nformSubmissionId %d\nstatus checks    %d\nticket           %s\nerror            %s\n",
		st.ApplicationID, st.Outcome, st.ESStatus, st.FormSubmissionID, st.StatusChecks, orNone(st.TicketRef), orNone(st.Error))
	if st.OutcomeUnknownAttempts > 0 {
		fmt.Fprintf(e.out, "possible duplicate: %d attempt(s) reached ES without an answer; ES may hold a record not listed here\n", st.OutcomeUnknownAttempts)
	}
	if len(st.Attempts) == 0 {
		return nil
	}
	fmt.Fprintln(e.out, "\nsaveSubmitForm attempts")
	tw := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
	for _, a := range st.Attempts {
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\n", a.Number, a.At.Local().Format(time.DateTime), a.Outcome, a.Error)
	}
	return tw.Flush()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
