package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

// ES configures everything on the Enrollment System side.
type ES struct {
	URL, ReportURL            string // SOAP endpoint; report base (empty: the endpoint's host)
	CertFile, KeyFile, CAFile string // mutual TLS, when set
	HealthCheckID             int64
	Submission                enrollment.SubmissionPolicy
	Report                    enrollment.ReportPolicy
	ReportAt                  Clock // when the daily report schedule runs, in ReportZone
	ReportZone                string
	ReportsDir                string
	Call                      CallSchedule
	AgendaTo                  []string
	ConnectivityEvery         time.Duration
	Monitor                   enrollment.MonitorPolicy
}

// Clock is a time of day.
type Clock struct{ Hour, Minute int }

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }

// CallSchedule is when the regular vets.gov–ES call happens.
type CallSchedule struct {
	Weekday time.Weekday
	At      Clock
	Zone    string
	Lead    time.Duration // the agenda is produced this long before the call
}

func (e *env) es(scale float64) ES {
	c := ES{
		URL:               e.str("ES_URL", "http://127.0.0.1:8052/voa/voaSvc"),
		ReportURL:         e.str("ES_REPORT_URL", ""),
		CertFile:          e.str("ES_CERT_FILE", ""),
		KeyFile:           e.str("ES_KEY_FILE", ""),
		CAFile:            e.str("ES_CA_FILE", ""),
		ReportZone:        e.str("HCAOPS_REPORT_ZONE", "America/New_York"),
		ReportsDir:        e.str("HCAOPS_REPORTS_DIR", ""), // file copies are optional: operators read through Temporal
		AgendaTo:          e.list("HCAOPS_AGENDA_TO", "vets.gov,ES Tier 2/3"),
		ConnectivityEvery: e.duration("HCAOPS_CONNECTIVITY_EVERY", 5*time.Minute),
	}
	c.HealthCheckID = int64(e.integer("ES_HEALTH_CHECK_ID", 1))
	s := enrollment.DefaultSubmissionPolicy()
	s.RetryInitial = e.duration("HCAOPS_ES_RETRY_INITIAL", s.RetryInitial)
	s.RetryMax = e.duration("HCAOPS_ES_RETRY_MAX", s.RetryMax)
	s.RetryAttempts = e.integer("HCAOPS_ES_RETRY_ATTEMPTS", s.RetryAttempts)
	s.StatusEvery = e.duration("HCAOPS_ES_STATUS_EVERY", s.StatusEvery)
	s.GiveUpAfter = e.duration("HCAOPS_ES_GIVE_UP_AFTER", s.GiveUpAfter)
	if err := s.Validate(); err != nil {
		e.errs = append(e.errs, err)
	}
	c.Submission = s
	r := enrollment.DefaultReportPolicy()
	r.DueAfter = e.duration("HCAOPS_REPORT_DUE_AFTER", r.DueAfter)
	r.RetryEvery = e.duration("HCAOPS_REPORT_RETRY_EVERY", r.RetryEvery)
	r.FollowLateFor = e.duration("HCAOPS_REPORT_FOLLOW_LATE", r.FollowLateFor)
	r.LateRetryEvery = e.duration("HCAOPS_REPORT_LATE_RETRY_EVERY", r.LateRetryEvery)
	if v, ok := e.lookup("HCAOPS_STUCK_AFTER"); ok {
		e.fail("HCAOPS_STUCK_AFTER", v, "is gone: a submission is stuck after HCAOPS_ES_GIVE_UP_AFTER, the one give-up time")
	}
	c.Report = r
	c.ReportAt = e.clock("HCAOPS_REPORT_AT", Clock{6, 0})
	c.Call = e.call()
	m := enrollment.DefaultMonitorPolicy()
	m.FailuresBeforeIncident = e.integer("HCAOPS_CONNECTIVITY_FAILURES", m.FailuresBeforeIncident)
	c.Monitor = m
	if scale > 0 {
		// The demo scale speeds up the ES side as it does the service clocks.
		sc := func(d time.Duration) time.Duration { return max(time.Duration(float64(d)/scale), time.Second) }
		c.Submission.RetryInitial, c.Submission.RetryMax = sc(c.Submission.RetryInitial), sc(c.Submission.RetryMax)
		c.Submission.StatusEvery, c.Submission.GiveUpAfter = sc(c.Submission.StatusEvery), sc(c.Submission.GiveUpAfter)
		c.Report.DueAfter, c.Report.RetryEvery = sc(c.Report.DueAfter), sc(c.Report.RetryEvery)
		c.Report.FollowLateFor, c.Report.LateRetryEvery = sc(c.Report.FollowLateFor), sc(c.Report.LateRetryEvery)
	}
	// One setting each, carried wherever it is needed, so the two sides never disagree:
	// reconciliation calls a submission stuck when the submission workflow gives up on it,
	// and both date a submission by ES's day.
	c.Report.StuckAfter = c.Submission.GiveUpAfter
	c.Submission.ESZone, c.Report.ESZone = c.ReportZone, c.ReportZone
	for _, z := range []struct{ name, zone string }{{"HCAOPS_REPORT_ZONE", c.ReportZone}, {"HCAOPS_ES_CALL", c.Call.Zone}} {
		if _, err := time.LoadLocation(z.zone); err != nil {
			e.fail(z.name, z.zone, "names an unknown time zone")
		}
	}
	return c
}

// call reads HCAOPS_ES_CALL ("tuesday 10:00"), HCAOPS_ES_CALL_ZONE and HCAOPS_ES_AGENDA_LEAD.
func (e *env) call() CallSchedule {
	cs := CallSchedule{Weekday: time.Tuesday, At: Clock{10, 0}, Zone: e.str("HCAOPS_ES_CALL_ZONE", "America/New_York"),
		Lead: e.duration("HCAOPS_ES_AGENDA_LEAD", time.Hour)}
	v := e.str("HCAOPS_ES_CALL", "tuesday 10:00")
	day, clock, ok := parseWeekly(v)
	if !ok {
		e.fail("HCAOPS_ES_CALL", v, "must be a weekday and a time, e.g. \"tuesday 10:00\"")
		return cs
	}
	cs.Weekday, cs.At = day, clock
	if time.Duration(clock.Hour)*time.Hour+time.Duration(clock.Minute)*time.Minute < cs.Lead {
		e.fail("HCAOPS_ES_AGENDA_LEAD", cs.Lead.String(), "must not reach back before midnight of the call's day")
	}
	return cs
}

func (e *env) clock(name string, def Clock) Clock {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	c, err := parseClock(v)
	if err != nil {
		e.fail(name, v, "must be a time of day such as 06:00")
		return def
	}
	return c
}

// parseWeekly reads a weekly time such as "monday 07:00" or "tue 10:00".
func parseWeekly(v string) (time.Weekday, Clock, bool) {
	day, at, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok {
		return 0, Clock{}, false
	}
	clock, err := parseClock(at)
	if err != nil {
		return 0, Clock{}, false
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(d.String(), day) || strings.EqualFold(d.String()[:3], day) {
			return d, clock, true
		}
	}
	return 0, Clock{}, false
}

func parseClock(s string) (Clock, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return Clock{}, err
	}
	return Clock{t.Hour(), t.Minute()}, nil
}

func (e *env) integer(name string, def int) int {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		e.fail(name, v, "must be a whole number")
		return def
	}
	return n
}
