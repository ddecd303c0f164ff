package config

import (
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

func lookup(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaultsFollowTheTier3Process(t *testing.T) {
	c, err := load(lookup(nil))
	if err != nil {
		t.Fatal(err)
	}
	p := c.Policy
	if c.Ticketing != "sdm" || p.Acknowledge != 48*time.Hour || p.AcknowledgeCalendar != "business" ||
		p.Resolution[ticket.PriorityUrgent] != 48*time.Hour || p.Resolution[ticket.PriorityLow] != 30*24*time.Hour ||
		p.ReopenWindow != 7*24*time.Hour {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestOverridesAndDemoScale(t *testing.T) {
	c, err := load(lookup(map[string]string{
		"HCAOPS_TICKETING": "dynamics", "HCAOPS_SLA_RESOLUTION_HIGH": "3d", "HCAOPS_SLA_SCALE": "1440",
		"HCAOPS_SLA_ACKNOWLEDGE_CALENDAR": "calendar", "HCAOPS_BUSINESS_HOURS": "07:00-19:00",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Ticketing != "dynamics" || c.Policy.Resolution[ticket.PriorityHigh] != 3*time.Minute ||
		c.Policy.Acknowledge != 2*time.Minute || c.Policy.DayStart != "07:00" {
		t.Fatalf("overrides: %+v", c.Policy)
	}
}

func TestEveryBadValueIsNamed(t *testing.T) {
	_, err := load(lookup(map[string]string{
		"HCAOPS_TICKETING": "jira", "HCAOPS_SLA_ACKNOWLEDGE": "soon", "HCAOPS_SLA_SCALE": "-1",
		"HCAOPS_SLA_ES_CALENDAR": "lunar", "HCAOPS_BUSINESS_ZONE": "Mars/Olympus",
	}))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{`HCAOPS_TICKETING="jira"`, `HCAOPS_SLA_ACKNOWLEDGE="soon"`, `HCAOPS_SLA_SCALE="-1"`,
		`es calendar "lunar"`, "HCAOPS_BUSINESS_ZONE"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
