package workflows

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/esfake"
	"github.com/hcaops/hcaops/reconcile"
	"github.com/hcaops/hcaops/ticket"
)

// listedSubmissions is vets.gov's own record of what it submitted, for the reconciliation.
type listedSubmissions []reconcile.Submission

func (l listedSubmissions) SubmittedOn(context.Context, string) ([]reconcile.Submission, error) {
	return l, nil
}

// withReports registers the report activities over the harness's fake ES, with vets.gov's
// record built from what the fake ES received (what vets.gov really sent).
func (h *esHarness) withReports(t *testing.T, vets listedSubmissions) string {
	t.Helper()
	srv := httptest.NewServer(h.es.Handler())
	t.Cleanup(srv.Close)
	client, err := enrollment.NewClient(enrollment.Config{Endpoint: srv.URL + "/voa/voaSvc"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	h.env.RegisterActivity(&activities.Reports{ES: client, Submissions: vets, Store: reconcile.Store{Dir: dir}})
	return dir
}

// submitDirect puts n submissions into the fake ES as vets.gov would, returning vets.gov's record.
func submitDirect(t *testing.T, es *esfake.Fake, n int) listedSubmissions {
	t.Helper()
	srv := httptest.NewServer(es.Handler())
	defer srv.Close()
	client, err := enrollment.NewClient(enrollment.Config{Endpoint: srv.URL + "/voa/voaSvc"})
	if err != nil {
		t.Fatal(err)
	}
	var out listedSubmissions
	for i := range n {
		app := testApplication("0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e3" + string(rune('a'+i)) + "00")
		r, err := client.Submit(context.Background(), &app, monday)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, reconcile.Submission{ApplicationID: app.ApplicationID, FormSubmissionID: r.FormSubmissionID, Status: r.Status, SubmittedAt: monday})
	}
	return out
}

func TestDailyReportFindsInjectedDiscrepancies(t *testing.T) {
	h := newESHarness(t, monday)
	vets := submitDirect(t, h.es, 5)
	if err := h.es.SetFaults(esfake.Faults{ReportDrop: 1, ReportExtra: 2}); err != nil {
		t.Fatal(err)
	}
	dir := h.withReports(t, vets)
	date := monday.Format(time.DateOnly)
	h.env.ExecuteWorkflow(DailyReportWorkflow, DailyReportInput{Date: date})
	var res DailyReportResult
	if err := h.env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	r := res.Reconcile
	if res.Outcome != "discrepancies" || r.Missing != 1 || r.Unknown != 2 || r.Mismatched != 0 || r.Submitted != 5 || r.ESRows != 6 {
		t.Fatalf("outcome %s: %+v", res.Outcome, r)
	}
	if refs := h.tickets.openedRefs(); len(refs) != 1 || refs[0] != "ESRECON-"+date {
		t.Fatalf("tickets %v", refs)
	}
	if !strings.Contains(h.tickets.opened[0].Ticket.Description, "1 missing from ES") {
		t.Fatalf("ticket lacks the figures: %s", h.tickets.opened[0].Ticket.Description)
	}
	for _, ext := range []string{".json", ".md"} {
		if _, err := os.Stat(filepath.Join(dir, date+ext)); err != nil {
			t.Fatalf("reconciliation not kept: %v", err)
		}
	}
}

func TestLateReportIsRetriedThenEscalatedOnce(t *testing.T) {
	h := newESHarness(t, monday)
	if err := h.es.SetFaults(esfake.Faults{ReportLate: true}); err != nil {
		t.Fatal(err)
	}
	h.withReports(t, nil)
	policy := enrollment.DefaultReportPolicy()
	h.env.ExecuteWorkflow(DailyReportWorkflow, DailyReportInput{Date: "2026-11-29", Policy: &policy})
	var res DailyReportResult
	if err := h.env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	// Due 4 hours after the start, asked every 15 minutes: 17 attempts, then one ticket.
	if res.Outcome != "missing" || res.Attempts != 17 {
		t.Fatalf("outcome %s after %d attempts", res.Outcome, res.Attempts)
	}
	if refs := h.tickets.openedRefs(); len(refs) != 1 || refs[0] != "ESREPORT-2026-11-29" {
		t.Fatalf("tickets %v", refs)
	}
	if h.env.Now().Sub(monday) < policy.DueAfter {
		t.Fatalf("escalated at %v, before the deadline", h.env.Now())
	}
}

func TestReportArrivingLateIsReconciledWithoutTicket(t *testing.T) {
	h := newESHarness(t, monday)
	vets := submitDirect(t, h.es, 2)
	if err := h.es.SetFaults(esfake.Faults{ReportLate: true}); err != nil {
		t.Fatal(err)
	}
	h.withReports(t, vets)
	h.env.RegisterDelayedCallback(func() {
		if err := h.es.SetFaults(esfake.Faults{}); err != nil {
			t.Error(err)
		}
	}, 40*time.Minute)
	h.env.ExecuteWorkflow(DailyReportWorkflow, DailyReportInput{Date: monday.Format(time.DateOnly)})
	var res DailyReportResult
	if err := h.env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Outcome != "reconciled" || res.Attempts != 4 || len(h.tickets.openedRefs()) != 0 {
		t.Fatalf("outcome %s after %d attempts, tickets %v", res.Outcome, res.Attempts, h.tickets.openedRefs())
	}
}

func TestMonitorOpensOneIncidentAndResolvesIt(t *testing.T) {
	h := newESHarness(t, monday)
	results := []bool{true, false, false, true, false, false, false, false, false, true, true}
	for i, ok := range results {
		at := time.Duration(i+1) * 5 * time.Minute
		c := activities.ConnectivityCheck{At: monday.Add(at), OK: ok}
		if !ok {
			c.Error = "es getFormSubmissionStatus (Retryable): HTTP 503"
		}
		h.env.RegisterDelayedCallback(func() { h.env.SignalWorkflow(SignalCheck, c) }, at)
	}
	var st MonitorState
	h.env.RegisterDelayedCallback(func() {
		v, err := h.env.QueryWorkflow(QueryConnectivity)
		if err != nil {
			t.Error(err)
			return
		}
		_ = v.Get(&st)
		h.env.CancelWorkflow()
	}, time.Duration(len(results)+1)*5*time.Minute)
	h.env.ExecuteWorkflow(ConnectivityMonitorWorkflow, MonitorInput{Policy: enrollment.MonitorPolicy{FailuresBeforeIncident: 3, KeepChecks: 5}})

	// Two failures (below 3) open nothing; five in a row open one incident, resolved on recovery.
	refs := h.tickets.openedRefs()
	if len(refs) != 1 {
		t.Fatalf("%d incidents opened, want 1: %v", len(refs), refs)
	}
	var resolves []activities.ActInput
	for _, a := range h.tickets.actions {
		if a.Action == ticket.ActResolve {
			resolves = append(resolves, a)
		}
	}
	if len(resolves) != 1 || resolves[0].Ref != refs[0] || !strings.Contains(resolves[0].Request.Comment, "outage of 25m0s (5 failed checks") {
		t.Fatalf("resolutions %+v", resolves)
	}
	if st.TotalChecks != len(results) || len(st.Checks) != 5 || st.IncidentRef != "" || len(st.Outages) != 1 {
		t.Fatalf("monitor state %+v", st)
	}
}

func TestAgendaListsTicketsAwaitingESStalledFirst(t *testing.T) {
	h := newESHarness(t, monday)
	view := func(ref string, p ticket.Priority, stalled bool, opened time.Duration) ticket.View {
		v := ticket.View{Ticket: ticket.Ticket{NewTicket: ticket.NewTicket{Ref: ref, Priority: p, Summary: "s " + ref,
			OpenedAt: monday.Add(-opened)}, State: ticket.StateAwaitingES}}
		v.ES.Stalled = stalled
		return v
	}
	h.tickets.views["T-LOW"] = view("T-LOW", ticket.PriorityLow, false, 10*day)
	h.tickets.views["T-URG"] = view("T-URG", ticket.PriorityUrgent, false, day)
	h.tickets.views["T-STALL"] = view("T-STALL", ticket.PriorityLow, true, 2*day)
	dir := t.TempDir()
	h.env.RegisterActivity(&activities.CallAgenda{Lister: awaiting{"T-LOW", "T-URG", "T-STALL"}, Dir: dir, Notifier: h.staff, To: []string{"vets.gov"}})
	h.env.ExecuteWorkflow(CallAgendaWorkflow, CallAgendaInput{CallDate: "2026-12-01"})
	var ag activities.Agenda
	if err := h.env.GetWorkflowResult(&ag); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, it := range ag.Items {
		order = append(order, it.Ref)
	}
	if strings.Join(order, ",") != "T-STALL,T-URG,T-LOW" {
		t.Fatalf("agenda order %v", order)
	}
	listed := 0
	for _, a := range h.tickets.actions {
		if a.Action == ticket.ActESAgenda && a.Request.CallDate == "2026-12-01" {
			listed++
		}
	}
	if listed != 3 || h.staff.count("agenda of the 2026-12-01 ES call: 3 item(s)") != 1 {
		t.Fatalf("%d tickets told, %d agendas sent", listed, h.staff.count("agenda"))
	}
	md, err := os.ReadFile(filepath.Join(dir, "agenda-2026-12-01.md"))
	if err != nil || !strings.Contains(string(md), "T-STALL **ESCALATED") {
		t.Fatalf("agenda file: %v\n%s", err, md)
	}
}

type awaiting []string

func (a awaiting) AwaitingES(context.Context) ([]string, error) { return a, nil }
