package workflows

import (
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/enrollmenttest"
	"github.com/hcaops/hcaops/ticket"
)

func testApplication(id string) enrollment.Application { return enrollmenttest.Application(id) }

var piiValues = enrollmenttest.PIIValues

func fastPolicy() *enrollment.SubmissionPolicy {
	p := enrollment.DefaultSubmissionPolicy()
	return &p
}

func runSubmission(t *testing.T, h *esHarness, app enrollment.Application, p *enrollment.SubmissionPolicy) SubmissionState {
	t.Helper()
	h.env.ExecuteWorkflow(SubmissionWorkflow, SubmissionInput{Application: app, Policy: p})
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatalf("submission workflow failed: %v", err)
	}
	var st SubmissionState
	if err := h.env.GetWorkflowResult(&st); err != nil {
		t.Fatal(err)
	}
	for _, v := range piiValues {
		if strings.Contains(st.Error, v) {
			t.Fatalf("submission error carries PII %q: %s", v, st.Error)
		}
	}
	return st
}

func TestSubmissionFollowedToProcessed(t *testing.T) {
	h := newESHarness(t, monday)
	st := runSubmission(t, h, testApplication("0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c01"), fastPolicy())
	if st.Outcome != SubmissionProcessed || st.ESStatus != enrollment.StatusProcessed || st.FormSubmissionID == 0 {
		t.Fatalf("state %+v", st)
	}
	if subs := h.es.Submissions(); len(subs) != 1 || subs[0].Calls != 1 {
		t.Fatalf("ES holds %+v, want one record from one call", subs)
	}
	if len(h.tickets.openedRefs()) != 0 || h.mail.count("") != 0 {
		t.Fatal("a processed submission raised a ticket or emailed the Veteran")
	}
}

func TestSubmissionRetriesOutagesWithoutDuplicates(t *testing.T) {
	h := newESHarness(t, monday)
	// Three 503s and a VOA_0240 fault: all retryable, as in vets-api.
	if err := h.es.SetFaults(enrollment.Faults{Unavailable503: 3, RetryableFault: 1}); err != nil {
		t.Fatal(err)
	}
	st := runSubmission(t, h, testApplication("0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c02"), fastPolicy())
	if st.Outcome != SubmissionProcessed {
		t.Fatalf("outcome %s (%s)", st.Outcome, st.Error)
	}
	subs := h.es.Submissions()
	if len(subs) != 1 {
		t.Fatalf("ES created %d records for one application", len(subs))
	}
}

func TestSubmissionRefusedByESEmailsVeteranAndRaisesTicket(t *testing.T) {
	h := newESHarness(t, monday)
	if err := h.es.SetFaults(enrollment.Faults{ValidationFault: 1}); err != nil {
		t.Fatal(err)
	}
	app := testApplication("0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c03")
	st := runSubmission(t, h, app, fastPolicy())
	if st.Outcome != SubmissionFailed || !strings.Contains(st.Error, "VOA_0010") {
		t.Fatalf("state %+v", st)
	}
	if h.mail.count("could not submit") != 1 {
		t.Fatal("the Veteran was not emailed once")
	}
	refs := h.tickets.openedRefs()
	if len(refs) != 1 || refs[0] != "ESSUB-"+app.ApplicationID || st.TicketRef != refs[0] {
		t.Fatalf("tickets %v, state ticket %s", refs, st.TicketRef)
	}
	opened := h.tickets.opened[0]
	if len(opened.Then) != 2 || opened.Then[1].Action != ticket.ActRouteToES {
		t.Fatalf("ticket not routed to ES: %+v", opened.Then)
	}
	if err := opened.Ticket.Validate(); err != nil {
		t.Fatalf("raised ticket does not validate: %v", err)
	}
	text := opened.Ticket.Summary + opened.Ticket.Description
	for _, v := range piiValues {
		if strings.Contains(text, v) {
			t.Fatalf("ticket carries PII %q", v)
		}
	}
}

func TestSubmissionRetriesRunOutAfterThePolicy(t *testing.T) {
	h := newESHarness(t, monday)
	if err := h.es.SetFaults(enrollment.Faults{Unavailable503: -1}); err != nil {
		t.Fatal(err)
	}
	p := fastPolicy()
	start := time.Now()
	st := runSubmission(t, h, testApplication("0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c04"), p)
	if st.Outcome != SubmissionFailed || len(h.tickets.openedRefs()) != 1 {
		t.Fatalf("state %+v tickets %v", st, h.tickets.openedRefs())
	}
	// 17 attempts over about two days of workflow time, skipped in the test.
	if elapsed := h.env.Now().Sub(monday); elapsed < p.RetryWindow() {
		t.Fatalf("gave up after %v of workflow time, want at least %v", elapsed, p.RetryWindow())
	}
	t.Logf("retry window %v of workflow time ran in %v", p.RetryWindow(), time.Since(start))
}

func TestSubmissionStuckInProcessingRaisesTicket(t *testing.T) {
	h := newESHarness(t, monday)
	if err := h.es.SetFaults(enrollment.Faults{StuckInProcessing: 1, StuckStatus: 103}); err != nil {
		t.Fatal(err)
	}
	p := fastPolicy()
	p.GiveUpAfter = 2 * day
	st := runSubmission(t, h, testApplication("0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c05"), p)
	if st.Outcome != SubmissionStuck || st.ESStatus != 103 || h.mail.count("") != 0 {
		t.Fatalf("state %+v, %d emails", st, h.mail.count(""))
	}
	if refs := h.tickets.openedRefs(); len(refs) != 1 {
		t.Fatalf("tickets %v", refs)
	}
}

func TestInvalidApplicationIsRejectedWithoutValues(t *testing.T) {
	h := newESHarness(t, monday)
	app := testApplication("0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c06")
	app.PersonInfo.SSN = "23154987x"
	h.env.ExecuteWorkflow(SubmissionWorkflow, SubmissionInput{Application: app})
	err := h.env.GetWorkflowError()
	if err == nil || !strings.Contains(err.Error(), "personInfo.ssn") || strings.Contains(err.Error(), "23154987x") {
		t.Fatalf("error %v", err)
	}
	if len(h.es.Submissions()) != 0 {
		t.Fatal("an invalid application reached ES")
	}
}
