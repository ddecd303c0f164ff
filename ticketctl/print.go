package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/ticketclient"
)

const stamp = "2006-01-02 15:04 MST"

func printTicket(w io.Writer, v ticket.View, link string) {
	fmt.Fprintf(w, "%s  %s\n", v.Ref, v.Summary)
	fmt.Fprintf(w, "state      %s (owner %s)", v.State, v.Tier)
	if v.HoldReason != "" {
		fmt.Fprintf(w, ", %s", v.HoldReason)
	}
	if v.DuplicateOf != "" {
		fmt.Fprintf(w, ", duplicate of %s", v.DuplicateOf)
	}
	fmt.Fprintf(w, "\npriority   %s   channel %s   product %s   category %s\n", v.Priority, v.Channel, v.Product, v.Category)
	if v.Incident.Number != "" {
		fmt.Fprintf(w, "incident   %s %s\n", v.Incident.System, v.Incident.Number)
	}
	if v.ES.Calls > 0 || v.ES.LastOutcome != "" {
		fmt.Fprintf(w, "ES call    on %d agenda(s), %d without progress", v.ES.Calls, v.ES.CallsWithoutProgress)
		if v.ES.LastOutcome != "" {
			fmt.Fprintf(w, "; last: %s (%s) %s", v.ES.LastOutcome, v.ES.LastCall, v.ES.LastComment)
		}
		if v.ES.Stalled {
			fmt.Fprint(w, "; ESCALATED: no ES progress")
		}
		fmt.Fprintln(w)
	}
	if v.State == ticket.StateResolved {
		fmt.Fprintf(w, "closes     %s unless reopened\n", v.CloseAt().Local().Format(stamp))
	}
	fmt.Fprintf(w, "ui         %s\n\nservice clocks (as of %s)\n", link, v.AsOf.Local().Format(stamp))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  CLOCK\tCALENDAR\tTARGET\tSTATUS\tELAPSED\tPAUSED\tDEADLINE")
	for _, c := range v.ClockViews {
		deadline := "—"
		if !c.Deadline.IsZero() {
			deadline = c.Deadline.Local().Format(stamp)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Name, c.Calendar, human(c.Target), c.Status, human(c.Elapsed), human(c.Paused), deadline)
	}
	tw.Flush()
	fmt.Fprintln(w, "\ntimeline")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, e := range v.Timeline {
		move := ""
		if e.To != "" {
			move = fmt.Sprintf("%s → %s", orDash(string(e.From)), e.To)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", e.At.Local().Format(stamp), e.Actor, e.Action, move, e.Comment)
	}
	tw.Flush()
	if len(v.Allowed) > 0 {
		fmt.Fprintf(w, "\nallowed now: %v\n", actionNames(v.Allowed))
	}
}

func printList(w io.Writer, rows []ticketclient.Summary) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REF\tSTATUS\tOWNER\tPRIORITY\tBREACHED\tNEXT DEADLINE\tOPENED")
	for _, r := range rows {
		due := "—"
		if !r.DueAt.IsZero() {
			due = r.DueAt.Local().Format(stamp)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%t\t%s\t%s\n", r.Ref, r.Status, r.Tier, r.Priority, r.Breached, due, r.Started.Local().Format(stamp))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d ticket(s)\n", len(rows))
}

// human prints durations the way people say them: 2d 4h, 35m, 12s.
func human(d time.Duration) string {
	if d <= 0 {
		return "0"
	}
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	switch {
	case days > 0:
		return fmt.Sprintf("%dd %dh", days, d/time.Hour)
	case d >= time.Hour:
		return fmt.Sprintf("%dh %dm", d/time.Hour, (d%time.Hour)/time.Minute)
	case d >= time.Minute:
		return fmt.Sprintf("%dm %ds", d/time.Minute, (d%time.Minute)/time.Second)
	}
	return fmt.Sprintf("%ds", d/time.Second)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
