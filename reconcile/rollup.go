package reconcile

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

// Period is how kept results are grouped for reporting.
type Period string

const (
	Daily   Period = "daily"
	Weekly  Period = "weekly" // ISO 8601 weeks: Monday to Sunday, numbered in their ISO year
	Monthly Period = "monthly"
)

// label names the period a day falls in: "2026-11-24", "2026-W48", "2026-11".
func (p Period) label(day time.Time) (string, error) {
	switch p {
	case Daily:
		return day.Format(time.DateOnly), nil
	case Weekly:
		y, w := day.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w), nil
	case Monthly:
		return day.Format("2006-01"), nil
	}
	return "", fmt.Errorf("unknown period %q: want %q, %q or %q", string(p), Daily, Weekly, Monthly)
}

// Figures are one day's reconciliation in numbers, what roll-ups add up: small enough to
// travel with the daily report workflow as its memo.
type Figures struct {
	Date          string `json:"date"`
	Submitted     int    `json:"submitted"` // vets.gov's submissions ES should list
	ESRows        int    `json:"esRows"`
	Processed     int    `json:"processed"`  // ES status 104
	Failed        int    `json:"failed"`     // ES status 101
	InProgress    int    `json:"inProgress"` // ES status 100, 102, 103
	OtherChannels int    `json:"otherChannels"`
	Discrepancies int    `json:"discrepancies"` // Result.Discrepancies
}

// Figures sums up r.
func (r Result) Figures() Figures {
	by := r.ES.ByStatus
	return Figures{
		Date: r.Date, Submitted: r.VetsGov.Total, ESRows: r.ES.Total,
		Processed: by[enrollment.StatusProcessed], Failed: by[enrollment.StatusSubmissionFailed],
		InProgress:    by[enrollment.StatusSubmitted] + by[enrollment.StatusProcessingInProgress] + by[enrollment.StatusProcessingPending],
		OtherChannels: r.OtherChannels.Total, Discrepancies: r.Discrepancies(),
	}
}

// Rollup sums the reconciled days of one period.
type Rollup struct {
	Period                string  `json:"period"` // "2026-11-24", "2026-W48", "2026-11"
	Days                  int     `json:"days"`   // reconciled days in the period
	Submitted             int     `json:"submitted"`
	ESRows                int     `json:"esRows"`
	Processed             int     `json:"processed"`     // ES status 104
	Failed                int     `json:"failed"`        // ES status 101
	InProgress            int     `json:"inProgress"`    // ES status 100, 102, 103
	OtherChannels         int     `json:"otherChannels"` // of ESRows
	ProcessedRate         float64 `json:"processedRate"` // of ESRows; 0 when none
	FailureRate           float64 `json:"failureRate"`
	Discrepancies         int     `json:"discrepancies"`
	DaysWithDiscrepancies int     `json:"daysWithDiscrepancies"`
}

// day is f as a roll-up of one day.
func (f Figures) day() Rollup {
	r := Rollup{Days: 1, Submitted: f.Submitted, ESRows: f.ESRows, Processed: f.Processed, Failed: f.Failed,
		InProgress: f.InProgress, OtherChannels: f.OtherChannels, Discrepancies: f.Discrepancies}
	if f.Discrepancies > 0 {
		r.DaysWithDiscrepancies = 1
	}
	return r
}

// add sums o's counts into r; the rates are left to rates.
func (r *Rollup) add(o Rollup) {
	r.Days += o.Days
	r.Submitted += o.Submitted
	r.ESRows += o.ESRows
	r.Processed += o.Processed
	r.Failed += o.Failed
	r.InProgress += o.InProgress
	r.OtherChannels += o.OtherChannels
	r.Discrepancies += o.Discrepancies
	r.DaysWithDiscrepancies += o.DaysWithDiscrepancies
}

func (r *Rollup) rates() {
	r.ProcessedRate, r.FailureRate = 0, 0
	if r.ESRows > 0 {
		r.ProcessedRate = float64(r.Processed) / float64(r.ESRows)
		r.FailureRate = float64(r.Failed) / float64(r.ESRows)
	}
}

// RollUp groups the days from..to (inclusive, YYYY-MM-DD; empty means unbounded) by p,
// in date order. Days with no reconciliation are simply absent, and Days says how many
// each period has. Each date may appear once.
func RollUp(p Period, from, to string, days []Figures) ([]Rollup, error) {
	if _, err := p.label(time.Time{}); err != nil {
		return nil, fmt.Errorf("roll up: %w", err)
	}
	for _, d := range []string{from, to} {
		if d == "" {
			continue
		}
		if _, err := parseDate(d); err != nil {
			return nil, fmt.Errorf("roll up: %w", err)
		}
	}
	if from != "" && to != "" && from > to {
		return nil, fmt.Errorf("roll up: from %s is after to %s", from, to)
	}
	days = slices.Clone(days)
	slices.SortFunc(days, func(a, b Figures) int { return strings.Compare(a.Date, b.Date) }) // YYYY-MM-DD sorts as it reads
	var out []Rollup
	for i, f := range days {
		day, err := parseDate(f.Date)
		if err != nil {
			return nil, fmt.Errorf("roll up: %w", err)
		}
		if i > 0 && days[i-1].Date == f.Date {
			return nil, fmt.Errorf("roll up: %s is given twice", f.Date)
		}
		if (from != "" && f.Date < from) || (to != "" && f.Date > to) {
			continue
		}
		label, _ := p.label(day)
		// Days come in order, so a period's days are consecutive.
		if len(out) == 0 || out[len(out)-1].Period != label {
			out = append(out, Rollup{Period: label})
		}
		out[len(out)-1].add(f.day())
	}
	for i := range out {
		out[i].rates()
	}
	return out, nil
}

// RenderRollups writes rs as an aligned text table, rates as percentages, with a total
// line when there is more than one period.
func RenderRollups(w io.Writer, p Period, rs []Rollup) error {
	first := map[Period]string{Daily: "Day", Weekly: "Week", Monthly: "Month"}[p]
	if first == "" {
		_, err := p.label(time.Time{})
		return fmt.Errorf("render roll-ups: %w", err)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	cells := func(c ...string) {
		for _, s := range c {
			io.WriteString(tw, s+"\t")
		}
		io.WriteString(tw, "\n")
	}
	cells(first, "Days", "Submitted", "ES rows", "Other channels", "Processed", "Failed", "In progress", "Processed %", "Failed %", "Discrepancies", "Days w/ discrepancies")
	line := func(r Rollup) {
		cells(r.Period, thousands(r.Days), thousands(r.Submitted), thousands(r.ESRows), thousands(r.OtherChannels), thousands(r.Processed),
			thousands(r.Failed), thousands(r.InProgress), percent(r.ProcessedRate), percent(r.FailureRate),
			thousands(r.Discrepancies), thousands(r.DaysWithDiscrepancies))
	}
	var total Rollup
	for _, r := range rs {
		line(r)
		total.add(r)
	}
	if len(rs) > 1 {
		total.Period = "Total"
		total.rates()
		line(total)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("render roll-ups: %w", err)
	}
	return nil
}

func percent(rate float64) string { return strconv.FormatFloat(rate*100, 'f', 1, 64) + "%" }
