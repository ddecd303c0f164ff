package report

import (
	"strconv"
	"strings"
	"testing"
)

func pct(p *float64) string {
	if p == nil {
		return "none"
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

func compliance(t *testing.T, what string, c Compliance, met, missed, pending int, percent string) {
	t.Helper()
	if c.Met != met || c.Missed != missed || c.Pending != pending || pct(c.Percent) != percent {
		t.Errorf("%s: met %d missed %d pending %d (%s%%), want %d %d %d (%s%%)", what, c.Met, c.Missed, c.Pending,
			pct(c.Percent), met, missed, pending, percent)
	}
}

func times(t *testing.T, what string, got Times, n int, meanCal, p90Cal, meanBus, p90Bus float64) {
	t.Helper()
	if got.N != n || got.MeanCalendarHours != meanCal || got.P90CalendarHours != p90Cal ||
		got.MeanBusinessHours != meanBus || got.P90BusinessHours != p90Bus {
		t.Errorf("%s: %+v, want n %d, calendar mean %v p90 %v, business mean %v p90 %v", what, got, n, meanCal, p90Cal, meanBus, p90Bus)
	}
}

func row(t *testing.T, rows []Row, key string) Row {
	t.Helper()
	for _, r := range rows {
		if r.Key == key {
			return r
		}
	}
	t.Fatalf("no row %q in %+v", key, rows)
	return Row{}
}

func TestFiguresOfTheFixedDataSet(t *testing.T) {
	r, err := Build(fixtureInput(t))
	if err != nil {
		t.Fatal(err)
	}
	if r.Tickets != 7 {
		t.Fatalf("%d tickets in the period, want 7 (A B C D E F H)", r.Tickets)
	}
	o := r.Overall
	compliance(t, "acknowledge", o.Ack, 4, 0, 1, "100")      // A B C D met, H pending
	compliance(t, "resolution", o.Resolution, 3, 1, 1, "75") // A B C met, D missed, H pending
	compliance(t, "ES clock", o.ESClock, 0, 1, 0, "0")       // C
	// To acknowledge: A 2/2, B 91/13, C 1/1, D 1/1 (calendar/business hours).
	times(t, "time to acknowledge", o.TimeToAck, 4, 23.75, 91, 4.25, 13)
	// To resolve: A 48/18, B 120/27, C 102/42, D 72/27, F 1/1.
	times(t, "time to resolve", o.TimeToFix, 5, 68.6, 120, 23, 42)
	if o.AwaitingES.N != 1 || o.AwaitingES.TotalCalendarHours != 72 {
		t.Errorf("awaiting ES %+v, want C's 72 h", o.AwaitingES)
	}
	if o.Resolved != 5 || o.Reopened != 1 || pct(o.ReopenRate) != "20" || o.Cancelled != 1 {
		t.Errorf("resolved %d reopened %d rate %s cancelled %d, want 5 1 20 1", o.Resolved, o.Reopened, pct(o.ReopenRate), o.Cancelled)
	}

	urgent := row(t, r.ByPriority, "Urgent") // C, and D after its priority change
	compliance(t, "Urgent resolution", urgent.Resolution, 1, 1, 0, "50")
	times(t, "Urgent time to resolve", urgent.TimeToFix, 2, 87, 102, 34.5, 42)
	if low := row(t, r.ByPriority, "Low"); low.Tickets != 1 || low.TimeToFix.MeanCalendarHours != 1 {
		t.Errorf("Low: %+v, want F only", low)
	}
	if got := []string{r.ByPriority[0].Key, r.ByPriority[3].Key}; got[0] != "Urgent" || got[1] != "Low" {
		t.Errorf("priority order %v", got)
	}
	for key, n := range map[string]int{"HRC Tier 1": 2, "vets.gov": 4, "ES Tier 2/3": 1} {
		if got := row(t, r.ByTier, key).Tickets; got != n {
			t.Errorf("tier %s: %d tickets, want %d", key, got, n)
		}
	}
	for key, n := range map[string]int{"phone": 3, "email": 1, "chat": 1, "web": 2} {
		if got := row(t, r.ByChannel, key).Tickets; got != n {
			t.Errorf("channel %s: %d tickets, want %d", key, got, n)
		}
	}
	if len(r.ByWeek) != 2 || r.ByWeek[0].Key != "2026-W49" || r.ByWeek[1].Key != "2026-W50" {
		t.Fatalf("weeks %+v", r.ByWeek)
	}
	compliance(t, "W49 resolution", r.ByWeek[0].Resolution, 2, 1, 0, "66.7") // A B met, D missed
	compliance(t, "W50 resolution", r.ByWeek[1].Resolution, 1, 0, 1, "100")  // C met, H pending
	if r.ByWeek[0].Tickets != 4 || r.ByWeek[1].Tickets != 3 {
		t.Errorf("tickets per week %d %d, want 4 3", r.ByWeek[0].Tickets, r.ByWeek[1].Tickets)
	}

	if len(r.Breaches) != 2 {
		t.Fatalf("breaches %+v, want D's resolution and C's ES clock", r.Breaches)
	}
	d, c := r.Breaches[0], r.Breaches[1]
	if d.Ref != "HRC-D" || d.Clock != "resolution" || !d.BreachedAt.Equal(et(12, 3, 12, 0)) || d.Priority != "Urgent" {
		t.Errorf("first breach %+v, want HRC-D resolution at Thu 12-03 12:00", d)
	}
	if c.Ref != "HRC-C" || c.Clock != "es" || !c.BreachedAt.Equal(et(12, 9, 10, 0)) ||
		c.Link != "http://localhost:8233/namespaces/default/workflows/ticket-HRC-C" {
		t.Errorf("second breach %+v, want HRC-C es at Wed 12-09 10:00 with its UI link", c)
	}
	if got := counts(r.Cancellations); got != "not-an-issue=0 duplicate=1" {
		t.Errorf("cancellations %s", got)
	}
	if got := counts(r.Backlog); got != "< 1 day=0 1–7 days=1 7–15 days=0 15–30 days=0 > 30 days=1" {
		t.Errorf("backlog %s, want H in 1–7 days and G over 30", got)
	}
	if len(r.OpenOver) != 1 || r.OpenOver[0].Ref != "HRC-G" || r.OpenOver[0].AgeDays != 48.6 || r.OpenOver[0].State != "Awaiting ES" {
		t.Errorf("open over 30 days %+v, want HRC-G, 48.6 days, Awaiting ES", r.OpenOver)
	}
	hist := map[string]string{}
	for _, h := range r.ResolveBy {
		hist[h.Priority] = nonzero(h.Bins)
	}
	want := map[string]string{"Urgent": "2–4 days=1 4–7 days=1", "High": "2–4 days=1", "Medium": "4–7 days=1", "Low": "< 1 day=1"}
	for p, w := range want {
		if hist[p] != w {
			t.Errorf("time to resolve %s: %s, want %s", p, hist[p], w)
		}
	}
}

func TestESSideOfTheFixedDataSet(t *testing.T) {
	r, err := Build(fixtureInput(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ES.Days) != 14 || r.ES.Missing != 12 {
		t.Fatalf("%d days, %d without a report; want 14 and 12", len(r.ES.Days), r.ES.Missing)
	}
	d1, d2 := r.ES.Days[1], r.ES.Days[2]
	if d1.Date != "2026-12-01" || d1.Submitted != 3 || d1.ESRows != 3 || d1.Discrepancies != 0 || !d1.Reported {
		t.Errorf("12-01: %+v", d1)
	}
	if d2.Submitted != 1 || d2.ESRows != 0 || d2.Discrepancies != 1 || d2.Outcome != "discrepancies" {
		t.Errorf("12-02: %+v", d2)
	}
	if got := counts(r.ES.StatusMix); got != "processed=2 failed=1 stuck=1 processing=0 submitting=0" {
		t.Errorf("status mix %s (the 11-29 submission is outside)", got)
	}
}

func TestBadPeriodIsRefusedByName(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{"2026-12-13", "2026-11-30", "the period is empty: -from 2026-12-13 is after -to 2026-11-30"},
		{"2026-13-01", "2026-12-01", `-from "2026-13-01" is not a date (YYYY-MM-DD)`},
		{"2026-12-01", "", `-to "" is not a date (YYYY-MM-DD)`},
	} {
		in := fixtureInput(t)
		in.From, in.To = c.from, c.to
		if _, err := Build(in); err == nil || err.Error() != c.want {
			t.Errorf("%s..%s: %v, want %q", c.from, c.to, err, c.want)
		}
	}
}

func counts(cs []Count) string {
	var s []string
	for _, c := range cs {
		s = append(s, c.Key+"="+itoa(c.Count))
	}
	return strings.Join(s, " ")
}

func nonzero(cs []Count) string {
	var s []string
	for _, c := range cs {
		if c.Count > 0 {
			s = append(s, c.Key+"="+itoa(c.Count))
		}
	}
	return strings.Join(s, " ")
}
