package activities

import (
	"encoding/json"
	"time"

	"github.com/hcaops/hcaops/internal/duration"
)

// Durations in workflow inputs are written as people read them, so a history in the UI
// says "48h", not 172800000000000.

// MarshalJSON writes ReconcileInput's durations as people read them ("48h"); see package duration.
func (v ReconcileInput) MarshalJSON() ([]byte, error) {
	type plain ReconcileInput
	return json.Marshal(struct {
		plain
		StuckAfter duration.Duration `json:"stuckAfter"`
	}{plain(v), duration.Duration(v.StuckAfter)})
}

// UnmarshalJSON reads ReconcileInput, its durations written as strings or, in older histories, as
// nanoseconds.
func (v *ReconcileInput) UnmarshalJSON(b []byte) error {
	type plain ReconcileInput
	w := struct {
		*plain
		StuckAfter duration.Duration `json:"stuckAfter"`
	}{plain: (*plain)(v)}
	// Fields the JSON leaves out keep their values, as encoding/json does.
	w.StuckAfter = duration.Duration(v.StuckAfter)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.StuckAfter = time.Duration(w.StuckAfter)
	return nil
}

// MarshalJSON writes ConnectivityCheck's durations as people read them ("48h"); see package duration.
func (v ConnectivityCheck) MarshalJSON() ([]byte, error) {
	type plain ConnectivityCheck
	return json.Marshal(struct {
		plain
		Latency duration.Duration `json:"latency"`
	}{plain(v), duration.Duration(v.Latency)})
}

// UnmarshalJSON reads ConnectivityCheck, its durations written as strings or, in older histories, as
// nanoseconds.
func (v *ConnectivityCheck) UnmarshalJSON(b []byte) error {
	type plain ConnectivityCheck
	w := struct {
		*plain
		Latency duration.Duration `json:"latency"`
	}{plain: (*plain)(v)}
	// Fields the JSON leaves out keep their values, as encoding/json does.
	w.Latency = duration.Duration(v.Latency)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.Latency = time.Duration(w.Latency)
	return nil
}
