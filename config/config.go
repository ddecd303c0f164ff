// Package config is the one configuration loader of hcaops: everything comes from the
// environment (HCAOPS_*, SDM_*, DYNAMICS_*; Temporal's own TEMPORAL_* are read by the
// Temporal client). Every bad value is reported by name.
package config

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hcaops/hcaops/internal/duration"
	"github.com/hcaops/hcaops/ticket"
)

// Config is what the worker and the command-line tools need.
type Config struct {
	Ticketing string // "sdm" or "dynamics": the desk of new tickets
	Desks     []string
	Intake    Intake
	SDM       SDM
	Dynamics  Dynamics
	Policy    ticket.Policy
	ES        ES
	Mail      Mail // the mail relay and the group directory of staff notices
	// ServiceReport is the weekly service report's schedule and recipients.
	ServiceReport ServiceReport
	HealthAddr    string // worker health, readiness and metrics endpoint, e.g. ":8081"
	Worker        Worker
	UIURL         string // Temporal UI base URL for links
}

// SDM configures the CA Service Desk Manager client.
type SDM struct {
	URL, Username, Password string
	// What the site requires of a new incident (see README, "What real desks require").
	Customer, Category, Urgency, Impact string
	// CustomAttributes is false for an SDM without hcaops's schema change (zhcaops_ref).
	CustomAttributes bool
	WatchGroups      []string
	Overlap          time.Duration
}

// Intake configures the polls of the desks: which incidents become tickets, how often.
type Intake struct {
	Every time.Duration
	// RunFor is how long one run of a desk's poll schedule keeps polling (every Every):
	// one line in the UI's workflow list per run, not one per poll.
	RunFor   time.Duration
	Group    string
	Category string
	Lookback time.Duration
}

// Dynamics configures the Dynamics 365 client.
type Dynamics struct {
	URL, TokenURL, ClientID, ClientSecret, CustomerAccountID string
	// CustomColumns is false for an organisation without hcaops_reference, hcaops_group.
	CustomColumns bool
}

// Load reads the environment.
func Load() (Config, error) { return load(os.LookupEnv) }

func load(lookup func(string) (string, bool)) (Config, error) {
	e := env{lookup: lookup}
	c := Config{
		Ticketing:  e.str("HCAOPS_TICKETING", "sdm"),
		HealthAddr: e.str("HCAOPS_HEALTH_ADDR", ":8081"),
		UIURL:      strings.TrimRight(e.str("HCAOPS_UI_URL", "http://localhost:8233"), "/"),
		SDM: SDM{
			URL:              e.str("SDM_URL", "http://localhost:8050"),
			Username:         e.str("SDM_USERNAME", "hcaops"),
			Password:         e.str("SDM_PASSWORD", "hcaops"),
			Customer:         e.str("SDM_CUSTOMER", ""),
			Category:         e.str("SDM_CATEGORY", ""),
			Urgency:          e.str("SDM_URGENCY", ""),
			Impact:           e.str("SDM_IMPACT", ""),
			CustomAttributes: e.str("SDM_CUSTOM_ATTRIBUTES", "true") != "false",
			WatchGroups:      e.list("SDM_WATCH_GROUPS", "HRC Tier 1,vets.gov,ES Tier 2/3"),
			Overlap:          e.duration("SDM_POLL_OVERLAP", 2*time.Minute),
		},
		Intake: Intake{
			Every:    e.duration("HCAOPS_DESK_POLL_EVERY", time.Minute),
			RunFor:   e.duration("HCAOPS_DESK_POLL_RUN", time.Hour),
			Group:    e.str("HCAOPS_INTAKE_GROUP", "HRC Tier 1"),
			Category: e.str("HCAOPS_INTAKE_CATEGORY", ""),
			Lookback: e.duration("HCAOPS_INTAKE_LOOKBACK", 24*time.Hour),
		},
		Dynamics: Dynamics{
			URL:               e.str("DYNAMICS_URL", "http://localhost:8051"),
			TokenURL:          e.str("DYNAMICS_TOKEN_URL", "http://localhost:8051/oauth2/v2.0/token"),
			ClientID:          e.str("DYNAMICS_CLIENT_ID", "hcaops"),
			ClientSecret:      e.str("DYNAMICS_CLIENT_SECRET", "hcaops"),
			CustomerAccountID: e.str("DYNAMICS_CUSTOMER_ACCOUNT", "00000000-0000-0000-0000-000000000001"),
			CustomColumns:     e.str("DYNAMICS_CUSTOM_COLUMNS", "true") != "false",
		},
	}
	if c.Ticketing != "sdm" && c.Ticketing != "dynamics" {
		e.fail("HCAOPS_TICKETING", c.Ticketing, "must be sdm or dynamics")
	}
	c.Desks = e.list("HCAOPS_DESKS", c.Ticketing)
	for _, d := range c.Desks {
		if d != "sdm" && d != "dynamics" {
			e.fail("HCAOPS_DESKS", strings.Join(c.Desks, ","), "must list sdm and/or dynamics")
			break
		}
	}
	if !slices.Contains(c.Desks, c.Ticketing) {
		e.fail("HCAOPS_DESKS", strings.Join(c.Desks, ","), "must include HCAOPS_TICKETING ("+c.Ticketing+")")
	}
	for _, name := range []string{"SDM_CUSTOM_ATTRIBUTES", "DYNAMICS_CUSTOM_COLUMNS"} {
		if v := e.str(name, "true"); v != "true" && v != "false" {
			e.fail(name, v, "must be true or false")
		}
	}
	c.Policy = e.policy()
	scale := 0.0
	if v := e.str("HCAOPS_SLA_SCALE", ""); v != "" {
		scale, _ = strconv.ParseFloat(v, 64)
	}
	c.ES = e.es(scale)
	c.Mail = e.mail(c)
	c.ServiceReport = e.serviceReport(c.Policy.ProductManager, c.Policy.Zone)
	c.Worker = e.worker()
	if err := errors.Join(e.errs...); err != nil {
		return Config{}, err
	}
	return c, nil
}

// policy starts from the defaults of the tier-3 process and applies overrides.
func (e *env) policy() ticket.Policy {
	p := ticket.DefaultPolicy()
	p.Acknowledge = e.duration("HCAOPS_SLA_ACKNOWLEDGE", p.Acknowledge)
	p.AcknowledgeCalendar = e.str("HCAOPS_SLA_ACKNOWLEDGE_CALENDAR", p.AcknowledgeCalendar)
	p.ResolutionCalendar = e.str("HCAOPS_SLA_RESOLUTION_CALENDAR", p.ResolutionCalendar)
	p.ESCalendar = e.str("HCAOPS_SLA_ES_CALENDAR", p.ESCalendar)
	for _, pr := range ticket.Priorities {
		name := strings.ToUpper(string(pr))
		p.Resolution[pr] = e.duration("HCAOPS_SLA_RESOLUTION_"+name, p.Resolution[pr])
		p.ES[pr] = e.duration("HCAOPS_SLA_ES_"+name, p.ES[pr])
	}
	p.ReopenWindow = e.duration("HCAOPS_REOPEN_WINDOW", p.ReopenWindow)
	p.Zone = e.str("HCAOPS_BUSINESS_ZONE", p.Zone)
	if hours := e.str("HCAOPS_BUSINESS_HOURS", p.DayStart+"-"+p.DayEnd); hours != "" {
		start, end, ok := strings.Cut(hours, "-")
		if !ok {
			e.fail("HCAOPS_BUSINESS_HOURS", hours, "must look like 08:00-17:00")
		}
		p.DayStart, p.DayEnd = start, end
	}
	p.ProductManager = e.str("HCAOPS_PRODUCT_MANAGER", p.ProductManager)
	p.ESLiaison = e.str("HCAOPS_ES_LIAISON", p.ESLiaison)
	p.ESStallCalls = e.integer("HCAOPS_ES_STALL_CALLS", p.ESStallCalls)
	if w := e.str("HCAOPS_SLA_WARNINGS", ""); w != "" {
		p.Warnings = nil
		for _, f := range strings.Split(w, ",") {
			v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil {
				e.fail("HCAOPS_SLA_WARNINGS", w, "must be fractions such as 0.5,0.75")
				break
			}
			p.Warnings = append(p.Warnings, v)
		}
	}
	if s := e.str("HCAOPS_SLA_SCALE", ""); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f <= 0 {
			e.fail("HCAOPS_SLA_SCALE", s, "must be a positive number (e.g. 1440 runs a day in a minute)")
		} else {
			p = p.Scale(f)
		}
	}
	if err := p.Validate(); err != nil {
		e.errs = append(e.errs, fmt.Errorf("service-level policy: %w", err))
	}
	if _, err := ticket.NewCalendars(p); err != nil {
		e.errs = append(e.errs, fmt.Errorf("HCAOPS_BUSINESS_ZONE/HCAOPS_BUSINESS_HOURS: %w", err))
	}
	return p
}

type env struct {
	lookup func(string) (string, bool)
	errs   []error
}

func (e *env) str(name, def string) string {
	if v, ok := e.lookup(name); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	return def
}

// duration accepts Go durations ("36h", "90m") and days ("15d").
func (e *env) duration(name string, def time.Duration) time.Duration {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	d, err := ParseDuration(v)
	if err != nil || d <= 0 {
		e.fail(name, v, "must be a positive duration such as 48h, 90m or 15d")
		return def
	}
	return d
}

// list reads a comma-separated list, blanks dropped.
func (e *env) list(name, def string) []string { return splitList(e.str(name, def)) }

func (e *env) fail(name, value, why string) {
	e.errs = append(e.errs, fmt.Errorf("%s=%q %s", name, value, why))
}

// ParseDuration is time.ParseDuration plus a "d" suffix for days (duration.Parse, the
// same reading as durations in workflow inputs).
func ParseDuration(s string) (time.Duration, error) { return duration.Parse(s) }
