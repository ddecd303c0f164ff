package report

import (
	"fmt"
	"strings"
)

// Text is the report in a few plain lines, for an email body or a terminal.
func Text(r Report) string {
	var b strings.Builder
	pc := func(c Compliance) string {
		if c.Percent == nil {
			return "no verdict yet"
		}
		return fmt.Sprintf("%.1f%% (%d met, %d missed, %d pending)", *c.Percent, c.Met, c.Missed, c.Pending)
	}
	fmt.Fprintf(&b, "Service report %s to %s: %d tickets opened.\n\n", r.From, r.To, r.Tickets)
	fmt.Fprintf(&b, "Acknowledged in time: %s\n", pc(r.Overall.Ack))
	fmt.Fprintf(&b, "Resolved in time:     %s\n", pc(r.Overall.Resolution))
	fmt.Fprintf(&b, "ES in time:           %s\n", pc(r.Overall.ESClock))
	if t := r.Overall.TimeToFix; t.N > 0 {
		fmt.Fprintf(&b, "Time to resolve:      mean %.1f h, p90 %.1f h (business: mean %.1f h, p90 %.1f h)\n",
			t.MeanCalendarHours, t.P90CalendarHours, t.MeanBusinessHours, t.P90BusinessHours)
	}
	if r.Overall.ReopenRate != nil {
		fmt.Fprintf(&b, "Reopened:             %.1f%% (%d of %d resolved)\n", *r.Overall.ReopenRate, r.Overall.Reopened, r.Overall.Resolved)
	}
	fmt.Fprintf(&b, "\nBy priority:\n")
	for _, row := range r.ByPriority {
		fmt.Fprintf(&b, "  %-7s %4d tickets, resolution %s\n", row.Key, row.Tickets, pc(row.Resolution))
	}
	backlog := 0
	for _, c := range r.Backlog {
		backlog += c.Count
	}
	fmt.Fprintf(&b, "\nBacklog at the end of the period: %d open, %d for more than 30 days.\n", backlog, len(r.OpenOver))
	fmt.Fprintf(&b, "Breaches in the period: %d\n", len(r.Breaches))
	for i, br := range r.Breaches {
		if i == 20 {
			fmt.Fprintf(&b, "  ... and %d more\n", len(r.Breaches)-20)
			break
		}
		fmt.Fprintf(&b, "  %s %s (%s) %s %s\n", br.Ref, br.Clock, br.Priority, br.BreachedAt.UTC().Format("2006-01-02 15:04 UTC"), br.Link)
	}
	sub, rows, disc := 0, 0, 0
	for _, d := range r.ES.Days {
		sub, rows, disc = sub+d.Submitted, rows+d.ESRows, disc+d.Discrepancies
	}
	fmt.Fprintf(&b, "\nES: %d submitted, %d rows in ES's reports, %d discrepancies, %d day(s) without a reconciled report.\n",
		sub, rows, disc, r.ES.Missing)
	return b.String()
}
