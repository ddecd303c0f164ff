package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/notify"
)

// Enrollment talks to the Enrollment System: submissions, their status, the health check,
// and the email to a Veteran whose application could not be submitted.
type Enrollment struct {
	ES       *enrollment.Client
	Notifier notify.Notifier // Veteran emails: SMTP in production, a redacting log locally
	// HealthCheckID is the fixed, known submission the connectivity check asks about.
	HealthCheckID int64
}

// Failure types of the ES activities, for the workflow to tell apart.
const (
	// ErrTypeESRejected: ES refused the form for good (a formSubmissionException without
	// VOA_0240), or hcaops refused to send it (the form does not validate).
	ErrTypeESRejected = "ESRejected"
	// ErrTypeESNotProcessed: ES or the way to it said no, or the request never left; no
	// record can exist. Try again later.
	ErrTypeESNotProcessed = "ESNotProcessed"
	// ErrTypeESOutcomeUnknown: the request was sent and no answer from ES was read; ES may
	// hold a record vets.gov does not know. Try again later (a possible duplicate).
	ErrTypeESOutcomeUnknown = "ESOutcomeUnknown"
)

// SubmitResult is ES's answer to a submission, without the form.
type SubmitResult struct {
	Status           int       `json:"status"`
	FormSubmissionID int64     `json:"formSubmissionId"`
	Message          string    `json:"message,omitempty"`
	Timestamp        time.Time `json:"timestamp,omitzero"`
}

// SubmitInput is one attempt to submit an application. The application is PII: it travels
// in this input and nowhere else.
type SubmitInput struct {
	Application enrollment.Application `json:"application"`
	// Received is when vets.gov received the application: ES records its date (Central
	// time) as appDate, the same on every attempt.
	Received time.Time `json:"received"`
}

// SubmitApplication sends the 10-10EZ to ES once. ES does not recognise a repeated
// submission, so this activity runs once per attempt (the workflow retries, and records
// each attempt). ES's answer is recorded as the attempt's heartbeat before the activity
// returns: if this worker dies before the result reaches Temporal, the workflow finds the
// answer in the timed-out attempt's last heartbeat and does not send the form again.
func (a *Enrollment) SubmitApplication(ctx context.Context, in SubmitInput) (SubmitResult, error) {
	app := in.Application
	r, err := a.ES.Submit(ctx, &app, in.Received)
	if err != nil {
		return SubmitResult{}, classifySubmit("submit application "+app.ApplicationID, err)
	}
	res := SubmitResult{Status: r.Status, FormSubmissionID: r.FormSubmissionID, Message: r.Message(), Timestamp: r.Timestamp}
	activity.RecordHeartbeat(ctx, res)
	activity.GetLogger(ctx).Info("submitted to ES", "application", app.ApplicationID, "formSubmissionId", r.FormSubmissionID, "status", r.Status)
	return res, nil
}

// SubmissionStatus asks ES where a submission is.
func (a *Enrollment) SubmissionStatus(ctx context.Context, formSubmissionID int64) (SubmitResult, error) {
	r, err := a.ES.Status(ctx, formSubmissionID)
	if err != nil {
		return SubmitResult{}, classifyES(fmt.Sprintf("status of submission %d", formSubmissionID), err)
	}
	return SubmitResult{Status: r.Status, FormSubmissionID: r.FormSubmissionID, Message: r.Message(), Timestamp: r.Timestamp}, nil
}

// VeteranNotice is the email to a Veteran whose application failed. The address is PII:
// it goes to the notifier and nowhere else.
type VeteranNotice struct {
	ApplicationID string `json:"applicationId"`
	Email         string `json:"email"`
}

// NotifyVeteran tells the Veteran the application could not be submitted and what to do.
func (a *Enrollment) NotifyVeteran(ctx context.Context, n VeteranNotice) error {
	if n.Email == "" {
		return nil
	}
	return notifyErr(a.Notifier.Notify(ctx, notify.Message{
		To:      []string{n.Email},
		Subject: "We could not submit your application for VA health care",
		Body: "We're sorry. Your application for VA health care (form 10-10EZ) could not be submitted " +
			"to the VA Enrollment System. Our team has been told and is working on it. You can also apply " +
			"by calling 877-222-8387 (TTY: 711), Monday through Friday, 8:00 a.m. to 8:00 p.m. ET.\n\n" +
			"Reference: " + n.ApplicationID,
	}))
}

// ConnectivityCheck is one health check of the ES interface.
type ConnectivityCheck struct {
	At      time.Time     `json:"at"`
	OK      bool          `json:"ok"`
	Latency time.Duration `json:"latency"`
	Error   string        `json:"error,omitempty"`
}

// CheckConnectivity asks ES for the known submission. A failure is a result, not an
// error: the monitor counts failures, so the activity must not retry them away.
func (a *Enrollment) CheckConnectivity(ctx context.Context) (ConnectivityCheck, error) {
	start := time.Now()
	err := a.ES.HealthCheck(ctx, a.HealthCheckID)
	c := ConnectivityCheck{At: start.UTC(), OK: err == nil, Latency: time.Since(start)}
	if err != nil {
		c.Error = err.Error()
	}
	return c, nil
}

func classifyES(op string, err error) error {
	var ee *enrollment.Error
	if errors.As(err, &ee) && !ee.Retryable() {
		return temporal.NewNonRetryableApplicationError(op+": "+ee.Error(), ErrTypeESRejected, nil, ee.Codes)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// classifySubmit gives a failed attempt the type the workflow records: rejected (final),
// not processed, or outcome unknown. The message carries ES's codes and field paths only.
func classifySubmit(op string, err error) error {
	ee, ok := errors.AsType[*enrollment.Error](err)
	switch {
	case ok && !ee.Retryable():
		return temporal.NewNonRetryableApplicationError(op+": "+ee.Error(), ErrTypeESRejected, nil, ee.Codes)
	case ok && ee.OutcomeUnknown:
		return temporal.NewApplicationError(op+": "+ee.Error(), ErrTypeESOutcomeUnknown, ee.Codes)
	case ok:
		return temporal.NewApplicationError(op+": "+ee.Error(), ErrTypeESNotProcessed, ee.Codes)
	}
	// Not an ES answer at all (a canceled context): whether the request left is unknown.
	return temporal.NewApplicationError(op+": "+err.Error(), ErrTypeESOutcomeUnknown)
}
