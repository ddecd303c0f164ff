package config

import "time"

// Worker tunes one worker process: how much it takes on, and how often it samples the
// gauges it exports. Zero values keep the Temporal SDK's defaults.
type Worker struct {
	// StickyCacheSize is how many workflows the process keeps in memory between their
	// tasks (DefaultStickyCacheSize). A hit replays nothing; a miss replays the whole
	// history. It bounds the worker's memory whatever the number of open tickets.
	StickyCacheSize int
	// WorkflowPollers and ActivityPollers are the concurrent long polls on the task queue
	// (SDK default 2 each).
	WorkflowPollers, ActivityPollers int
	// MaxActivities caps the activities running at once in this process (SDK default 1,000).
	MaxActivities int
	// GaugesEvery is how often the worker counts open tickets and reads the ES connectivity
	// state for its metrics; 0 turns the sampling off (say, on all replicas but one).
	GaugesEvery time.Duration
}

// DefaultStickyCacheSize is the SDK's own default, kept on purpose: at about 27 KiB a
// ticket (bench/README.md) it bounds a worker at about 265 MiB of cached tickets, and with
// 10,000 open tickets every one stays cached, so an action on a ticket idle for days waits
// for no replay (p95 at 10,000 open was 1.1× the p95 at 1,000; with 2,000 cached it was
// 3×). Beyond that, add replicas: each caches the tickets it runs.
const DefaultStickyCacheSize = 10000

func (e *env) worker() Worker {
	w := Worker{
		StickyCacheSize: e.integer("HCAOPS_STICKY_CACHE_SIZE", DefaultStickyCacheSize),
		WorkflowPollers: e.integer("HCAOPS_WORKFLOW_POLLERS", 0),
		ActivityPollers: e.integer("HCAOPS_ACTIVITY_POLLERS", 0),
		MaxActivities:   e.integer("HCAOPS_MAX_CONCURRENT_ACTIVITIES", 0),
		GaugesEvery:     time.Minute,
	}
	if v := e.str("HCAOPS_GAUGES_EVERY", ""); v == "0" || v == "off" {
		w.GaugesEvery = 0
	} else {
		w.GaugesEvery = e.duration("HCAOPS_GAUGES_EVERY", w.GaugesEvery)
	}
	return w
}
