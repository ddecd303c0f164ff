package sla

import (
	"encoding/json"
	"time"

	"github.com/hcaops/hcaops/internal/duration"
)

// Durations in workflow inputs are written as people read them, so a history in the UI
// says "48h", not 172800000000000.

// MarshalJSON writes Clock's durations as people read them ("48h"); see package duration.
func (v Clock) MarshalJSON() ([]byte, error) {
	type plain Clock
	return json.Marshal(struct {
		plain
		Target      duration.Duration `json:"target"`
		Consumed    duration.Duration `json:"consumed"`
		PausedTotal duration.Duration `json:"pausedTotal"`
	}{plain(v), duration.Duration(v.Target), duration.Duration(v.Consumed), duration.Duration(v.PausedTotal)})
}

// UnmarshalJSON reads Clock, its durations written as strings or, in older histories, as
// nanoseconds.
func (v *Clock) UnmarshalJSON(b []byte) error {
	type plain Clock
	w := struct {
		*plain
		Target      duration.Duration `json:"target"`
		Consumed    duration.Duration `json:"consumed"`
		PausedTotal duration.Duration `json:"pausedTotal"`
	}{plain: (*plain)(v)}
	// Fields the JSON leaves out keep their values, as encoding/json does.
	w.Target = duration.Duration(v.Target)
	w.Consumed = duration.Duration(v.Consumed)
	w.PausedTotal = duration.Duration(v.PausedTotal)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.Target = time.Duration(w.Target)
	v.Consumed = time.Duration(w.Consumed)
	v.PausedTotal = time.Duration(w.PausedTotal)
	return nil
}
