package reconcile

import (
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

// Submission is vets.gov's record of one application it submitted (from its own
// records; no PII).
type Submission struct {
	ApplicationID    string `json:"applicationId"`    // our UUID, the report's application_key
	FormSubmissionID int64  `json:"formSubmissionId"` // 0 if ES never acknowledged it
	Status           int    `json:"status"`           // the last status ES gave vets.gov; 0 if none
	// When ES acknowledged it (ES's timeStamp); for a submission ES never acknowledged,
	// when vets.gov received the application.
	SubmittedAt time.Time `json:"submittedAt"`
	// Failed says vets.gov gave up on the submission and told the Veteran so.
	Failed bool `json:"failed,omitempty"`
	// Refused says ES answered with a final refusal (a validation fault) and no
	// formSubmissionId: ES does not hold it, so its report is not expected to list it.
	Refused bool `json:"refused,omitempty"`
	// Statuses is every status ES gave vets.gov, oldest first, with ES's timeStamp of it
	// and when vets.gov learned it. Empty for records kept before hcaops noted them; then
	// only Status is known, at no known time.
	Statuses []StatusSeen `json:"statuses,omitempty"`
	// UnknownAttempts are the submit attempts that were sent and never answered: ES may
	// hold a record of each that vets.gov cannot name.
	UnknownAttempts []Attempt `json:"unknownAttempts,omitempty"`
	// AttemptsOnly: the application is listed for its unanswered attempts of the day
	// alone; ES's day of the submission itself is another, so it is judged there.
	AttemptsOnly bool `json:"attemptsOnly,omitempty"`
}

// StatusSeen is one status ES gave vets.gov.
type StatusSeen struct {
	Status    int       `json:"status"`
	At        time.Time `json:"at,omitzero"`        // ES's timeStamp of the status
	LearnedAt time.Time `json:"learnedAt,omitzero"` // when vets.gov received the answer
}

// Attempt is a submit request whose outcome is unknown: sent at SentAt, given up on at
// Until (a timeout or a broken connection).
type Attempt struct {
	SentAt time.Time `json:"sentAt"`
	Until  time.Time `json:"until"`
}

// stamp is when ES set the status: its timeStamp, else (an answer without one) when
// vets.gov heard of it. Zero: not known.
func (s StatusSeen) stamp() time.Time {
	if !s.At.IsZero() {
		return s.At
	}
	return s.LearnedAt
}

// statusAsOf is the status ES had given this submission by the instant cutOff, on ES's
// clock, as far as vets.gov knows now: it is compared with a report describing the same
// instant. ok is false when vets.gov knows of no status set by then.
func (s Submission) statusAsOf(cutOff time.Time) (status int, ok bool) {
	for _, seen := range s.Statuses {
		if at := seen.stamp(); !at.IsZero() && !at.After(cutOff) {
			status, ok = seen.Status, true
		}
	}
	return status, ok
}

// verdict is the final status vets.gov holds, whenever it learned it: ES's 101 or 104,
// or 101 for an application vets.gov gave up on without ES ever acknowledging it (the
// Veteran was told it failed). 0: none.
func (s Submission) verdict() int {
	switch {
	case final(s.Status):
		return s.Status
	case s.FormSubmissionID == 0 && s.Failed:
		return enrollment.StatusSubmissionFailed
	}
	return 0
}

// expected says whether ES's report, cut off at cutOff, must list the submission: ES
// acknowledged it by then, or vets.gov had it by then and never got an answer.
func (s Submission) expected(cutOff time.Time) bool {
	return !s.SubmittedAt.After(cutOff) && !(s.FormSubmissionID == 0 && s.Refused)
}

// final statuses do not change any more.
func final(status int) bool {
	return status == enrollment.StatusSubmissionFailed || status == enrollment.StatusProcessed
}
