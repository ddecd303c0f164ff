package enrollment

import (
	"fmt"
	"time"
)

// SubmissionPolicy says how hard vets.gov tries to get an application into ES and how
// long it follows it there. Defaults follow vets-api: 16 retries over about two days.
type SubmissionPolicy struct {
	RetryInitial  time.Duration `json:"retryInitial"`  // first retry delay
	RetryMax      time.Duration `json:"retryMax"`      // longest delay between attempts
	RetryAttempts int           `json:"retryAttempts"` // attempts in all, the first included
	StatusEvery   time.Duration `json:"statusEvery"`   // how often the status is asked
	GiveUpAfter   time.Duration `json:"giveUpAfter"`   // stop following (and raise a ticket) after this
	// AttemptTimeout bounds one saveSubmitForm attempt (the call itself gives up after
	// 25 s); 0 means one minute. After it, the attempt's outcome is unknown.
	AttemptTimeout time.Duration `json:"attemptTimeout,omitempty"`
	// EmailVeteran sends the failure email; off only in tests and demos that lack an address.
	EmailVeteran bool `json:"emailVeteran"`
	// ESZone is ES's day: the time zone ES dates submissions and its daily report in
	// (IANA name; empty: America/New_York).
	ESZone string `json:"esZone,omitempty"`
}

// DefaultSubmissionPolicy: 15 s doubling to 8 h, 17 attempts (16 retries): about 48 h.
func DefaultSubmissionPolicy() SubmissionPolicy {
	return SubmissionPolicy{RetryInitial: 15 * time.Second, RetryMax: 8 * time.Hour, RetryAttempts: 17,
		StatusEvery: 10 * time.Minute, GiveUpAfter: 7 * 24 * time.Hour, EmailVeteran: true}
}

// Attempt is the time one submit attempt may take.
func (p SubmissionPolicy) Attempt() time.Duration {
	if p.AttemptTimeout <= 0 {
		return time.Minute
	}
	return p.AttemptTimeout
}

// RetryWindow is the longest time the retries can take.
func (p SubmissionPolicy) RetryWindow() time.Duration {
	total, d := time.Duration(0), p.RetryInitial
	for i := 1; i < p.RetryAttempts; i++ {
		total += d
		d = min(d*2, p.RetryMax)
	}
	return total
}

// Validate names the first thing wrong.
func (p SubmissionPolicy) Validate() error {
	switch {
	case p.RetryInitial <= 0 || p.RetryMax < p.RetryInitial:
		return fmt.Errorf("submission retry delays must be positive, the maximum at least the first")
	case p.RetryAttempts < 1:
		return fmt.Errorf("submission attempts must be at least 1")
	case p.StatusEvery <= 0 || p.GiveUpAfter <= 0:
		return fmt.Errorf("status interval and give-up time must be positive")
	}
	if p.ESZone != "" {
		if _, err := time.LoadLocation(p.ESZone); err != nil {
			return fmt.Errorf("ES zone %q is not a known time zone", p.ESZone)
		}
	}
	return nil
}

// ReportPolicy governs the daily ES report and its reconciliation.
type ReportPolicy struct {
	DueAfter   time.Duration `json:"dueAfter"`   // after the scheduled fetch, the report is late
	RetryEvery time.Duration `json:"retryEvery"` // how often a late report is asked for again
	// StuckAfter: a submission ES has not finished this long after receiving it is stuck.
	// It is always the submission policy's GiveUpAfter (configuration sets both from one
	// setting), so reconciliation and the submission workflow agree.
	StuckAfter time.Duration `json:"stuckAfter"`
	// ESZone is ES's day (see SubmissionPolicy.ESZone): which day a scheduled run
	// reconciles. Empty: America/New_York.
	ESZone string `json:"esZone,omitempty"`
	// FollowLateFor: after raising ESREPORT-<date>, keep asking for the report this long
	// (every LateRetryEvery); when it arrives, the day is reconciled and the ticket
	// resolved with the result. Zero: do not follow (histories from before this).
	FollowLateFor  time.Duration `json:"followLateFor,omitempty"`
	LateRetryEvery time.Duration `json:"lateRetryEvery,omitempty"`
}

func DefaultReportPolicy() ReportPolicy {
	return ReportPolicy{DueAfter: 4 * time.Hour, RetryEvery: 15 * time.Minute, StuckAfter: DefaultSubmissionPolicy().GiveUpAfter,
		FollowLateFor: 7 * 24 * time.Hour, LateRetryEvery: time.Hour}
}

// MonitorPolicy governs the ES connectivity monitor.
type MonitorPolicy struct {
	FailuresBeforeIncident int `json:"failuresBeforeIncident"` // consecutive failed checks that open an incident
	KeepChecks             int `json:"keepChecks"`             // results kept for troubleshooting
}

func DefaultMonitorPolicy() MonitorPolicy {
	return MonitorPolicy{FailuresBeforeIncident: 3, KeepChecks: 288}
}
