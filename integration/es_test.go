package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/enrollmenttest"
	"github.com/hcaops/hcaops/enrollment/esfake"
	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/reportclient"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

var esZone, _ = time.LoadLocation("America/New_York")

// runPrefix starts application IDs (UUIDs) unique to this run, so that a run on a
// long-lived server never meets the applications of an earlier one.
func runPrefix() string {
	return fmt.Sprintf("%08x-%04x", uint32(time.Now().UnixNano()>>16), uint16(time.Now().UnixNano()))
}

// applications writes n synthetic 10-10EZ forms to a file for the starter.
func applications(t *testing.T, prefix string, n int) (string, []string) {
	t.Helper()
	var apps []enrollment.Application
	var ids []string
	for i := range n {
		id := fmt.Sprintf("%s-4000-8000-%012d", prefix, i+1)
		ids = append(ids, id)
		apps = append(apps, enrollmenttest.Application(id))
	}
	data, err := json.Marshal(apps)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "applications.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, ids
}

func submissionState(t *testing.T, id string) (workflows.SubmissionState, bool) {
	t.Helper()
	run := env.client.GetWorkflow(context.Background(), workflows.SubmissionWorkflowID(id), "")
	var st workflows.SubmissionState
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := run.Get(ctx, &st); err != nil {
		return st, false
	}
	return st, true
}

// TestSubmissionBatchUnderFaultsThenReconciliation submits a batch while the fake ES
// answers 503s, random server faults and validation faults: every application ends
// processed or failed with a ticket routed to ES, ES holds one record per application,
// and the day's report, with injected discrepancies, is reconciled and raises one ticket.
func TestSubmissionBatchUnderFaultsThenReconciliation(t *testing.T) {
	if err := env.es.SetFaults(esfake.Faults{Unavailable503: 4, ErrorRate: 0.2, Seed: 7, ValidationFault: 2}); err != nil {
		t.Fatal(err)
	}
	defer env.es.SetFaults(esfake.Faults{})
	recordsBefore := len(env.es.Submissions())
	path, ids := applications(t, runPrefix(), 12)
	out := ok(t, "starter", "-applications", path)
	if strings.Count(out, "\tsubmitted\t") != len(ids) {
		t.Fatalf("starter printed:\n%s", out)
	}
	if again := ok(t, "starter", "-applications", path); strings.Count(again, "already submitted") != len(ids) {
		t.Fatalf("second submission of the batch:\n%s", again)
	}
	states := map[string]workflows.SubmissionState{}
	eventually(t, 90*time.Second, "every submission finished", func() bool {
		for _, id := range ids {
			if _, done := states[id]; done {
				continue
			}
			if st, done := submissionState(t, id); done {
				states[id] = st
			}
		}
		return len(states) == len(ids)
	})
	processed, failed := 0, 0
	for id, st := range states {
		switch st.Outcome {
		case workflows.SubmissionProcessed:
			processed++
		case workflows.SubmissionFailed:
			failed++
			v, err := env.ops.Show(context.Background(), st.TicketRef)
			if err != nil || v.State != ticket.StateAwaitingES || v.Tier != ticket.TierES || st.TicketRef != "ESSUB-"+id {
				t.Fatalf("failed submission %s: ticket %s state %s (%v)", id, st.TicketRef, v.State, err)
			}
		default:
			t.Fatalf("submission %s ended %s", id, st.Outcome)
		}
	}
	if failed != 2 || processed != len(ids)-2 {
		t.Fatalf("%d processed, %d failed; want the 2 validation faults to fail", processed, failed)
	}
	// Every fault the batch met was answered by ES (or refused before it): no attempt had an
	// unknown outcome, so ES holds exactly one record per processed application.
	if got := len(env.es.Submissions()) - recordsBefore; got != processed {
		t.Fatalf("ES holds %d new records for %d processed applications", got, processed)
	}
	for id, st := range states {
		if st.OutcomeUnknownAttempts != 0 {
			t.Errorf("%s: %d attempts with an unknown outcome", id, st.OutcomeUnknownAttempts)
		}
	}

	// The day's report: ES drops one of vets.gov's rows and lists one it got through
	// another channel (counted, not a discrepancy).
	if err := env.es.SetFaults(esfake.Faults{ReportDrop: 1, ReportExtra: 1}); err != nil {
		t.Fatal(err)
	}
	date := time.Now().In(esZone).Format(time.DateOnly)
	eventually(t, 20*time.Second, "visibility lists the day's submissions", func() bool {
		resp, err := env.client.CountWorkflow(context.Background(), countRequest(fmt.Sprintf(
			"WorkflowType = 'SubmissionWorkflow' AND SubmittedDate = '%s' AND SubmissionStatus = 'processed'", date)))
		return err == nil && resp.GetCount() >= int64(processed)
	})
	report := ok(t, "esctl", "report", "run", date)
	// The two ES refused are not expected in its report: refused, not missing.
	for _, want := range []string{"discrepancies after 1 attempt(s)", fmt.Sprintf("(1 from other channels), vets.gov %d submitted", processed),
		"; 1 missing from ES, 0 unknown, 0 mismatched, 0 stuck, 2 refused by ES", "details: esctl report show " + date,
		"ticket routed to ES: ESRECON-" + date} {
		if !strings.Contains(report, want) {
			t.Fatalf("esctl report run lacks %q:\n%s", want, report)
		}
	}
	v, err := env.ops.Show(context.Background(), "ESRECON-"+date)
	if err != nil || v.State != ticket.StateAwaitingES || !strings.Contains(v.Description, "esctl report show "+date) {
		t.Fatalf("reconciliation ticket: %v %s %q", err, v.State, v.Description)
	}
	assertReportsReadThroughTemporal(t, date)
	if resp, err := env.client.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{Namespace: env.namespace,
		Query: "WorkflowType = 'DailyReportWorkflow' AND WorkflowId STARTS_WITH 'es-daily-report-" + date + "-manual-'", PageSize: 1}); err == nil && len(resp.GetExecutions()) == 1 {
		e := resp.GetExecutions()[0].GetExecution()
		recordHistory(t, e.GetWorkflowId(), e.GetRunId(), "daily_report_discrepancies")
	}
	assertNoPII(t, "worker logs", env.logs.String())
	for id, st := range states {
		desc, err := env.client.DescribeWorkflowExecution(context.Background(), workflows.SubmissionWorkflowID(id), "")
		if err != nil {
			t.Fatal(err)
		}
		assertNoPII(t, "search attributes of "+id, desc.GetWorkflowExecutionInfo().GetSearchAttributes().String())
		if st.TicketRef != "" {
			v, _ := env.ops.Show(context.Background(), st.TicketRef)
			data, _ := json.Marshal(v)
			assertNoPII(t, "ticket "+st.TicketRef, string(data))
		}
	}
	recordHistory(t, workflows.SubmissionWorkflowID(ids[0]), "", "submission_es_status")
}

// assertReportsReadThroughTemporal reads date's reconciliation as an operator on another
// machine would: esctl runs in a folder of its own, without HCAOPS_REPORTS_DIR, and the
// worker's file copies are gone.
func assertReportsReadThroughTemporal(t *testing.T, date string) {
	t.Helper()
	if err := os.RemoveAll(env.reports); err != nil {
		t.Fatal(err)
	}
	shown := ok(t, "esctl", "report", "show", date)
	for _, want := range []string{"# ES daily report reconciliation — " + date, "## Missing from ES (1)", "## Refused by ES (2)", "| **Total** |",
		"Both sides as of the report's cut-off", "Ticket ESRECON-" + date + " raised."} {
		if !strings.Contains(shown, want) {
			t.Fatalf("esctl report show lacks %q:\n%s", want, shown)
		}
	}
	month := time.Now().In(esZone).Format("2006-01")
	if r := ok(t, "esctl", "report", "rollup", "-period", "monthly", "-from", date, "-to", date); !strings.Contains(r, month) ||
		!strings.Contains(r, "Other channels") {
		t.Fatalf("rollup:\n%s", r)
	}
	if r := program(t, "esctl", "report", "show", "2019-01-01"); r.code == 0 || !strings.Contains(r.err, "no reconciliation of 2019-01-01 in Temporal") {
		t.Fatalf("a day never reconciled: %+v", r)
	}
	if r := program(t, "esctl", "report", "rollup", "-period", "yearly"); r.code == 0 || !strings.Contains(r.err, `unknown period "yearly"`) {
		t.Fatalf("a bad period: %+v", r)
	}
}

// TestLateReportAfterItsTicketIsReconciledAndTheTicketResolved runs the daily report on
// the real server for a day whose report is late: past its deadline it raises
// ESREPORT-<date> and keeps asking; esctl says the report is awaited; when ES publishes
// it, the day is reconciled and the ticket resolved with the result.
func TestLateReportAfterItsTicketIsReconciledAndTheTicketResolved(t *testing.T) {
	date := "2026-01-06" // a past day with no submissions: an empty report when it comes
	if err := env.es.SetFaults(esfake.Faults{ReportMissing: []string{date}}); err != nil {
		t.Fatal(err)
	}
	defer env.es.SetFaults(esfake.Faults{})
	policy := enrollment.DefaultReportPolicy()
	policy.DueAfter, policy.RetryEvery, policy.FollowLateFor, policy.LateRetryEvery = time.Second, 300*time.Millisecond, time.Minute, 300*time.Millisecond
	id := fmt.Sprintf("it-late-report-%d", time.Now().UnixNano())
	run, err := env.client.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: id, TaskQueue: workflows.TaskQueue},
		workflows.DailyReportWorkflow, workflows.DailyReportInput{Date: date, Policy: &policy})
	if err != nil {
		t.Fatal(err)
	}
	ref := "ESREPORT-" + date
	eventually(t, 20*time.Second, ref+" raised and routed to ES", func() bool {
		v, err := env.ops.Show(context.Background(), ref)
		return err == nil && v.State == ticket.StateAwaitingES
	})
	eventually(t, 10*time.Second, "esctl says the report is awaited", func() bool {
		r := program(t, "esctl", "report", "show", date)
		return r.code != 0 && strings.Contains(r.err, "ES's report is still awaited (past its deadline: ticket "+ref+")")
	})
	if err := env.es.SetFaults(esfake.Faults{}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var res workflows.DailyReportResult
	if err := run.Get(ctx, &res); err != nil {
		t.Fatal(err)
	}
	if res.Outcome != workflows.ReportReconciled || res.LateTicketRef != ref || !res.LateTicketResolved {
		t.Fatalf("result %+v", res)
	}
	v, err := env.ops.Show(context.Background(), ref)
	if err != nil || v.State != ticket.StateResolved {
		t.Fatalf("%s: %v %s", ref, err, v.State)
	}
	last := v.Timeline[len(v.Timeline)-1]
	if !strings.Contains(last.Comment, "The report arrived") || !strings.Contains(last.Comment, date+": ES 0 rows, vets.gov 0 submitted") {
		t.Fatalf("resolution comment %q", last.Comment)
	}
	if shown := ok(t, "esctl", "report", "show", date); !strings.Contains(shown, "No discrepancies.") || !strings.Contains(shown, "Ticket "+ref+" raised while the report was late.") {
		t.Fatalf("esctl report show:\n%s", shown)
	}
	recordHistory(t, id, "", "daily_report_late")
}

// TestLostAnswerIsAPossibleDuplicateInTheReport: ES made a record and its answer was lost,
// so vets.gov sent the form again and knows only the second record. The day's
// reconciliation lists the first, a row vets.gov does not know received while that
// attempt went unanswered, as a possible duplicate of the application.
func TestLostAnswerIsAPossibleDuplicateInTheReport(t *testing.T) {
	if err := env.es.SetFaults(esfake.Faults{AnswerLost: 1}); err != nil {
		t.Fatal(err)
	}
	defer env.es.SetFaults(esfake.Faults{})
	before := len(env.es.Submissions())
	id := fmt.Sprintf("5eed4444-0000-4000-8000-%012d", time.Now().UnixNano()%1e12)
	ok(t, "starter", "-applications", writeFile(t, entry(id, string(enrollmenttest.JSON(enrollmenttest.Married)))))
	st := waitSubmission(t, id)
	records := env.es.Submissions()[before:]
	if st.OutcomeUnknownAttempts != 1 || len(records) != 2 || records[1].FormSubmissionID != st.FormSubmissionID {
		t.Fatalf("state %+v, ES records %+v", st, records)
	}
	lost := records[0].FormSubmissionID
	date := st.Attempts[0].At.In(esZone).Format(time.DateOnly)
	eventually(t, 20*time.Second, "visibility lists the unanswered attempt", func() bool {
		resp, err := env.client.CountWorkflow(context.Background(), countRequest(fmt.Sprintf(
			"WorkflowId = '%s' AND SubmissionOutcomeUnknownDates = '%s' AND SubmittedDate = '%s'", workflows.SubmissionWorkflowID(id), date, date)))
		return err == nil && resp.GetCount() == 1
	})
	if err := env.es.SetFaults(esfake.Faults{}); err != nil {
		t.Fatal(err)
	}
	report := ok(t, "esctl", "report", "run", date)
	if !strings.Contains(report, "possible duplicate") {
		t.Fatalf("esctl report run:\n%s", report)
	}
	shown := ok(t, "esctl", "report", "show", date)
	var row string
	for _, line := range strings.Split(shown, "\n") {
		if strings.HasPrefix(line, fmt.Sprintf("| %d |", lost)) {
			row = line
		}
	}
	if !strings.Contains(shown, "## Possible duplicates") || !strings.Contains(row, "| "+id+" |") {
		t.Fatalf("the lost record %d is not listed as a possible duplicate of %s:\n%s", lost, id, shown)
	}
	// The same through the client: the record vets.gov knows matched, the lost one flagged.
	dc, err := temporalclient.DataConverter()
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := reportclient.Client{Client: env.client, Namespace: env.namespace, DataConverter: dc}.Reconciliation(context.Background(), date)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Reconcile.Result
	flagged, missing := false, false
	for _, p := range r.PossibleDuplicates {
		flagged = flagged || (p.FormSubmissionID == lost && p.ApplicationID == id)
	}
	for _, m := range r.MissingFromES {
		missing = missing || m.ApplicationID == id
	}
	if !flagged || missing {
		t.Fatalf("possible duplicates %+v, missing %+v", r.PossibleDuplicates, r.MissingFromES)
	}
}

// runWorkflow starts a workflow and waits for its result.
func runWorkflow(t *testing.T, id string, wf any, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	run, err := env.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: workflows.TaskQueue}, wf, args...)
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(ctx, nil); err != nil {
		t.Fatalf("%s: %v", id, err)
	}
}

func monitorState(t *testing.T) workflows.MonitorState {
	t.Helper()
	resp, err := env.client.QueryWorkflow(context.Background(), workflows.MonitorWorkflowID, "", workflows.QueryConnectivity)
	if err != nil {
		t.Fatal(err)
	}
	var st workflows.MonitorState
	if err := resp.Get(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestOutageOpensOneIncidentAndRecoveryResolvesIt drives the connectivity checks the
// schedule runs, through an ES outage and back.
func TestOutageOpensOneIncidentAndRecoveryResolvesIt(t *testing.T) {
	began := time.Now().Add(-time.Second).UTC()
	check := func(i int) {
		runWorkflow(t, fmt.Sprintf("it-connectivity-check-%d-%d", time.Now().UnixNano(), i), workflows.ConnectivityCheckWorkflow)
	}
	check(0)
	if err := env.es.SetFaults(esfake.Faults{HealthDown: true}); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		check(i)
	}
	var st workflows.MonitorState
	eventually(t, 10*time.Second, "the monitor saw five failures", func() bool {
		st = monitorState(t)
		return st.ConsecutiveFailures == 5
	})
	if st.IncidentRef == "" || len(st.Outages) != 1 {
		t.Fatalf("monitor after the outage began: %+v", st)
	}
	ref := st.IncidentRef
	v, err := env.ops.Show(context.Background(), ref)
	if err != nil || v.State != ticket.StateAwaitingES {
		t.Fatalf("incident %s: %v %s", ref, err, v.State)
	}
	if err := env.es.SetFaults(esfake.Faults{}); err != nil {
		t.Fatal(err)
	}
	check(6)
	eventually(t, 10*time.Second, "the incident resolved", func() bool {
		v, err = env.ops.Show(context.Background(), ref)
		return err == nil && v.State == ticket.StateResolved
	})
	last := v.Timeline[len(v.Timeline)-1]
	if !strings.Contains(last.Comment, "after an outage of") || !strings.Contains(last.Comment, "5 failed checks") {
		t.Fatalf("resolution comment %q", last.Comment)
	}
	resp, err := env.client.CountWorkflow(context.Background(), countRequest(
		"TicketRef STARTS_WITH 'ESOUTAGE-' AND StartTime >= '"+began.Format(time.RFC3339)+"'"))
	if err != nil || resp.GetCount() != 1 {
		t.Fatalf("%d outage tickets (%v), want 1", resp.GetCount(), err)
	}
	if out := ok(t, "esctl", "connectivity"); !strings.Contains(out, "ES reachable") || !strings.Contains(out, ref) {
		t.Fatalf("esctl connectivity:\n%s", out)
	}
	recordHistory(t, workflows.MonitorWorkflowID, "", "connectivity_monitor")
}

// TestAgendaListsExactlyTheTicketsAwaitingES produces a call agenda and records outcomes.
func TestAgendaListsExactlyTheTicketsAwaitingES(t *testing.T) {
	atES, inTriage, returned := uniqueRef(t, "IT-ATES"), uniqueRef(t, "IT-TRIAGE"), uniqueRef(t, "IT-BACK")
	for _, r := range []string{atES, inTriage, returned} {
		open(t, r, "High")
		ok(t, "ticketctl", "escalate", r)
	}
	ok(t, "ticketctl", "route-to-es", atES, "-m", "ES record missing")
	ok(t, "ticketctl", "route-to-es", returned, "-m", "ES record wrong")
	ok(t, "ticketctl", "return-from-es", returned, "-m", "vets.gov form bug after all")
	eventually(t, 10*time.Second, "visibility shows the routing", func() bool {
		return strings.Contains(ok(t, "ticketctl", "list", "-status", "Awaiting ES", "-open"), atES)
	})
	call := "2031-01-07"
	agenda := ok(t, "esctl", "agenda", "run", "-date", call)
	if !strings.Contains(agenda, atES) || strings.Contains(agenda, inTriage) || strings.Contains(agenda, returned) {
		t.Fatalf("agenda:\n%s", agenda)
	}
	// Every item is awaiting ES, and every ticket awaiting ES is an item.
	listed := ok(t, "ticketctl", "list", "-status", "Awaiting ES", "-open", "-limit", "1000")
	for _, line := range strings.Split(listed, "\n")[1:] {
		if f := strings.Fields(line); len(f) > 1 && strings.Contains(line, "Awaiting ES") && !strings.Contains(agenda, "| "+f[0]+" ") {
			t.Errorf("ticket %s awaits ES but is not on the agenda", f[0])
		}
	}
	ok(t, "esctl", "call", "record", call, atES+"=working:ES found the record")
	v, err := env.ops.Show(context.Background(), atES)
	if err != nil || v.ES.LastOutcome != ticket.ESWorking || v.ES.Calls != 1 {
		t.Fatalf("after the call: %+v %v", v.ES, err)
	}
	if r := program(t, "esctl", "call", "record", call, inTriage+"=working"); r.code == 0 || !strings.Contains(r.out, "cannot es-outcome a ticket that is Triage") {
		t.Fatalf("outcome for a ticket not at ES: %+v", r)
	}
	if r := program(t, "esctl", "call", "record", call, atES+"=finished"); r.code == 0 || !strings.Contains(r.err, `unknown ES outcome "finished"`) {
		t.Fatalf("bad outcome: %+v", r)
	}
	// Running the agenda again for the same call does not count the call twice.
	ok(t, "esctl", "agenda", "run", "-date", call)
	if v, _ := env.ops.Show(context.Background(), atES); v.ES.Calls != 1 {
		t.Fatalf("calls counted %d times", v.ES.Calls)
	}
	// Read through Temporal, with the worker's file copies gone.
	if err := os.RemoveAll(env.reports); err != nil {
		t.Fatal(err)
	}
	if shown := ok(t, "esctl", "agenda", "show", call); !strings.Contains(shown, "# vets.gov – ES call, "+call) || !strings.Contains(shown, atES) {
		t.Fatalf("esctl agenda show:\n%s", shown)
	}
	if shown := ok(t, "esctl", "agenda", "show"); !strings.Contains(shown, "# vets.gov – ES call, ") {
		t.Fatalf("esctl agenda show (the latest):\n%s", shown)
	}
	if r := program(t, "esctl", "agenda", "show", "2019-01-01"); r.code == 0 || !strings.Contains(r.err, "no agenda of the 2019-01-01 call in Temporal") {
		t.Fatalf("a call without agenda: %+v", r)
	}
}

func assertNoPII(t *testing.T, where, text string) {
	t.Helper()
	for _, v := range enrollmenttest.PIIValues {
		if strings.Contains(text, v) {
			t.Errorf("%s contain the PII value %q", where, v)
		}
	}
}
