package ticket

import (
	"encoding/json"
	"time"

	"github.com/hcaops/hcaops/internal/duration"
)

// Durations in workflow inputs are written as people read them, so a history in the UI
// says "48h", not 172800000000000.

// MarshalJSON writes Policy's durations as people read them ("48h"); see package duration.
func (v Policy) MarshalJSON() ([]byte, error) {
	type plain Policy
	return json.Marshal(struct {
		plain
		Acknowledge  duration.Duration              `json:"acknowledge"`
		Resolution   map[Priority]duration.Duration `json:"resolution"`
		ES           map[Priority]duration.Duration `json:"es"`
		ReopenWindow duration.Duration              `json:"reopenWindow"`
	}{plain(v), duration.Duration(v.Acknowledge), duration.Map(v.Resolution), duration.Map(v.ES), duration.Duration(v.ReopenWindow)})
}

// UnmarshalJSON reads Policy, its durations written as strings or, in older histories, as
// nanoseconds.
func (v *Policy) UnmarshalJSON(b []byte) error {
	type plain Policy
	w := struct {
		*plain
		Acknowledge  duration.Duration              `json:"acknowledge"`
		Resolution   map[Priority]duration.Duration `json:"resolution"`
		ES           map[Priority]duration.Duration `json:"es"`
		ReopenWindow duration.Duration              `json:"reopenWindow"`
	}{plain: (*plain)(v)}
	// Fields the JSON leaves out keep their values, as encoding/json does.
	w.Acknowledge = duration.Duration(v.Acknowledge)
	w.Resolution = duration.Map(v.Resolution)
	w.ES = duration.Map(v.ES)
	w.ReopenWindow = duration.Duration(v.ReopenWindow)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.Acknowledge = time.Duration(w.Acknowledge)
	v.Resolution = duration.Std(w.Resolution)
	v.ES = duration.Std(w.ES)
	v.ReopenWindow = time.Duration(w.ReopenWindow)
	return nil
}
