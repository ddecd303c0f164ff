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

// ErrTypeESRejected is the failure type of a submission ES refused for good (a validation
// fault, or an answer that will not change on retry).
const ErrTypeESRejected = "ESRejected"

// SubmitResult is ES's answer to a submission, without the form.
type SubmitResult struct {
	Status           int       `json:"status"`
	FormSubmissionID int64     `json:"formSubmissionId"`
	Message          string    `json:"message,omitempty"`
	Timestamp        time.Time `json:"timestamp,omitzero"`
}

// SubmitApplication sends the 10-10EZ to ES. The application ID travels as the submission
// key, so a retried or replayed attempt gets ES's first record back, never a second one.
func (a *Enrollment) SubmitApplication(ctx context.Context, app enrollment.Application) (SubmitResult, error) {
	r, err := a.ES.Submit(ctx, &app)
	if err != nil {
		return SubmitResult{}, classifyES("submit application "+app.ApplicationID, err)
	}
	activity.GetLogger(ctx).Info("submitted to ES", "application", app.ApplicationID, "formSubmissionId", r.FormSubmissionID, "status", r.Status)
	return SubmitResult{Status: r.Status, FormSubmissionID: r.FormSubmissionID, Message: r.Message, Timestamp: r.Timestamp}, nil
}

// SubmissionStatus asks ES where a submission is.
func (a *Enrollment) SubmissionStatus(ctx context.Context, formSubmissionID int64) (SubmitResult, error) {
	r, err := a.ES.Status(ctx, formSubmissionID)
	if err != nil {
		return SubmitResult{}, classifyES(fmt.Sprintf("status of submission %d", formSubmissionID), err)
	}
	return SubmitResult{Status: r.Status, FormSubmissionID: r.FormSubmissionID, Message: r.Message, Timestamp: r.Timestamp}, nil
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
