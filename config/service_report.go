package config

import (
	"strings"
	"time"
)

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
	day, at, ok := strings.Cut(v, " ")
	found := false
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(d.String(), day) || strings.EqualFold(d.String()[:3], day) {
			sr.Weekday, found = d, true
		}
	}
	clock, err := parseClock(at)
	if !ok || !found || err != nil {
		e.fail("HCAOPS_SERVICE_REPORT", v, "must be a weekday and a time, e.g. \"monday 07:00\"")
		return sr
	}
	sr.At = clock
	if _, err := time.LoadLocation(sr.Zone); err != nil || sr.Zone == "Local" {
		e.fail("HCAOPS_SERVICE_REPORT_ZONE", sr.Zone, "must be an IANA time zone such as America/New_York")
	}
	if to := e.str("HCAOPS_SERVICE_REPORT_TO", ""); to != "" {
		sr.To = nil
		for _, r := range strings.Split(to, ",") {
			if r = strings.TrimSpace(r); r != "" {
				sr.To = append(sr.To, r)
			}
		}
	}
	return sr
}
