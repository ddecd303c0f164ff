package sla

import "github.com/hcaops/hcaops/internal/duration"

// Durations in workflow inputs are written as people read them, so a history in the UI
// says "48h", not 172800000000000; older histories' nanoseconds still read (package
// duration). The fields stay time.Duration.

func (v Clock) MarshalJSON() ([]byte, error) {
	type plain Clock
	return duration.MarshalFields(plain(v))
}

func (v *Clock) UnmarshalJSON(b []byte) error {
	type plain Clock
	return duration.UnmarshalFields(b, (*plain)(v))
}
