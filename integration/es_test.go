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

	"go.temporal.io/sdk/client"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/enrollmenttest"
	"github.com/hcaops/hcaops/enrollment/esfake"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

var esZone, _ = time.LoadLocation("America/New_York")

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
	path, ids := applications(t, "5eed1111-0000", 12)
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

	// The day's report: ES drops a row and lists one vets.gov never sent.
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
	if !strings.Contains(report, "discrepancies after 1 attempt(s)") || !strings.Contains(report, "1 missing from ES, 1 unknown") {
		t.Fatalf("esctl report run:\n%s", report)
	}
	v, err := env.ops.Show(context.Background(), "ESRECON-"+date)
	if err != nil || v.State != ticket.StateAwaitingES {
		t.Fatalf("reconciliation ticket: %v %s", err, v.State)
	}
	shown := ok(t, "esctl", "report", "show", date)
	if !strings.Contains(shown, "ES daily report reconciliation") {
		t.Fatalf("esctl report show:\n%s", shown)
	}
	if r := ok(t, "esctl", "report", "rollup", "-period", "monthly"); !strings.Contains(r, time.Now().In(esZone).Format("2006-01")) {
		t.Fatalf("rollup:\n%s", r)
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
	recordHistory(t, workflows.SubmissionWorkflowID(ids[0]), "", "submission_attempts")
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
	resp, err := env.client.CountWorkflow(context.Background(), countRequest("TicketRef STARTS_WITH 'ESOUTAGE-'"))
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
	if shown := ok(t, "esctl", "agenda", "show", call); !strings.Contains(shown, atES) {
		t.Fatalf("esctl agenda show:\n%s", shown)
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
