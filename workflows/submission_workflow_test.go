package workflows

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/enrollmenttest"
	"github.com/hcaops/hcaops/enrollment/esfake"
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
	text := st.Error
	for _, a := range st.Attempts {
		text += a.Error
	}
	for _, v := range piiValues {
		if strings.Contains(text, v) {
			t.Fatalf("submission state carries PII %q: %s", v, text)
		}
	}
	return st
}

func outcomes(st SubmissionState) []string {
	var out []string
	for _, a := range st.Attempts {
		out = append(out, a.Outcome)
	}
	return out
}

func TestSubmissionFollowedToProcessed(t *testing.T) {
	h := newESHarness(t, monday)
	st := runSubmission(t, h, testApplication("0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c01"), fastPolicy())
	if st.Outcome != SubmissionProcessed || st.ESStatus != enrollment.StatusProcessed || st.FormSubmissionID == 0 {
		t.Fatalf("state %+v", st)
	}
	if subs := h.es.Submissions(); len(subs) != 1 {
		t.Fatalf("ES holds %+v, want one record", subs)
	}
	if !slices.Equal(outcomes(st), []string{"accepted"}) || st.OutcomeUnknownAttempts != 0 || !st.Attempts[0].At.Equal(monday) {
		t.Fatalf("attempts %+v", st.Attempts)
	}
	if len(h.tickets.openedRefs()) != 0 || h.mail.count("") != 0 {
		t.Fatal("a processed submission raised a ticket or emailed the Veteran")
	}
}

// Every valid fixture form goes through the workflow and the strict fake.
func TestSubmissionOfEveryFixtureForm(t *testing.T) {
	for i, name := range enrollmenttest.ValidForms {
		t.Run(name, func(t *testing.T) {
			h := newESHarness(t, monday)
			app := enrollmenttest.Named(name, "0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c1"+string(rune('0'+i)))
			if st := runSubmission(t, h, app, fastPolicy()); st.Outcome != SubmissionProcessed {
				t.Fatalf("state %+v", st)
			}
		})
	}
}

// Outages that ES says it did not process are retried on the schedule with a known outcome:
// one record in ES, no possible duplicate.
func TestSubmissionRetriesOutagesWithoutDuplicates(t *testing.T) {
	h := newESHarness(t, monday)
	if err := h.es.SetFaults(esfake.Faults{Unavailable503: 2, ClientFault: 1, RetryableFault: 1}); err != nil {
		t.Fatal(err)
	}
	st := runSubmission(t, h, testApplication("0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c02"), fastPolicy())
	if st.Outcome != SubmissionProcessed {
		t.Fatalf("outcome %s (%s)", st.Outcome, st.Error)
	}
	want := []string{"not-processed", "not-processed", "not-processed", "not-processed", "accepted"}
	if got := outcomes(st); !slices.Equal(got, want) || st.OutcomeUnknownAttempts != 0 {
		t.Fatalf("attempts %v, want %v", got, want)
	}
	if subs := h.es.Submissions(); len(subs) != 1 {
		t.Fatalf("ES created %d records for one application", len(subs))
	}
}

// The answer to a submission is lost after ES made the record: the attempt's outcome is
// unknown, so the form is sent again (a duplicate in ES, honestly flagged).
func TestSubmissionWithLostAnswerIsResentAndFlagged(t *testing.T) {
	h := newESHarness(t, monday)
	if err := h.es.SetFaults(esfake.Faults{AnswerLost: 1}); err != nil {
		t.Fatal(err)
	}
	st := runSubmission(t, h, testApplication("0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c07"), fastPolicy())
	if st.Outcome != SubmissionProcessed || st.OutcomeUnknownAttempts != 1 {
		t.Fatalf("state %+v", st)
	}
	if got := outcomes(st); !slices.Equal(got, []string{"outcome-unknown", "accepted"}) {
		t.Fatalf("attempts %v", got)
	}
	subs := h.es.Submissions()
	if len(subs) != 2 || subs[0].Applicant != subs[1].Applicant || st.FormSubmissionID != subs[1].FormSubmissionID {
		t.Fatalf("ES holds %+v: want the lost record and the one vets.gov knows", subs)
	}
}

// The attempts follow the configured schedule: 17 attempts, 15 s doubling to 8 h, about two
// days. The gaps are written out here, not computed from the policy.
func TestSubmissionRetriesRunOutOnTheSchedule(t *testing.T) {
	h := newESHarness(t, monday)
	if err := h.es.SetFaults(esfake.Faults{ProxyError: -1, ProxyStatus: 502}); err != nil {
		t.Fatal(err)
	}
	st := runSubmission(t, h, testApplication("0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c04"), fastPolicy())
	if st.Outcome != SubmissionFailed || len(h.tickets.openedRefs()) != 1 {
		t.Fatalf("state %+v tickets %v", st, h.tickets.openedRefs())
	}
	s, m, hr := time.Second, time.Minute, time.Hour
	gaps := []time.Duration{15 * s, 30 * s, m, 2 * m, 4 * m, 8 * m, 16 * m, 32 * m, 64 * m, 128 * m, 256 * m,
		8 * hr, 8 * hr, 8 * hr, 8 * hr, 8 * hr}
	if len(st.Attempts) != 17 || st.OutcomeUnknownAttempts != 17 {
		t.Fatalf("%d attempts, %d unknown; want 17 and 17 (a 502 may come after ES did its work)", len(st.Attempts), st.OutcomeUnknownAttempts)
	}
	for i, gap := range gaps {
		if got := st.Attempts[i+1].At.Sub(st.Attempts[i].At); got < gap || got > gap+time.Second {
			t.Errorf("gap before attempt %d = %v, want %v", i+2, got, gap)
		}
	}
	if !strings.Contains(st.Error, "17 attempts, 17 sent without an answer") {
		t.Errorf("error %q does not say the attempts may have left records", st.Error)
	}
	ticketText := h.tickets.opened[0].Ticket.Description
	if !strings.Contains(ticketText, "ES may hold a record") {
		t.Errorf("ticket does not warn of a possible record: %s", ticketText)
	}
}

func TestSubmissionRefusedByESEmailsVeteranAndRaisesTicket(t *testing.T) {
	h := newESHarness(t, monday)
	if err := h.es.SetFaults(esfake.Faults{ValidationFault: 1}); err != nil {
		t.Fatal(err)
	}
	app := testApplication("0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c03")
	st := runSubmission(t, h, app, fastPolicy())
	if st.Outcome != SubmissionFailed || !strings.Contains(st.Error, "VOA_0010") || !slices.Equal(outcomes(st), []string{"rejected"}) {
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

func TestSubmissionStuckInProcessingRaisesTicket(t *testing.T) {
	h := newESHarness(t, monday)
	if err := h.es.SetFaults(esfake.Faults{StuckInProcessing: 1, StuckStatus: 103}); err != nil {
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
	app := enrollmenttest.Named(enrollmenttest.Invalid, "0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c06")
	h.env.ExecuteWorkflow(SubmissionWorkflow, SubmissionInput{Application: app})
	err := h.env.GetWorkflowError()
	if err == nil || !strings.Contains(err.Error(), "veteranSocialSecurityNumber: must be 9 digits") {
		t.Fatalf("error %v", err)
	}
	for _, v := range piiValues {
		if strings.Contains(err.Error(), v) {
			t.Fatalf("error carries PII %q: %v", v, err)
		}
	}
	if len(h.es.Submissions()) != 0 {
		t.Fatal("an invalid application reached ES")
	}
}
