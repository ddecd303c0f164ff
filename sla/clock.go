// Package sla keeps service clocks: a target measured on a calendar (every hour, or
// business hours only) that can be paused, resumed, re-targeted and stopped, and that
// reports its deadline and the warning and breach instants the workflow sets timers for.
// Everything here is pure and deterministic, so workflow code can call it.
package sla

import (
	"time"
)

// Phase is the life of a clock.
type Phase string

const (
	PhaseNotStarted Phase = "not started"
	PhaseRunning    Phase = "running"
	PhasePaused     Phase = "paused"
	PhaseStopped    Phase = "stopped" // target met, or the ticket left the clock's scope
)

// Clock is one service target. Consumed is clock time counted before RunningSince, so a
// pause never loses time and a new target moves the deadline from the start, not from now.
type Clock struct {
	Name         string        `json:"name"`
	Calendar     string        `json:"calendar"` // "business" or "calendar"
	Target       time.Duration `json:"target"`
	Phase        Phase         `json:"phase"`
	StartedAt    time.Time     `json:"startedAt,omitzero"`
	RunningSince time.Time     `json:"runningSince,omitzero"`
	Consumed     time.Duration `json:"consumed"`
	PausedSince  time.Time     `json:"pausedSince,omitzero"`
	PausedTotal  time.Duration `json:"pausedTotal"` // wall time spent paused
	StoppedAt    time.Time     `json:"stoppedAt,omitzero"`
	// Crossed holds every threshold (fraction of Target) the clock has reached, with the
	// instant it was reached; Settle records them before anything changes the clock.
	Crossed []Crossing `json:"crossed,omitempty"`
	// SettledAt is the last instant Settle recorded crossings up to.
	SettledAt time.Time `json:"settledAt,omitzero"`
	// Fired holds the thresholds already reported (notified, escalated), so each warning
	// and the breach are reported exactly once however often deadlines move. Histories
	// written before Crossed existed hold only Fired; such a threshold counts as crossed.
	Fired []float64 `json:"fired,omitempty"`
	// BreachedAt is when the target was reached (the instant of the 100% crossing), not
	// when anyone noticed.
	BreachedAt time.Time `json:"breachedAt,omitzero"`
}

// Crossing is a threshold a clock reached, and the instant it reached it.
type Crossing struct {
	Threshold float64   `json:"threshold"`
	At        time.Time `json:"at"`
}

// NewClock returns a clock that has not started.
func NewClock(name string, cal Calendar, target time.Duration) Clock {
	return Clock{Name: name, Calendar: cal.Name(), Target: target, Phase: PhaseNotStarted}
}

// Start runs the clock from now; a stopped or paused clock resumes instead, keeping what it counted.
func (c *Clock) Start(now time.Time) {
	switch c.Phase {
	case PhaseNotStarted:
		c.StartedAt = now
		c.Phase, c.RunningSince = PhaseRunning, now
	case PhasePaused:
		c.Resume(now)
	case PhaseStopped:
		c.Phase, c.RunningSince, c.StoppedAt = PhaseRunning, now, time.Time{}
	}
}

// Pause stops counting until Resume.
func (c *Clock) Pause(cal Calendar, now time.Time) {
	if c.Phase != PhaseRunning {
		return
	}
	c.Consumed += cal.Between(c.RunningSince, now)
	c.Phase, c.RunningSince, c.PausedSince = PhasePaused, time.Time{}, now
}

// Resume counts again after a pause.
func (c *Clock) Resume(now time.Time) {
	if c.Phase != PhasePaused {
		return
	}
	c.PausedTotal += now.Sub(c.PausedSince)
	c.Phase, c.RunningSince, c.PausedSince = PhaseRunning, now, time.Time{}
}

// Stop ends the clock: its elapsed time is final.
func (c *Clock) Stop(cal Calendar, now time.Time) {
	switch c.Phase {
	case PhaseRunning:
		c.Consumed += cal.Between(c.RunningSince, now)
	case PhasePaused:
		c.PausedTotal += now.Sub(c.PausedSince)
	default:
		return
	}
	c.Phase, c.RunningSince, c.PausedSince, c.StoppedAt = PhaseStopped, time.Time{}, time.Time{}, now
}

// Elapsed is the clock time counted so far.
func (c *Clock) Elapsed(cal Calendar, now time.Time) time.Duration {
	if c.Phase == PhaseRunning {
		return c.Consumed + cal.Between(c.RunningSince, now)
	}
	return c.Consumed
}

// Paused is the wall time spent paused so far.
func (c *Clock) Paused(now time.Time) time.Duration {
	if c.Phase == PhasePaused {
		return c.PausedTotal + now.Sub(c.PausedSince)
	}
	return c.PausedTotal
}

// At is the instant the clock reaches fraction f of its target, if it is running.
func (c *Clock) At(cal Calendar, f float64) (time.Time, bool) {
	if c.Phase != PhaseRunning {
		return time.Time{}, false
	}
	mark := time.Duration(float64(c.Target) * f)
	if mark <= c.Consumed {
		return c.RunningSince, true
	}
	return cal.Add(c.RunningSince, mark-c.Consumed), true
}

// Deadline is when the target is reached, if the clock is running.
func (c *Clock) Deadline(cal Calendar) (time.Time, bool) { return c.At(cal, 1) }

// Breached reports whether the breach has been recorded.
func (c *Clock) Breached() bool { return !c.BreachedAt.IsZero() }

// HasCrossed reports whether threshold f has been recorded as crossed.
func (c *Clock) HasCrossed(f float64) bool {
	for _, x := range c.Crossed {
		if x.Threshold == f {
			return true
		}
	}
	return c.HasFired(f)
}

// HasFired reports whether threshold f was already reported.
func (c *Clock) HasFired(f float64) bool {
	for _, x := range c.Fired {
		if x == f {
			return true
		}
	}
	return false
}

// Settle records every threshold the clock has reached by now and not recorded yet, each
// with the instant it was reached, and returns them in ascending order. Call it before
// anything stops, pauses or re-targets the clock: those change what At answers, and a
// threshold crossed before the change must not be lost (an action can arrive after a
// deadline passed but before the timer for it was handled). A threshold that a new,
// shorter target puts in the past was reached when the target changed, not before, so no
// crossing is dated before the previous Settle.
func (c *Clock) Settle(cal Calendar, thresholds []float64, now time.Time) []Crossing {
	var out []Crossing
	for _, f := range thresholds {
		if c.HasCrossed(f) {
			continue
		}
		at, ok := c.At(cal, f)
		if !ok || at.After(now) {
			continue
		}
		if at.Before(c.SettledAt) {
			at = c.SettledAt
		}
		x := Crossing{Threshold: f, At: at}
		c.Crossed = append(c.Crossed, x)
		if f >= 1 && c.BreachedAt.IsZero() {
			c.BreachedAt = at
		}
		out = append(out, x)
	}
	if now.After(c.SettledAt) {
		c.SettledAt = now
	}
	return out
}

// Unreported returns the recorded crossings not yet reported, earliest first (Settle
// records them in that order: each call after the previous one, thresholds ascending).
func (c *Clock) Unreported() []Crossing {
	var out []Crossing
	for _, x := range c.Crossed {
		if !c.HasFired(x.Threshold) {
			out = append(out, x)
		}
	}
	return out
}

// MarkReported records that threshold f has been reported.
func (c *Clock) MarkReported(f float64) {
	if !c.HasFired(f) {
		c.Fired = append(c.Fired, f)
	}
}

// Next returns the earliest threshold instant not yet recorded, and that threshold, if the
// clock is running.
func (c *Clock) Next(cal Calendar, thresholds []float64) (at time.Time, threshold float64, ok bool) {
	for _, f := range thresholds {
		if c.HasCrossed(f) {
			continue
		}
		if t, reached := c.At(cal, f); reached && (!ok || t.Before(at)) {
			at, threshold, ok = t, f, true
		}
	}
	return at, threshold, ok
}

// Status is a one-word reading of the clock for people and search attributes.
func (c *Clock) Status(cal Calendar, now time.Time) string {
	switch {
	case c.Phase == PhaseNotStarted:
		return "not started"
	case c.Breached() && c.Phase == PhaseStopped:
		return "missed"
	case c.Breached():
		return "breached"
	case c.Phase == PhaseStopped:
		return "met"
	case c.Phase == PhasePaused:
		return "paused"
	}
	worst := 0.0
	for _, f := range c.Fired {
		worst = max(worst, f)
	}
	for _, x := range c.Crossed {
		worst = max(worst, x.Threshold)
	}
	switch {
	case worst >= 0.75:
		return "warning 75%"
	case worst >= 0.5:
		return "warning 50%"
	}
	return "on track"
}
