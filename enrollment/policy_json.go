package enrollment

import (
	"encoding/json"
	"time"

	"github.com/hcaops/hcaops/internal/duration"
)

// Durations in workflow inputs are written as people read them, so a history in the UI
// says "48h", not 172800000000000.

// MarshalJSON writes SubmissionPolicy's durations as people read them ("48h"); see package duration.
func (v SubmissionPolicy) MarshalJSON() ([]byte, error) {
	type plain SubmissionPolicy
	return json.Marshal(struct {
		plain
		RetryInitial   duration.Duration `json:"retryInitial"`
		RetryMax       duration.Duration `json:"retryMax"`
		StatusEvery    duration.Duration `json:"statusEvery"`
		GiveUpAfter    duration.Duration `json:"giveUpAfter"`
		AttemptTimeout duration.Duration `json:"attemptTimeout,omitempty"`
	}{plain(v), duration.Duration(v.RetryInitial), duration.Duration(v.RetryMax), duration.Duration(v.StatusEvery), duration.Duration(v.GiveUpAfter), duration.Duration(v.AttemptTimeout)})
}

// UnmarshalJSON reads SubmissionPolicy, its durations written as strings or, in older histories, as
// nanoseconds.
func (v *SubmissionPolicy) UnmarshalJSON(b []byte) error {
	type plain SubmissionPolicy
	w := struct {
		*plain
		RetryInitial   duration.Duration `json:"retryInitial"`
		RetryMax       duration.Duration `json:"retryMax"`
		StatusEvery    duration.Duration `json:"statusEvery"`
		GiveUpAfter    duration.Duration `json:"giveUpAfter"`
		AttemptTimeout duration.Duration `json:"attemptTimeout,omitempty"`
	}{plain: (*plain)(v)}
	// Fields the JSON leaves out keep their values, as encoding/json does.
	w.RetryInitial = duration.Duration(v.RetryInitial)
	w.RetryMax = duration.Duration(v.RetryMax)
	w.StatusEvery = duration.Duration(v.StatusEvery)
	w.GiveUpAfter = duration.Duration(v.GiveUpAfter)
	w.AttemptTimeout = duration.Duration(v.AttemptTimeout)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.RetryInitial = time.Duration(w.RetryInitial)
	v.RetryMax = time.Duration(w.RetryMax)
	v.StatusEvery = time.Duration(w.StatusEvery)
	v.GiveUpAfter = time.Duration(w.GiveUpAfter)
	v.AttemptTimeout = time.Duration(w.AttemptTimeout)
	return nil
}

// MarshalJSON writes ReportPolicy's durations as people read them ("48h"); see package duration.
func (v ReportPolicy) MarshalJSON() ([]byte, error) {
	type plain ReportPolicy
	return json.Marshal(struct {
		plain
		DueAfter       duration.Duration `json:"dueAfter"`
		RetryEvery     duration.Duration `json:"retryEvery"`
		StuckAfter     duration.Duration `json:"stuckAfter"`
		FollowLateFor  duration.Duration `json:"followLateFor,omitempty"`
		LateRetryEvery duration.Duration `json:"lateRetryEvery,omitempty"`
	}{plain(v), duration.Duration(v.DueAfter), duration.Duration(v.RetryEvery), duration.Duration(v.StuckAfter), duration.Duration(v.FollowLateFor), duration.Duration(v.LateRetryEvery)})
}

// UnmarshalJSON reads ReportPolicy, its durations written as strings or, in older histories, as
// nanoseconds.
func (v *ReportPolicy) UnmarshalJSON(b []byte) error {
	type plain ReportPolicy
	w := struct {
		*plain
		DueAfter       duration.Duration `json:"dueAfter"`
		RetryEvery     duration.Duration `json:"retryEvery"`
		StuckAfter     duration.Duration `json:"stuckAfter"`
		FollowLateFor  duration.Duration `json:"followLateFor,omitempty"`
		LateRetryEvery duration.Duration `json:"lateRetryEvery,omitempty"`
	}{plain: (*plain)(v)}
	// Fields the JSON leaves out keep their values, as encoding/json does.
	w.DueAfter = duration.Duration(v.DueAfter)
	w.RetryEvery = duration.Duration(v.RetryEvery)
	w.StuckAfter = duration.Duration(v.StuckAfter)
	w.FollowLateFor = duration.Duration(v.FollowLateFor)
	w.LateRetryEvery = duration.Duration(v.LateRetryEvery)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.DueAfter = time.Duration(w.DueAfter)
	v.RetryEvery = time.Duration(w.RetryEvery)
	v.StuckAfter = time.Duration(w.StuckAfter)
	v.FollowLateFor = time.Duration(w.FollowLateFor)
	v.LateRetryEvery = time.Duration(w.LateRetryEvery)
	return nil
}
