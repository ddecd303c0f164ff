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

// One give-up time and one ES day: reconciliation's stuck threshold is the submission
// workflow's give-up time, and both date submissions in the same zone.
func TestStuckIsTheGiveUpTimeAndESDayIsOneSetting(t *testing.T) {
	c, err := load(lookup(map[string]string{"HCAOPS_ES_GIVE_UP_AFTER": "3d", "HCAOPS_REPORT_ZONE": "America/Chicago"}))
	if err != nil {
		t.Fatal(err)
	}
	es := c.ES
	if es.Submission.GiveUpAfter != 72*time.Hour || es.Report.StuckAfter != 72*time.Hour {
		t.Errorf("give up after %v, stuck after %v; want both 72h", es.Submission.GiveUpAfter, es.Report.StuckAfter)
	}
	if es.Submission.ESZone != "America/Chicago" || es.Report.ESZone != "America/Chicago" {
		t.Errorf("ES's day: submissions %q, report %q", es.Submission.ESZone, es.Report.ESZone)
	}
	c, err = load(lookup(map[string]string{"HCAOPS_SLA_SCALE": "1440"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.ES.Submission.GiveUpAfter != 7*time.Minute || c.ES.Report.StuckAfter != 7*time.Minute {
		t.Errorf("demo scale: give up after %v, stuck after %v; want both 7m", c.ES.Submission.GiveUpAfter, c.ES.Report.StuckAfter)
	}
	_, err = load(lookup(map[string]string{"HCAOPS_STUCK_AFTER": "24h"}))
	if err == nil || !strings.Contains(err.Error(), `HCAOPS_STUCK_AFTER="24h" is gone: a submission is stuck after HCAOPS_ES_GIVE_UP_AFTER`) {
		t.Errorf("the old second setting: err = %v", err)
	}
}

func TestWorkerCapacityAndGauges(t *testing.T) {
	c, err := load(lookup(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Worker != (Worker{StickyCacheSize: DefaultStickyCacheSize, GaugesEvery: time.Minute}) {
		t.Fatalf("defaults: %+v", c.Worker)
	}
	c, err = load(lookup(map[string]string{"HCAOPS_STICKY_CACHE_SIZE": "2000", "HCAOPS_WORKFLOW_POLLERS": "4",
		"HCAOPS_ACTIVITY_POLLERS": "8", "HCAOPS_MAX_CONCURRENT_ACTIVITIES": "50", "HCAOPS_GAUGES_EVERY": "off"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Worker != (Worker{StickyCacheSize: 2000, WorkflowPollers: 4, ActivityPollers: 8, MaxActivities: 50}) {
		t.Fatalf("overrides: %+v", c.Worker)
	}
	_, err = load(lookup(map[string]string{"HCAOPS_WORKFLOW_POLLERS": "-1", "HCAOPS_GAUGES_EVERY": "soon"}))
	for _, want := range []string{`HCAOPS_WORKFLOW_POLLERS="-1"`, `HCAOPS_GAUGES_EVERY="soon"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("bad worker settings: %v, want it to name %s", err, want)
		}
	}
}
