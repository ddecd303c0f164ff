package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"
)

// WriteCSV writes the report as CSV: several tables one after another, each row starting
// with its table's name (figures, breaches, backlog, open_over_30_days, cancellations,
// es_days, es_status_mix) and each table opening with its header row, so a spreadsheet
// shows them in order and a program filters on the first column.
func WriteCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	write := func(cells ...string) {
		for i, c := range cells {
			cells[i] = csvCell(c)
		}
		_ = cw.Write(cells)
	}
	write("figures", "dimension", "key", "tickets",
		"ack_met", "ack_missed", "ack_pending", "ack_pct",
		"resolution_met", "resolution_missed", "resolution_pending", "resolution_pct",
		"es_met", "es_missed", "es_pending", "es_pct",
		"ack_n", "ack_mean_calendar_h", "ack_p90_calendar_h", "ack_mean_business_h", "ack_p90_business_h",
		"resolve_n", "resolve_mean_calendar_h", "resolve_p90_calendar_h", "resolve_mean_business_h", "resolve_p90_business_h",
		"awaiting_es_n", "awaiting_es_total_h", "awaiting_es_mean_h",
		"resolved", "reopened", "reopen_pct", "cancelled")
	for _, g := range []struct {
		dim  string
		rows []Row
	}{{"overall", []Row{r.Overall}}, {"priority", r.ByPriority}, {"tier", r.ByTier}, {"channel", r.ByChannel}, {"week", r.ByWeek}} {
		for _, row := range g.rows {
			cells := []string{"figures", g.dim, row.Key, itoa(row.Tickets)}
			for _, c := range []Compliance{row.Ack, row.Resolution, row.ESClock} {
				cells = append(cells, itoa(c.Met), itoa(c.Missed), itoa(c.Pending), optional(c.Percent))
			}
			for _, t := range []Times{row.TimeToAck, row.TimeToFix} {
				cells = append(cells, itoa(t.N), num(t.MeanCalendarHours), num(t.P90CalendarHours), num(t.MeanBusinessHours), num(t.P90BusinessHours))
			}
			cells = append(cells, itoa(row.AwaitingES.N), num(row.AwaitingES.TotalCalendarHours), num(row.AwaitingES.MeanCalendarHours),
				itoa(row.Resolved), itoa(row.Reopened), optional(row.ReopenRate), itoa(row.Cancelled))
			write(cells...)
		}
	}
	write("breaches", "ref", "clock", "priority", "tier", "breached_at", "link")
	for _, b := range r.Breaches {
		write("breaches", b.Ref, b.Clock, b.Priority, b.Tier, b.BreachedAt.UTC().Format(time.RFC3339), b.Link)
	}
	write("backlog", "age", "tickets")
	for _, c := range r.Backlog {
		write("backlog", c.Key, itoa(c.Count))
	}
	write("open_over_30_days", "ref", "priority", "state", "tier", "age_days", "summary", "link")
	for _, o := range r.OpenOver {
		write("open_over_30_days", o.Ref, o.Priority, o.State, o.Tier, num(o.AgeDays), o.Summary, o.Link)
	}
	write("cancellations", "reason", "tickets")
	for _, c := range r.Cancellations {
		write("cancellations", c.Key, itoa(c.Count))
	}
	write("es_days", "date", "submitted", "reported", "outcome", "es_rows", "discrepancies", "missing_from_es",
		"unknown_to_vets_gov", "mismatched", "stuck")
	for _, d := range r.ES.Days {
		write("es_days", d.Date, itoa(d.Submitted), strconv.FormatBool(d.Reported), d.Outcome, itoa(d.ESRows),
			itoa(d.Discrepancies), itoa(d.MissingFromES), itoa(d.UnknownToUs), itoa(d.Mismatched), itoa(d.Stuck))
	}
	write("es_status_mix", "status", "submissions")
	for _, c := range r.ES.StatusMix {
		write("es_status_mix", c.Key, itoa(c.Count))
	}
	cw.Flush()
	return cw.Error()
}

// csvCell keeps a spreadsheet from reading text as a formula (CSV injection): a cell
// starting with = + - @ (or a tab or carriage return, which some spreadsheets skip
// before looking) gets a leading apostrophe. Other control characters are dropped.
func csvCell(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\r' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func optional(p *float64) string {
	if p == nil {
		return ""
	}
	return num(*p)
}
