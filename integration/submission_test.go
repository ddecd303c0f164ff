package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/enrollmenttest"
	"github.com/hcaops/hcaops/enrollment/esfake"
	"github.com/hcaops/hcaops/workflows"
)

// writeFile writes an applications file for the starter: raw JSON entries, the forms as
// the va.gov front end posts them.
func writeFile(t *testing.T, entries ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "applications.json")
	if err := os.WriteFile(path, []byte("["+strings.Join(entries, ",\n")+"]"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func entry(id, form string) string {
	return `{"applicationId": "` + id + `", "form": ` + form + `}`
}

// A file with one bad form submits nothing, and names every problem with the form's
// position, by field path, never by value.
func TestStarterRefusesAFileWithOneBadForm(t *testing.T) {
	good := "5eed2222-0000-4000-8000-000000000001"
	typo := strings.Replace(string(enrollmenttest.JSON(enrollmenttest.Minimal)), `"veteranAddress"`, `"veteranAdress"`, 1)
	typo = strings.Replace(typo, `"gender": "F"`, `"gender": 1`, 1)
	path := writeFile(t,
		entry(good, string(enrollmenttest.JSON(enrollmenttest.Married))),
		entry("5eed2222-0000-4000-8000-000000000002", string(enrollmenttest.JSON(enrollmenttest.Invalid))),
		entry("5eed2222-0000-4000-8000-000000000003", typo),
	)
	r := program(t, "starter", "-applications", path)
	if r.code == 0 {
		t.Fatalf("starter accepted the file:\n%s", r.out)
	}
	for _, want := range []string{
		"nothing submitted",
		"application 2: veteranSocialSecurityNumber: must be 9 digits",
		"application 2: veteranAddress.postalCode: required for a USA address",
		"application 2: providers[0]: insurancePolicyNumber or insuranceGroupCode is required",
		"application 3: gender: must be a string",
		"application 3: veteranAdress: unknown field",
	} {
		if !strings.Contains(r.err, want) {
			t.Errorf("starter output lacks %q:\n%s", want, r.err)
		}
	}
	if strings.Contains(r.err, "application 1:") {
		t.Errorf("the good form was blamed:\n%s", r.err)
	}
	assertNoPII(t, "starter errors", r.err)
	_, err := env.client.DescribeWorkflowExecution(context.Background(), workflows.SubmissionWorkflowID(good), "")
	if _, notFound := err.(*serviceerror.NotFound); !notFound {
		t.Fatalf("the good form of a refused file was submitted: %v", err)
	}
}

func waitSubmission(t *testing.T, id string) workflows.SubmissionState {
	t.Helper()
	var st workflows.SubmissionState
	eventually(t, 60*time.Second, "submission "+id+" finished", func() bool {
		var done bool
		st, done = submissionState(t, id)
		return done
	})
	return st
}

// ES made the record but its answer was lost: the attempt's outcome is unknown, the form
// is sent again, and the submission is marked for the daily reconciliation as a possible
// duplicate, with the date ES saw the lost attempt.
func TestLostAnswerIsResentAndFlagged(t *testing.T) {
	if err := env.es.SetFaults(esfake.Faults{AnswerLost: 1}); err != nil {
		t.Fatal(err)
	}
	defer env.es.SetFaults(esfake.Faults{})
	before := len(env.es.Submissions())
	id := fmt.Sprintf("5eed3333-0000-4000-8000-%012d", time.Now().UnixNano()%1e12)
	ok(t, "starter", "-applications", writeFile(t, entry(id, string(enrollmenttest.JSON(enrollmenttest.Married)))))
	st := waitSubmission(t, id)
	if st.Outcome != workflows.SubmissionProcessed || st.OutcomeUnknownAttempts != 1 || len(st.Attempts) != 2 ||
		st.Attempts[0].Outcome != workflows.AttemptOutcomeUnknown || st.Attempts[1].Outcome != workflows.AttemptAccepted {
		t.Fatalf("state %+v", st)
	}
	records := env.es.Submissions()[before:]
	if len(records) != 2 || records[0].Applicant != records[1].Applicant || records[1].FormSubmissionID != st.FormSubmissionID {
		t.Fatalf("ES records %+v: want the lost one and the one vets.gov knows", records)
	}
	date := st.Attempts[0].At.In(esZone).Format(time.DateOnly)
	query := fmt.Sprintf("WorkflowId = '%s' AND SubmissionOutcomeUnknown = true AND SubmissionOutcomeUnknownDates = '%s'",
		workflows.SubmissionWorkflowID(id), date)
	eventually(t, 20*time.Second, "visibility lists the possible duplicate", func() bool {
		resp, err := env.client.CountWorkflow(context.Background(), countRequest(query))
		return err == nil && resp.GetCount() == 1
	})
	desc, err := env.client.DescribeWorkflowExecution(context.Background(), workflows.SubmissionWorkflowID(id), "")
	if err != nil {
		t.Fatal(err)
	}
	assertNoPII(t, "search attributes", desc.GetWorkflowExecutionInfo().GetSearchAttributes().String())
	data, _ := json.Marshal(st)
	assertNoPII(t, "submission state", string(data))
	assertNoPII(t, "worker logs", env.logs.String())
	recordHistory(t, workflows.SubmissionWorkflowID(id), "", "submission_outcome_unknown")
}

// An attempt that got ES's answer and then never reported it (the worker died) is not sent
// again: the workflow reads the answer from the attempt's last heartbeat.
func TestAnsweredAttemptIsNotResentWhenTheWorkerDies(t *testing.T) {
	es, err := enrollment.NewClient(enrollment.Config{Endpoint: env.esURL})
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	dies := func(ctx context.Context, in activities.SubmitInput) (activities.SubmitResult, error) {
		calls.Add(1)
		r, err := es.Submit(ctx, &in.Application, in.Received)
		if err != nil {
			return activities.SubmitResult{}, err
		}
		activity.RecordHeartbeat(ctx, activities.SubmitResult{Status: r.Status, FormSubmissionID: r.FormSubmissionID, Timestamp: r.Timestamp})
		<-ctx.Done() // never reports: the attempt times out
		return activities.SubmitResult{}, ctx.Err()
	}
	queue := fmt.Sprintf("it-worker-dies-%d", time.Now().UnixNano())
	w := worker.New(env.client, queue, worker.Options{})
	w.RegisterWorkflow(workflows.SubmissionWorkflow)
	w.RegisterActivity(&activities.Enrollment{ES: es, HealthCheckID: 1})
	w.RegisterActivityWithOptions(dies, activity.RegisterOptions{Name: "SubmitApplication", DisableAlreadyRegisteredCheck: true})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	before := len(env.es.Submissions())
	id := fmt.Sprintf("5eed4444-0000-4000-8000-%012d", time.Now().UnixNano()%1e12)
	p := enrollment.DefaultSubmissionPolicy()
	p.RetryInitial, p.RetryMax, p.AttemptTimeout, p.StatusEvery = 100*time.Millisecond, time.Second, 2*time.Second, 200*time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	run, err := env.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.SubmissionWorkflowID(id), TaskQueue: queue},
		workflows.SubmissionWorkflow, workflows.SubmissionInput{Application: enrollmenttest.Named(enrollmenttest.Minimal, id), Policy: &p})
	if err != nil {
		t.Fatal(err)
	}
	var st workflows.SubmissionState
	if err := run.Get(ctx, &st); err != nil {
		t.Fatal(err)
	}
	records := env.es.Submissions()[before:]
	if calls.Load() != 1 || len(records) != 1 || st.FormSubmissionID != records[0].FormSubmissionID ||
		len(st.Attempts) != 1 || st.Attempts[0].Outcome != workflows.AttemptAccepted || st.Outcome != workflows.SubmissionProcessed {
		t.Fatalf("%d calls, %d records, state %+v", calls.Load(), len(records), st)
	}
}
