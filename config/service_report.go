package config

import "time"

// ServiceReport is when the weekly service report is produced and who receives it.
type ServiceReport struct {
	Weekday time.Weekday
	At      Clock
	Zone    string   // the report's days and weeks, and the schedule's zone
	To      []string // recipients (groups or addresses); default the product manager
}

func (e *env) serviceReport(productManager, zone string) ServiceReport {
	sr := ServiceReport{Weekday: time.Monday, At: Clock{7, 0}, Zone: e.str("HCAOPS_SERVICE_REPORT_ZONE", zone),
		To: []string{productManager}}
	v := e.str("HCAOPS_SERVICE_REPORT", "monday 07:00")
	day, clock, ok := parseWeekly(v)
	if !ok {
		e.fail("HCAOPS_SERVICE_REPORT", v, "must be a weekday and a time, e.g. \"monday 07:00\"")
		return sr
	}
	sr.Weekday, sr.At = day, clock
	if _, err := time.LoadLocation(sr.Zone); err != nil || sr.Zone == "Local" {
		e.fail("HCAOPS_SERVICE_REPORT_ZONE", sr.Zone, "must be an IANA time zone such as America/New_York")
	}
	if to := e.list("HCAOPS_SERVICE_REPORT_TO", ""); len(to) > 0 {
		sr.To = to
	}
	return sr
}
