package workflows

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"

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
	// ES drops one of vets.gov's rows and lists two it got through other channels.
	if err := h.es.SetFaults(esfake.Faults{ReportDrop: 1, ReportExtra: 2}); err != nil {
		t.Fatal(err)
	}
	dir := h.withReports(t, vets)
	memos := watchReportMemo(h)
	date := monday.Format(time.DateOnly)
	h.env.ExecuteWorkflow(DailyReportWorkflow, DailyReportInput{Date: date})
	var res DailyReportResult
	if err := h.env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	r := res.Reconcile
	if res.Outcome != ReportDiscrepancies || r.Missing != 1 || r.Unknown != 0 || r.Mismatched != 0 || r.Submitted != 5 || r.ESRows != 6 {
		t.Fatalf("outcome %s: %+v", res.Outcome, r)
	}
	if r.Result == nil || r.Result.OtherChannels.Total != 2 || r.Result.MissingFromESCount != 1 || !r.Result.CutOff.Equal(monday) {
		t.Fatalf("the whole reconciliation travels with the result: %+v", r.Result)
	}
	if refs := h.tickets.openedRefs(); len(refs) != 1 || refs[0] != "ESRECON-"+date {
		t.Fatalf("tickets %v", refs)
	}
	desc := h.tickets.opened[0].Ticket.Description
	if !strings.Contains(desc, "1 missing from ES") || !strings.Contains(desc, "(2 from other channels)") || !strings.Contains(desc, "esctl report show "+date) {
		t.Fatalf("ticket lacks the figures or where to read them: %s", desc)
	}
	if len(h.tickets.actionsOn("ESREPORT-"+date)) != 0 {
		t.Fatal("a report read on time touched ESREPORT")
	}
	last := memos.last()
	if last.Date != date || last.Outcome != ReportDiscrepancies || last.Figures == nil ||
		*last.Figures != (reconcile.Figures{Date: date, Submitted: 5, ESRows: 6, InProgress: 4, OtherChannels: 2, Processed: 2, Discrepancies: 1}) {
		t.Fatalf("memo %+v (figures %+v)", last, last.Figures)
	}
	for _, ext := range []string{".json", ".md"} {
		if _, err := os.Stat(filepath.Join(dir, date+ext)); err != nil {
			t.Fatalf("file copy not kept: %v", err)
		}
	}
}

// Rows of other channels alone never raise ESRECON.
func TestDailyReportWithOtherChannelsOnlyRaisesNothing(t *testing.T) {
	h := newESHarness(t, monday)
	vets := submitDirect(t, h.es, 3)
	if err := h.es.SetFaults(esfake.Faults{ReportExtra: 40}); err != nil {
		t.Fatal(err)
	}
	h.withReports(t, vets)
	h.env.ExecuteWorkflow(DailyReportWorkflow, DailyReportInput{Date: monday.Format(time.DateOnly)})
	var res DailyReportResult
	if err := h.env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Outcome != ReportReconciled || res.Reconcile.Result.OtherChannels.Total != 40 || len(h.tickets.openedRefs()) != 0 {
		t.Fatalf("outcome %s, other channels %d, tickets %v", res.Outcome, res.Reconcile.Result.OtherChannels.Total, h.tickets.openedRefs())
	}
}

// A report that never comes: asked every 15 minutes until its deadline (4 hours), then
// ESREPORT once, then asked every hour for 7 days more, and left missing with the
// ticket open.
func TestLateReportIsRetriedThenEscalatedOnceAndFollowed(t *testing.T) {
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
	// 17 attempts from 0 to 4h; then one an hour from 5h to 172h: 168 more.
	if res.Outcome != ReportMissing || res.Attempts != 185 || res.TicketRef != "ESREPORT-2026-11-29" || res.LateTicketResolved {
		t.Fatalf("outcome %s after %d attempts, ticket %s, resolved %v", res.Outcome, res.Attempts, res.TicketRef, res.LateTicketResolved)
	}
	if refs := h.tickets.openedRefs(); len(refs) != 1 || refs[0] != "ESREPORT-2026-11-29" {
		t.Fatalf("tickets %v", refs)
	}
	if got := h.env.Now().Sub(monday); got != 172*time.Hour {
		t.Fatalf("gave up after %v, want 4h + 7d", got)
	}
	if len(h.tickets.actionsOn("ESREPORT-2026-11-29")) != 0 {
		t.Fatal("the ticket was acted on though the report never came")
	}

	// Without following (FollowLateFor 0), the run ends with the ticket, as before.
	h = newESHarness(t, monday)
	if err := h.es.SetFaults(esfake.Faults{ReportLate: true}); err != nil {
		t.Fatal(err)
	}
	h.withReports(t, nil)
	policy.FollowLateFor = 0
	h.env.ExecuteWorkflow(DailyReportWorkflow, DailyReportInput{Date: "2026-11-29", Policy: &policy})
	res = DailyReportResult{}
	if err := h.env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Outcome != ReportMissing || res.Attempts != 17 || h.env.Now().Sub(monday) != 4*time.Hour {
		t.Fatalf("not following: outcome %s after %d attempts at +%v", res.Outcome, res.Attempts, h.env.Now().Sub(monday))
	}
}

// A report that comes after ESREPORT was raised: the day is reconciled, and the ticket
// resolved with the result; its discrepancies open ESRECON as usual.
func TestLateReportAfterTheTicketIsReconciledAndResolvesIt(t *testing.T) {
	h := newESHarness(t, monday)
	vets := submitDirect(t, h.es, 3)
	if err := h.es.SetFaults(esfake.Faults{ReportLate: true}); err != nil {
		t.Fatal(err)
	}
	h.withReports(t, vets)
	memos := watchReportMemo(h)
	h.env.RegisterDelayedCallback(func() {
		if err := h.es.SetFaults(esfake.Faults{ReportDrop: 1}); err != nil {
			t.Error(err)
		}
	}, 9*time.Hour+30*time.Minute)
	date := monday.Format(time.DateOnly)
	h.env.ExecuteWorkflow(DailyReportWorkflow, DailyReportInput{Date: date})
	var res DailyReportResult
	if err := h.env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	// 17 attempts to the deadline at 4h, then hourly: 5h, 6h, 7h, 8h, 9h fail, 10h succeeds.
	if res.Outcome != ReportDiscrepancies || res.Attempts != 23 || res.LateTicketRef != "ESREPORT-"+date || !res.LateTicketResolved ||
		res.TicketRef != "ESRECON-"+date {
		t.Fatalf("result %+v", res)
	}
	if refs := h.tickets.openedRefs(); len(refs) != 2 || refs[0] != "ESREPORT-"+date || refs[1] != "ESRECON-"+date {
		t.Fatalf("tickets %v", refs)
	}
	acts := h.tickets.actionsOn("ESREPORT-" + date)
	if len(acts) != 1 || acts[0].Action != ticket.ActResolve {
		t.Fatalf("actions on ESREPORT: %+v", acts)
	}
	c := acts[0].Request.Comment
	for _, want := range []string{"arrived (attempt 23) and was reconciled", "ES 2 rows, vets.gov 3 submitted; 1 missing from ES",
		"Discrepancies follow in ESRECON-" + date, "esctl report show " + date} {
		if !strings.Contains(c, want) {
			t.Errorf("resolution comment lacks %q: %s", want, c)
		}
	}
	var outcomes []string
	for _, m := range memos.all() {
		outcomes = append(outcomes, m.Outcome)
	}
	if strings.Join(outcomes, ",") != ",late,discrepancies" {
		t.Errorf("memo outcomes %q, want the day, then late, then the result", outcomes)
	}
}

// A report that came in time raises no ticket and touches no ESREPORT.
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
	if res.Outcome != ReportReconciled || res.Attempts != 4 || len(h.tickets.openedRefs()) != 0 || len(h.tickets.actions) != 0 {
		t.Fatalf("outcome %s after %d attempts, tickets %v, actions %v", res.Outcome, res.Attempts, h.tickets.openedRefs(), h.tickets.actions)
	}
}

// Run by hand for a day whose report an earlier run gave up on, the reconciliation
// resolves that run's ESREPORT; a day without one is left alone.
func TestManualRunResolvesAnEarlierLateReportTicket(t *testing.T) {
	h := newESHarness(t, monday)
	vets := submitDirect(t, h.es, 1)
	h.withReports(t, vets)
	date := monday.Format(time.DateOnly)
	h.tickets.views["ESREPORT-"+date] = ticket.View{Ticket: ticket.Ticket{NewTicket: ticket.NewTicket{Ref: "ESREPORT-" + date}, State: ticket.StateAwaitingES}}
	h.env.ExecuteWorkflow(DailyReportWorkflow, DailyReportInput{Date: date})
	var res DailyReportResult
	if err := h.env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Outcome != ReportReconciled || !res.LateTicketResolved || res.LateTicketRef != "" {
		t.Fatalf("result %+v", res)
	}
	if acts := h.tickets.actionsOn("ESREPORT-" + date); len(acts) != 1 || acts[0].Action != ticket.ActResolve {
		t.Fatalf("actions %+v", acts)
	}

	h = newESHarness(t, monday)
	h.withReports(t, submitDirect(t, h.es, 1))
	h.env.ExecuteWorkflow(DailyReportWorkflow, DailyReportInput{Date: date})
	res = DailyReportResult{}
	if err := h.env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Outcome != ReportReconciled || res.LateTicketResolved {
		t.Fatalf("no ESREPORT to resolve: %+v", res)
	}
}

// reportMemos records the memos a daily report run upserts.
type reportMemos struct {
	mu    sync.Mutex
	memos []DailyReportMemo
}

func watchReportMemo(h *esHarness) *reportMemos {
	m := &reportMemos{}
	h.env.OnUpsertMemo(mock.Anything).Run(func(args mock.Arguments) {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.memos = append(m.memos, args.Get(0).(map[string]any)[MemoReconciliation].(DailyReportMemo))
	}).Return(nil)
	return m
}

func (m *reportMemos) all() []DailyReportMemo {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.memos)
}

func (m *reportMemos) last() DailyReportMemo {
	all := m.all()
	if len(all) == 0 {
		return DailyReportMemo{}
	}
	return all[len(all)-1]
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
	st := h.monitorStateAt(t, time.Duration(len(results)+1)*5*time.Minute)
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

// A scheduled run reconciles the day before, counted in ES's zone (a setting).
func TestScheduledRunReconcilesESYesterday(t *testing.T) {
	start := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC) // 22:00 on the 29th in New York
	for zone, want := range map[string]string{"": "2026-11-28", "America/New_York": "2026-11-28", "UTC": "2026-11-29", "Asia/Tokyo": "2026-11-29"} {
		h := newESHarness(t, start)
		h.withReports(t, nil)
		p := enrollment.DefaultReportPolicy()
		p.ESZone = zone
		h.env.ExecuteWorkflow(DailyReportWorkflow, DailyReportInput{Policy: &p})
		var res DailyReportResult
		if err := h.env.GetWorkflowResult(&res); err != nil {
			t.Fatal(err)
		}
		if res.Date != want || res.Outcome != ReportReconciled {
			t.Errorf("ES zone %q: reconciled %s (%s), want %s", zone, res.Date, res.Outcome, want)
		}
	}
}

// The monitor checks ES itself every interval, with no schedule starting a workflow per
// check: an outage of 20 minutes (checks 3 to 6 fail) opens one incident after the third
// failed check, and the first check that passes resolves it.
func TestMonitorChecksESItself(t *testing.T) {
	h := newESHarness(t, monday)
	h.env.RegisterDelayedCallback(func() { _ = h.es.SetFaults(esfake.Faults{HealthDown: true}) }, 12*time.Minute)
	h.env.RegisterDelayedCallback(func() { _ = h.es.SetFaults(esfake.Faults{}) }, 32*time.Minute)
	st := h.monitorStateAt(t, time.Hour+time.Minute)
	h.env.ExecuteWorkflow(ConnectivityMonitorWorkflow, MonitorInput{
		Policy: enrollment.MonitorPolicy{FailuresBeforeIncident: 3, KeepChecks: 288}, Every: 5 * time.Minute})

	if st.TotalChecks != 12 {
		t.Fatalf("%d checks in an hour and a minute, every 5 minutes: want 12 (%+v)", st.TotalChecks, st)
	}
	failed := 0
	for _, c := range st.Checks {
		if !c.OK {
			failed++
		}
	}
	if failed != 4 || len(st.Outages) != 1 || st.Outages[0].Failed != 4 || st.IncidentRef != "" {
		t.Fatalf("after an outage of four checks: %d failed, outages %+v, open incident %q", failed, st.Outages, st.IncidentRef)
	}
	if refs := h.tickets.openedRefs(); len(refs) != 1 {
		t.Fatalf("%d incidents opened, want 1: %v", len(refs), refs)
	}
}
