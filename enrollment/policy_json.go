package enrollment

import "github.com/hcaops/hcaops/internal/duration"

// Durations in workflow inputs are written as people read them, so a history in the UI
// says "48h", not 172800000000000; older histories' nanoseconds still read (package
// duration). The fields stay time.Duration.

func (v SubmissionPolicy) MarshalJSON() ([]byte, error) {
	type plain SubmissionPolicy
	return duration.MarshalFields(plain(v))
}

func (v *SubmissionPolicy) UnmarshalJSON(b []byte) error {
	type plain SubmissionPolicy
	return duration.UnmarshalFields(b, (*plain)(v))
}

func (v ReportPolicy) MarshalJSON() ([]byte, error) {
	type plain ReportPolicy
	return duration.MarshalFields(plain(v))
}

func (v *ReportPolicy) UnmarshalJSON(b []byte) error {
	type plain ReportPolicy
	return duration.UnmarshalFields(b, (*plain)(v))
}
