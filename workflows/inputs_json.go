package workflows

import "github.com/hcaops/hcaops/internal/duration"

// Durations in workflow inputs are written as people read them, so a history in the UI
// says "48h", not 172800000000000; older histories' nanoseconds still read (package
// duration). The fields stay time.Duration.

func (v CallAgendaInput) MarshalJSON() ([]byte, error) {
	type plain CallAgendaInput
	return duration.MarshalFields(plain(v))
}

func (v *CallAgendaInput) UnmarshalJSON(b []byte) error {
	type plain CallAgendaInput
	return duration.UnmarshalFields(b, (*plain)(v))
}

func (v MonitorInput) MarshalJSON() ([]byte, error) {
	type plain MonitorInput
	return duration.MarshalFields(plain(v))
}

func (v *MonitorInput) UnmarshalJSON(b []byte) error {
	type plain MonitorInput
	return duration.UnmarshalFields(b, (*plain)(v))
}

func (v MonitorSettings) MarshalJSON() ([]byte, error) {
	type plain MonitorSettings
	return duration.MarshalFields(plain(v))
}

func (v *MonitorSettings) UnmarshalJSON(b []byte) error {
	type plain MonitorSettings
	return duration.UnmarshalFields(b, (*plain)(v))
}
