package workflows

import (
	"encoding/json"
	"time"

	"github.com/hcaops/hcaops/internal/duration"
)

// Durations in workflow inputs are written as people read them, so a history in the UI
// says "48h", not 172800000000000.

// MarshalJSON writes CallAgendaInput's durations as people read them ("48h"); see package duration.
func (v CallAgendaInput) MarshalJSON() ([]byte, error) {
	type plain CallAgendaInput
	return json.Marshal(struct {
		plain
		Lead duration.Duration `json:"lead"`
	}{plain(v), duration.Duration(v.Lead)})
}

// UnmarshalJSON reads CallAgendaInput, its durations written as strings or, in older histories, as
// nanoseconds.
func (v *CallAgendaInput) UnmarshalJSON(b []byte) error {
	type plain CallAgendaInput
	w := struct {
		*plain
		Lead duration.Duration `json:"lead"`
	}{plain: (*plain)(v)}
	// Fields the JSON leaves out keep their values, as encoding/json does.
	w.Lead = duration.Duration(v.Lead)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.Lead = time.Duration(w.Lead)
	return nil
}

// MarshalJSON writes MonitorInput's durations as people read them ("48h"); see package duration.
func (v MonitorInput) MarshalJSON() ([]byte, error) {
	type plain MonitorInput
	return json.Marshal(struct {
		plain
		Every duration.Duration `json:"every,omitempty"`
	}{plain(v), duration.Duration(v.Every)})
}

// UnmarshalJSON reads MonitorInput, its durations written as strings or, in older histories, as
// nanoseconds.
func (v *MonitorInput) UnmarshalJSON(b []byte) error {
	type plain MonitorInput
	w := struct {
		*plain
		Every duration.Duration `json:"every,omitempty"`
	}{plain: (*plain)(v)}
	// Fields the JSON leaves out keep their values, as encoding/json does.
	w.Every = duration.Duration(v.Every)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.Every = time.Duration(w.Every)
	return nil
}

// MarshalJSON writes MonitorSettings's durations as people read them ("48h"); see package duration.
func (v MonitorSettings) MarshalJSON() ([]byte, error) {
	type plain MonitorSettings
	return json.Marshal(struct {
		plain
		Every duration.Duration `json:"every"`
	}{plain(v), duration.Duration(v.Every)})
}

// UnmarshalJSON reads MonitorSettings, its durations written as strings or, in older histories, as
// nanoseconds.
func (v *MonitorSettings) UnmarshalJSON(b []byte) error {
	type plain MonitorSettings
	w := struct {
		*plain
		Every duration.Duration `json:"every"`
	}{plain: (*plain)(v)}
	// Fields the JSON leaves out keep their values, as encoding/json does.
	w.Every = duration.Duration(v.Every)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.Every = time.Duration(w.Every)
	return nil
}
