package reconcile

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// keepDays is 40 synthetic reconciled days, 2026-10-20 (a Tuesday, ISO week 43) to
// 2026-11-28 (a Saturday, week 48), as Figures of whole Results. Each day ES reports 100
// rows, 10 of them from other channels: in October 80 processed and 10 failed, in
// November 70 and 20; always 10 in progress (4 at 100, 3 at 102, 3 at 103). vets.gov
// submitted 101. Every fifth day (i%5 == 0) has 1 missing and 2 stuck. They come out of
// order, as a listing of workflow runs may.
func keepDays(t *testing.T) []Figures {
	t.Helper()
	var days []Figures
	first := time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)
	for _, i := range rand.New(rand.NewPCG(1, 2)).Perm(40) {
		d := first.AddDate(0, 0, i)
		processed, failed := 80, 10
		if d.Month() == time.November {
			processed, failed = 70, 20
		}
		r := Result{
			Date:          d.Format(time.DateOnly),
			ES:            Counts{Total: 100, ByStatus: map[int]int{100: 4, 101: failed, 102: 3, 103: 3, 104: processed}},
			OtherChannels: Counts{Total: 10, ByStatus: map[int]int{104: 10}},
			VetsGov:       Counts{Total: 101, ByStatus: map[int]int{104: 101}},
		}
		if i%5 == 0 {
			r.MissingFromESCount, r.StuckCount = 1, 2
		}
		days = append(days, r.Figures())
	}
	return days
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestRollupMonthly(t *testing.T) {
	rs, err := RollUp(Monthly, "", "", keepDays(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []Rollup{
		// October: 12 days (20..31); i = 0, 5, 10 have discrepancies.
		{Period: "2026-10", Days: 12, Submitted: 1212, ESRows: 1200, OtherChannels: 120, Processed: 960, Failed: 120, InProgress: 120,
			ProcessedRate: 0.8, FailureRate: 0.1, Discrepancies: 9, DaysWithDiscrepancies: 3},
		// November: 28 days; i = 15, 20, 25, 30, 35.
		{Period: "2026-11", Days: 28, Submitted: 2828, ESRows: 2800, OtherChannels: 280, Processed: 1960, Failed: 560, InProgress: 280,
			ProcessedRate: 0.7, FailureRate: 0.2, Discrepancies: 15, DaysWithDiscrepancies: 5},
	}
	checkRollups(t, rs, want)
}

func TestRollupWeeklyCrossesMonth(t *testing.T) {
	rs, err := RollUp(Weekly, "", "", keepDays(t))
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	days := 0
	for _, r := range rs {
		labels = append(labels, r.Period+":"+itoa(r.Days))
		days += r.Days
	}
	if got, want := strings.Join(labels, " "), "2026-W43:6 2026-W44:7 2026-W45:7 2026-W46:7 2026-W47:7 2026-W48:6"; got != want || days != 40 {
		t.Errorf("weeks = %s (%d days), want %s", got, days, want)
	}
	// W44 is Mon 26 Oct .. Sun 1 Nov: six October days and one November day; i = 10
	// (30 Oct) has discrepancies.
	checkRollups(t, rs[1:2], []Rollup{{Period: "2026-W44", Days: 7, Submitted: 707, ESRows: 700, OtherChannels: 70, Processed: 550, Failed: 80,
		InProgress: 70, ProcessedRate: 550.0 / 700, FailureRate: 80.0 / 700, Discrepancies: 3, DaysWithDiscrepancies: 1}})
}

func TestRollupDailyAndRange(t *testing.T) {
	days := keepDays(t)
	rs, err := RollUp(Daily, "", "", days)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 40 || rs[0].Period != "2026-10-20" || rs[39].Period != "2026-11-28" || rs[0].DaysWithDiscrepancies != 1 || rs[1].Discrepancies != 0 {
		t.Errorf("daily: %d periods, first %+v, last %+v", len(rs), rs[0], rs[len(rs)-1])
	}
	rs, err = RollUp(Monthly, "2026-10-25", "2026-11-02", days)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Days != 7 || rs[1].Days != 2 || rs[0].DaysWithDiscrepancies != 2 {
		t.Errorf("25 Oct .. 2 Nov by month = %+v", rs)
	}
	rs, err = RollUp(Weekly, "2027-01-01", "", days)
	if err != nil || len(rs) != 0 {
		t.Errorf("a range with no kept day = %v, %v", rs, err)
	}
}

func TestRollupErrors(t *testing.T) {
	cases := []struct {
		p        Period
		from, to string
		want     string
	}{
		{"yearly", "", "", `unknown period "yearly": want "daily", "weekly" or "monthly"`},
		{"", "", "", `unknown period ""`},
		{Monthly, "2026-1-1", "", `date "2026-1-1" is not a YYYY-MM-DD date`},
		{Monthly, "", "tomorrow", `date "tomorrow" is not a YYYY-MM-DD date`},
		{Monthly, "2026-12-01", "2026-11-01", "from 2026-12-01 is after to 2026-11-01"},
	}
	for _, c := range cases {
		if _, err := RollUp(c.p, c.from, c.to, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Rollup(%q, %q, %q) err = %v, want %q", c.p, c.from, c.to, err, c.want)
		}
	}
	twice := []Figures{{Date: "2026-11-02"}, {Date: "2026-11-01"}, {Date: "2026-11-02"}}
	if _, err := RollUp(Daily, "", "", twice); err == nil || err.Error() != "roll up: 2026-11-02 is given twice" {
		t.Errorf("the same day twice: err = %v", err)
	}
	if _, err := RollUp(Daily, "", "", []Figures{{Date: "2026-11-1"}}); err == nil || !strings.Contains(err.Error(), `date "2026-11-1" is not a YYYY-MM-DD date`) {
		t.Errorf("a bad day: err = %v", err)
	}
	if err := RenderRollups(&bytes.Buffer{}, "yearly", nil); err == nil || !strings.Contains(err.Error(), `unknown period "yearly"`) {
		t.Errorf("RenderRollups err = %v", err)
	}
}

func TestISOWeekLabels(t *testing.T) {
	for date, want := range map[string]string{
		"2026-11-24": "2026-W48",
		"2026-11-22": "2026-W47", // Sunday ends the week
		"2026-11-23": "2026-W48", // Monday starts it
		"2027-01-01": "2026-W53", // ISO year, not calendar year
		"2025-12-29": "2026-W01",
	} {
		d, _ := parseDate(date)
		if got, _ := Weekly.label(d); got != want {
			t.Errorf("week of %s = %s, want %s", date, got, want)
		}
	}
}

func TestRenderRollups(t *testing.T) {
	rs, err := RollUp(Weekly, "", "", keepDays(t))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := RenderRollups(&b, Weekly, rs); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	t.Logf("\n%s", out)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 1+6+1 {
		t.Fatalf("%d lines, want header, 6 weeks, total", len(lines))
	}
	for _, l := range lines {
		if len(l) != len(lines[0]) {
			t.Errorf("line %q is not aligned with the header %q", l, lines[0])
		}
	}
	fields := strings.Fields(lines[2]) // W44
	want := []string{"2026-W44", "7", "707", "700", "70", "550", "80", "70", "78.6%", "11.4%", "3", "1"}
	if strings.Join(fields, " ") != strings.Join(want, " ") {
		t.Errorf("W44 line = %q, want fields %q", lines[2], want)
	}
	total := strings.Fields(lines[7])
	if want := []string{"Total", "40", "4,040", "4,000", "400", "2,920", "680", "400", "73.0%", "17.0%", "24", "8"}; strings.Join(total, " ") != strings.Join(want, " ") {
		t.Errorf("total line = %q, want fields %q", lines[7], want)
	}
	if !strings.HasPrefix(strings.TrimSpace(lines[0]), "Week") {
		t.Errorf("header = %q", lines[0])
	}
}

func checkRollups(t *testing.T, got, want []Rollup) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d roll-ups, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if !near(g.ProcessedRate, w.ProcessedRate) || !near(g.FailureRate, w.FailureRate) {
			t.Errorf("%s rates = %v, %v; want %v, %v", g.Period, g.ProcessedRate, g.FailureRate, w.ProcessedRate, w.FailureRate)
		}
		g.ProcessedRate, g.FailureRate, w.ProcessedRate, w.FailureRate = 0, 0, 0, 0
		if g != w {
			t.Errorf("roll-up %d = %+v\nwant %+v", i, g, w)
		}
	}
}

func itoa(n int) string { return thousands(n) }
