package activities

import "github.com/hcaops/hcaops/internal/duration"

// Durations in workflow inputs are written as people read them, so a history in the UI
// says "48h", not 172800000000000; older histories' nanoseconds still read (package
// duration). The fields stay time.Duration.

func (v ReconcileInput) MarshalJSON() ([]byte, error) {
	type plain ReconcileInput
	return duration.MarshalFields(plain(v))
}

func (v *ReconcileInput) UnmarshalJSON(b []byte) error {
	type plain ReconcileInput
	return duration.UnmarshalFields(b, (*plain)(v))
}

func (v ConnectivityCheck) MarshalJSON() ([]byte, error) {
	type plain ConnectivityCheck
	return duration.MarshalFields(plain(v))
}

func (v *ConnectivityCheck) UnmarshalJSON(b []byte) error {
	type plain ConnectivityCheck
	return duration.UnmarshalFields(b, (*plain)(v))
}
