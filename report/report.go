// Package report computes the service report the product manager reads: compliance with
// the service targets, times to acknowledge and resolve, time with ES, reopenings,
// cancellations, breaches and the backlog, and the ES side (submissions against ES's
// daily reports). It reads tickets as their workflows keep them (final results of closed
// tickets, query answers of open ones) and renders HTML with charts, CSV and JSON. It does
// no I/O of its own: the callers fetch the data from Temporal.
package report

import (
	"time"

	"github.com/hcaops/hcaops/ticket"
)

// Input is everything one report is computed from.
type Input struct {
	From, To  string         // the period's first and last day, YYYY-MM-DD, inclusive
	Zone      *time.Location // the days and weeks are this zone's; nil means America/New_York
	AsOf      time.Time      // when the data was read: open tickets are measured up to here
	UIURL     string         // base of the Temporal UI, for links to tickets
	Namespace string
	// Tickets are every ticket that may matter to the period: opened in it, or open at any
	// time during it. One entry per ticket (the latest run of a continued workflow).
	Tickets    []ticket.Ticket
	Unreadable int // tickets whose workflow could not be read (failed or terminated runs)
	// ES side.
	Submissions  []Submission
	DailyReports []DailyReport
}

// Submission is one 10-10EZ submission as vets.gov last saw it.
type Submission struct {
	Date   string `json:"date"`   // the day ES acknowledged it (ES local), YYYY-MM-DD
	Status string `json:"status"` // submitting, processing, processed, failed, stuck
}

// DailyReport is the outcome of one day's reconciliation of ES's report.
type DailyReport struct {
	Date          string `json:"date"`
	Outcome       string `json:"outcome"` // reconciled, discrepancies, missing
	ESRows        int    `json:"esRows"`
	Submitted     int    `json:"submitted"` // vets.gov's submissions the reconciliation saw
	MissingFromES int    `json:"missingFromEs"`
	UnknownToUs   int    `json:"unknownToVetsGov"`
	Mismatched    int    `json:"mismatched"`
	Stuck         int    `json:"stuck"`
}

// Report is the computed report; its JSON form is the report's JSON output.
type Report struct {
	From        string    `json:"from"`
	To          string    `json:"to"`
	Zone        string    `json:"zone"`
	GeneratedAt time.Time `json:"generatedAt"`
	Tickets     int       `json:"tickets"` // opened in the period
	Unreadable  int       `json:"unreadable"`

	Overall    Row   `json:"overall"`
	ByPriority []Row `json:"byPriority"`
	ByTier     []Row `json:"byTier"`    // the deepest tier each ticket reached
	ByChannel  []Row `json:"byChannel"` // how the caller reached HRC
	ByWeek     []Row `json:"byWeek"`    // ISO week the ticket was opened

	Cancellations []Count  `json:"cancellations"` // by reason
	Breaches      []Breach `json:"breaches"`      // clocks that reached their target in the period
	// Backlog at the end of the period: tickets not resolved, closed or cancelled, by age.
	Backlog   []Count      `json:"backlog"`
	OpenOver  []OpenTicket `json:"openOver30Days"`
	ResolveBy []Histogram  `json:"timeToResolve"` // calendar days to resolve, by priority

	ES ESSide `json:"es"`
}

// Row holds the figures of one group of tickets (a priority, a tier, a channel, a week).
type Row struct {
	Key        string     `json:"key"`
	Tickets    int        `json:"tickets"`
	Ack        Compliance `json:"acknowledge"`
	Resolution Compliance `json:"resolution"`
	ESClock    Compliance `json:"esClock"`
	TimeToAck  Times      `json:"timeToAcknowledge"` // escalation to acknowledgement
	TimeToFix  Times      `json:"timeToResolve"`     // opened to (last) resolved
	AwaitingES Times      `json:"awaitingEs"`        // wall time in Awaiting ES, tickets that went there
	Resolved   int        `json:"resolved"`          // reached Resolved at least once
	Reopened   int        `json:"reopened"`
	ReopenRate *float64   `json:"reopenRate"` // Reopened / Resolved; null when none resolved
	Cancelled  int        `json:"cancelled"`
}

// Compliance counts one clock's verdicts; Percent is Met of Met+Missed, null if neither.
type Compliance struct {
	Met     int      `json:"met"`
	Missed  int      `json:"missed"`
	Pending int      `json:"pending"`
	Percent *float64 `json:"percent"`
}

// Times summarises durations in hours: calendar time, and business hours on the ticket's
// own business calendar. P90 is the nearest-rank 90th percentile.
type Times struct {
	N                  int     `json:"n"`
	MeanCalendarHours  float64 `json:"meanCalendarHours"`
	P90CalendarHours   float64 `json:"p90CalendarHours"`
	MeanBusinessHours  float64 `json:"meanBusinessHours"`
	P90BusinessHours   float64 `json:"p90BusinessHours"`
	TotalCalendarHours float64 `json:"totalCalendarHours"`
	calendar, business []time.Duration
}

// Count is a labelled number.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// Breach is one clock that reached its target.
type Breach struct {
	Ref        string    `json:"ref"`
	Clock      string    `json:"clock"`
	Priority   string    `json:"priority"`
	Tier       string    `json:"tier"`
	BreachedAt time.Time `json:"breachedAt"`
	Link       string    `json:"link"`
}

// OpenTicket is a ticket in the backlog for longer than 30 days.
type OpenTicket struct {
	Ref      string  `json:"ref"`
	Priority string  `json:"priority"`
	State    string  `json:"state"`
	Tier     string  `json:"tier"`
	AgeDays  float64 `json:"ageDays"`
	Summary  string  `json:"summary"`
	Link     string  `json:"link"`
}

// Histogram counts resolved tickets of one priority by calendar days to resolve.
type Histogram struct {
	Priority string  `json:"priority"`
	Bins     []Count `json:"bins"`
}

// ESSide is the Enrollment System part: what vets.gov submitted against what ES reported.
type ESSide struct {
	Days      []ESDay `json:"days"`
	StatusMix []Count `json:"statusMix"` // vets.gov's submissions of the period by their final status
	Missing   int     `json:"daysWithoutReport"`
}

// ESDay is one day: submissions vets.gov made, rows ES reported, and the differences.
type ESDay struct {
	Date          string `json:"date"`
	Submitted     int    `json:"submitted"` // vets.gov's submissions of the day (visibility)
	Reported      bool   `json:"reported"`  // a reconciliation of ES's report exists
	Outcome       string `json:"outcome,omitempty"`
	ESRows        int    `json:"esRows"`
	Discrepancies int    `json:"discrepancies"`
	MissingFromES int    `json:"missingFromEs"`
	UnknownToUs   int    `json:"unknownToVetsGov"`
	Mismatched    int    `json:"mismatched"`
	Stuck         int    `json:"stuck"`
}
