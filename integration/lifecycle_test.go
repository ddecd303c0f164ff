package integration

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/hcaops/hcaops/servicedesk/sdm/sdmfake"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

// uniqueRef keeps tests independent on the shared server.
func uniqueRef(t *testing.T, prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano()%1_000_000_000)
}

func open(t *testing.T, ref, priority string) string {
	t.Helper()
	return ok(t, "starter", "-ref", ref, "-channel", "phone", "-product", "online-1010ez", "-priority", priority,
		"-summary", "Form stops at the insurance page", "-category", "application-bug", "-reporter", "hrc-agent-4")
}

func sdmIncident(ref string) (sdmfake.FakeIncident, bool) {
	for _, inc := range env.sdm.Incidents() {
		if inc.HcaopsRef == ref {
			return inc, true
		}
	}
	return sdmfake.FakeIncident{}, false
}

// TestEveryTierThroughTheCommandLine moves one ticket through HRC Tier 1, vets.gov triage,
// ES Tier 2/3, back to vets.gov break/fix, on hold, resolved, reopened and resolved again.
func TestEveryTierThroughTheCommandLine(t *testing.T) {
	ref := uniqueRef(t, "IT-TIER")
	out := open(t, ref, "High")
	if !strings.Contains(out, "opened") || !strings.Contains(out, "/namespaces/"+env.namespace+"/workflows/ticket-"+ref) {
		t.Fatalf("starter printed %q", out)
	}
	steps := [][]string{
		{"escalate", ref, "-m", "caller cannot get past the insurance page"},
		{"acknowledge", ref},
		{"route-to-es", ref, "-m", "form reaches ES and fails there"},
		{"return-from-es", ref, "-m", "ES says the page script times out"},
		{"triage", ref},
		{"hold", ref, "-reason", "awaiting-caller", "-m", "asked for the browser version"},
		{"resume", ref},
		{"change-priority", ref, "-priority", "Urgent", "-m", "ten more calls today"},
		{"resolve", ref, "-m", "timeout raised"},
		{"reopen", ref, "-m", "caller says it still fails"},
		{"start-fix", ref},
		{"resolve", ref, "-m", "second fix deployed"},
	}
	for _, s := range steps {
		ok(t, "ticketctl", s...)
	}
	show := ok(t, "ticketctl", "show", ref)
	for _, want := range []string{"state      Resolved (owner vets.gov)", "route-to-es", "awaiting-caller: asked for the browser version",
		"High → Urgent", "reopen", "allowed now: [reopen note]"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	v, err := env.ops.Show(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Timeline) != len(steps)+1 {
		t.Fatalf("timeline has %d events, want %d", len(v.Timeline), len(steps)+1)
	}
	eventually(t, 20*time.Second, "SDM incident resolved with every comment", func() bool {
		inc, found := sdmIncident(ref)
		return found && inc.Status == "RE" && countMarked(inc, ref) == len(steps)+1
	})
	if n := len(matching(env.sdm.Incidents(), ref)); n != 1 {
		t.Fatalf("SDM holds %d incidents for %s", n, ref)
	}
	recordHistory(t, workflows.TicketWorkflowID(ref), "", "every_tier")
}

func countMarked(inc sdmfake.FakeIncident, ref string) int {
	n := 0
	for _, l := range inc.Log {
		if strings.Contains(l.Description, "[hcaops:"+ref+"#") {
			n++
		}
	}
	return n
}

func matching(all []sdmfake.FakeIncident, ref string) []sdmfake.FakeIncident {
	var out []sdmfake.FakeIncident
	for _, inc := range all {
		if inc.HcaopsRef == ref {
			out = append(out, inc)
		}
	}
	return out
}

func TestRejectedActionsExplainThemselves(t *testing.T) {
	ref := uniqueRef(t, "IT-REJ")
	open(t, ref, "Low")
	msg := refused(t, "start-fix", ref)
	if !strings.Contains(msg, "cannot start-fix a ticket that is New; allowed now: escalate, resolve, cancel, change-priority") {
		t.Fatalf("start-fix from New: %q", msg)
	}
	if msg := refused(t, "resolve", ref); !strings.Contains(msg, "resolve requires a comment") {
		t.Fatalf("resolve without comment: %q", msg)
	}
	if msg := refused(t, "hold", ref, "-reason", "lunch", "-m", "x"); !strings.Contains(msg, "cannot hold a ticket that is New") {
		t.Fatalf("hold from New: %q", msg)
	}
	if msg := refused(t, "show", "NO-SUCH-TICKET"); !strings.Contains(msg, "unknown ticket NO-SUCH-TICKET") {
		t.Fatalf("unknown ref: %q", msg)
	}
	// Rejected updates never reach history.
	v, err := env.ops.Show(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if v.State != ticket.StateNew || len(v.Timeline) != 1 {
		t.Fatalf("after rejections: state %s, %d events", v.State, len(v.Timeline))
	}
	// A cancelled ticket is finished: its workflow completes and actions are refused.
	ok(t, "ticketctl", "cancel", ref, "-reason", "not-an-issue", "-m", "caller was testing")
	if msg := refused(t, "escalate", ref); !strings.Contains(msg, "is closed") && !strings.Contains(msg, "is cancelled") {
		t.Fatalf("action on a cancelled ticket: %q", msg)
	}
	recordHistory(t, workflows.TicketWorkflowID(ref), "", "rejected_then_cancelled")
}

func TestOpeningTwiceReturnsTheSameTicket(t *testing.T) {
	ref := uniqueRef(t, "IT-DUP")
	first := open(t, ref, "Medium")
	second := open(t, ref, "Medium")
	if !strings.Contains(first, "\topened\t") || !strings.Contains(second, "\talready open\t") {
		t.Fatalf("first %q second %q", first, second)
	}
	eventually(t, 20*time.Second, "incident in SDM", func() bool { _, ok := sdmIncident(ref); return ok })
	if n := len(matching(env.sdm.Incidents(), ref)); n != 1 {
		t.Fatalf("%d SDM incidents", n)
	}
	resp, err := env.client.CountWorkflow(context.Background(), countRequest("TicketRef = '"+ref+"'"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetCount() != 1 {
		t.Fatalf("%d workflows for %s", resp.GetCount(), ref)
	}
}

func TestDuplicateLinksToItsMaster(t *testing.T) {
	master, dup := uniqueRef(t, "IT-MASTER"), uniqueRef(t, "IT-COPY")
	open(t, master, "Medium")
	open(t, dup, "Medium")
	eventually(t, 20*time.Second, "master incident", func() bool { _, ok := sdmIncident(master); return ok })
	ok(t, "ticketctl", "duplicate", dup, "-duplicate-of", master, "-m", "same caller, second call")
	eventually(t, 20*time.Second, "duplicate cancelled in SDM under its master", func() bool {
		m, _ := sdmIncident(master)
		d, found := sdmIncident(dup)
		return found && d.Status == "CNCL" && d.Parent == fmt.Sprintf("cr:%d", m.ID)
	})
}

func TestStarterRejectsBadInputAndOpensNothing(t *testing.T) {
	dir := t.TempDir()
	ref := uniqueRef(t, "IT-BAD")
	cases := map[string]string{
		"malformed.json": `[{"ref": "` + ref + `", "channel": "phone",`,
		"unknown.json": `[{"ref": "` + ref + `", "channel": "fax", "product": "online-1010ez", "priority": "Critical",
			"summary": "x", "reporter": "hrc-1"}]`,
		"mixed.json": `[{"ref": "` + ref + `", "channel": "phone", "product": "online-1010ez", "priority": "Low", "summary": "fine", "reporter": "hrc-1"},
			{"ref": "` + ref + `-2", "channel": "phone", "product": "online-1010ez", "priority": "Low", "summary": " ", "reporter": "hrc-1"}]`,
		"pii.json": `{"ref": "` + ref + `", "channel": "phone", "product": "online-1010ez", "priority": "Low",
			"summary": "caller SSN 123-45-6789 rejected", "reporter": "hrc-1"}`,
	}
	want := map[string]string{
		"malformed.json": "is not valid JSON of tickets",
		"unknown.json":   `unknown channel "fax"`,
		"mixed.json":     "ticket 2: summary is required",
		"pii.json":       "summary appears to contain a social security number",
	}
	for name, body := range cases {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		r := program(t, "starter", "-file", path)
		if r.code == 0 || !strings.Contains(r.err, want[name]) {
			t.Errorf("%s: exit %d, stderr %q, want %q", name, r.code, r.err, want[name])
		}
		if strings.Contains(r.err, "123-45-6789") {
			t.Errorf("%s: error echoes the SSN", name)
		}
	}
	if msg := program(t, "starter", "-ref", ref, "-channel", "phone", "-priority", "Bogus", "-summary", "x", "-reporter", "a"); msg.code == 0 ||
		!strings.Contains(msg.err, `unknown priority "Bogus"`) {
		t.Errorf("bad priority flag: %+v", msg)
	}
	resp, err := env.client.CountWorkflow(context.Background(), countRequest("TicketRef STARTS_WITH '"+ref+"'"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetCount() != 0 {
		t.Fatalf("%d tickets opened from bad input", resp.GetCount())
	}
}

func TestListFiltersAndBreach(t *testing.T) {
	urgent, low := uniqueRef(t, "IT-URG"), uniqueRef(t, "IT-LOW")
	open(t, urgent, "Urgent")
	open(t, low, "Low")
	ok(t, "ticketctl", "escalate", urgent, "-m", "many callers")
	ok(t, "ticketctl", "start-fix", urgent)
	// The test worker's Urgent resolution target is 4 seconds: wait for the breach.
	eventually(t, 30*time.Second, "urgent ticket listed as breached", func() bool {
		return strings.Contains(ok(t, "ticketctl", "list", "-breached"), urgent)
	})
	breached := ok(t, "ticketctl", "list", "-breached")
	if strings.Contains(breached, low) {
		t.Fatalf("low ticket listed as breached:\n%s", breached)
	}
	if out := ok(t, "ticketctl", "list", "-priority", "low", "-status", "new"); !strings.Contains(out, low) || strings.Contains(out, urgent) {
		t.Fatalf("list -priority low -status new:\n%s", out)
	}
	if out := ok(t, "ticketctl", "list", "-tier", "vets.gov", "-open"); !strings.Contains(out, urgent) || strings.Contains(out, low) {
		t.Fatalf("list -tier vets.gov:\n%s", out)
	}
	if msg := refused(t, "list", "-status", "Sleeping"); !strings.Contains(msg, `unknown Status "Sleeping"`) {
		t.Fatalf("bad filter: %q", msg)
	}
	v, err := env.ops.Show(context.Background(), urgent)
	if err != nil {
		t.Fatal(err)
	}
	breaches := 0
	for _, e := range v.Timeline {
		if e.Action == "sla-breach" {
			breaches++
		}
	}
	if breaches != 1 {
		t.Fatalf("%d breach events, want exactly 1", breaches)
	}
	eventually(t, 20*time.Second, "SDM incident escalated", func() bool {
		inc, found := sdmIncident(urgent)
		return found && inc.Escalated
	})
	recordHistory(t, workflows.TicketWorkflowID(urgent), "", "urgent_breach")
}

// TestContinueAsNewOnTheServer runs a ticket that continues as new after every two
// actions and checks that the ticket, its clocks and its pause are carried across runs.
func TestContinueAsNewOnTheServer(t *testing.T) {
	ref := uniqueRef(t, "IT-CAN")
	n := ticket.NewTicket{Ref: ref, Channel: ticket.ChannelEmail, Product: ticket.ProductOnline1010EZ,
		Summary: "Long-running ticket", Priority: ticket.PriorityMedium, Reporter: "hrc-agent-1"}
	ctx := context.Background()
	run, err := env.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: workflows.TicketWorkflowID(ref), TaskQueue: workflows.TaskQueue,
		TypedSearchAttributes: workflows.InitialSearchAttributes(n),
	}, workflows.TicketWorkflow, workflows.TicketInput{New: n, ContinueAfter: 2})
	if err != nil {
		t.Fatal(err)
	}
	act := func(a ticket.Action, r ticket.Request) {
		t.Helper()
		r.Actor = "it-operator"
		if _, err := env.ops.Act(ctx, ref, a, r); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	act(ticket.ActEscalate, ticket.Request{})
	act(ticket.ActStartFix, ticket.Request{})
	act(ticket.ActHold, ticket.Request{HoldReason: ticket.HoldAwaitingCaller, Comment: "waiting on caller"})
	act(ticket.ActResume, ticket.Request{})
	act(ticket.ActChangePriority, ticket.Request{Priority: ticket.PriorityHigh})

	desc, err := env.client.DescribeWorkflowExecution(ctx, workflows.TicketWorkflowID(ref), "")
	if err != nil {
		t.Fatal(err)
	}
	if desc.GetWorkflowExecutionInfo().GetExecution().GetRunId() == run.GetRunID() {
		t.Fatal("the ticket never continued as new")
	}
	v, err := env.ops.Show(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	recordHistory(t, workflows.TicketWorkflowID(ref), run.GetRunID(), "continue_as_new_first_run")
	recordHistory(t, workflows.TicketWorkflowID(ref), "", "continue_as_new_last_run")
	res := v.Clock(ticket.ClockResolution)
	if len(v.Timeline) != 6 || v.State != ticket.StateInProgress || res.PausedTotal <= 0 || res.Target != 7*24*time.Hour {
		t.Fatalf("after continue-as-new: %d events, state %s, paused %v, target %v", len(v.Timeline), v.State, res.PausedTotal, res.Target)
	}
}
