package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/hcaops/hcaops/internal/app"
	"github.com/hcaops/hcaops/servicedesk/sdm/sdmfake"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

// person works in the fake SDM as the HRC agent hrc-agent-3 does in SDM's own UI, and
// returns the answer's body.
func person(t *testing.T, method, path, body string) string {
	t.Helper()
	req, err := http.NewRequest(method, env.sdmURL+"/caisd-rest/_fake/as/hrc-agent-3/"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if strings.HasPrefix(path, "in") {
		req.Header.Set("X-Obj-Attrs", "ref_num")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s as hrc-agent-3: %d %s", method, path, resp.StatusCode, b)
	}
	return string(b)
}

// callLogged is an HRC agent logging a call in SDM: a new incident in HRC's group.
func callLogged(t *testing.T, summary string) sdmfake.FakeIncident {
	t.Helper()
	body := person(t, "POST", "in", fmt.Sprintf(`{"in":{"summary":%q,"group":{"@COMMON_NAME":"HRC Tier 1"},"priority":{"@COMMON_NAME":"3"}}}`, summary))
	var created struct {
		In struct {
			ID string `json:"@id"`
		} `json:"in"`
	}
	if err := json.Unmarshal([]byte(body), &created); err != nil {
		t.Fatal(err)
	}
	for _, inc := range env.sdm.Incidents() {
		if fmt.Sprint(inc.ID) == created.In.ID {
			return inc
		}
	}
	t.Fatalf("incident %s not in the fake", created.In.ID)
	return sdmfake.FakeIncident{}
}

// pollEverySecond runs the SDM poll on a Temporal Schedule as the worker sets it up,
// every second, for the test.
func pollEverySecond(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	id := "it-" + app.ScheduleDeskPoll("sdm")
	_, err := env.client.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:   id,
		Spec: client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: time.Second}}},
		Action: &client.ScheduleWorkflowAction{ID: "it-desk-poll-sdm", Workflow: workflows.DeskPollWorkflow,
			Args: []any{workflows.DeskPollInput{Desk: "sdm"}}, TaskQueue: workflows.TaskQueue},
		Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.client.ScheduleClient().GetHandle(ctx, id).Delete(ctx) })
}

func showTicket(ref string) (ticket.View, bool) {
	v, err := env.ops.Show(context.Background(), ref)
	return v, err == nil
}

func lastEvent(v ticket.View, action string) (ticket.Event, bool) {
	for i := len(v.Timeline) - 1; i >= 0; i-- {
		if v.Timeline[i].Action == action {
			return v.Timeline[i], true
		}
	}
	return ticket.Event{}, false
}

func incidentNow(t *testing.T, id int) sdmfake.FakeIncident {
	t.Helper()
	for _, inc := range env.sdm.Incidents() {
		if inc.ID == id {
			return inc
		}
	}
	t.Fatalf("no incident %d", id)
	return sdmfake.FakeIncident{}
}

// TestDeskIntakeAndPeoplesChanges: a call logged in SDM becomes a ticket within a poll,
// linked to its incident; people's changes in SDM move the ticket; a change the process
// refuses is recorded, explained on the incident and undone there.
func TestDeskIntakeAndPeoplesChanges(t *testing.T) {
	pollEverySecond(t)
	start := time.Now()
	inc := callLogged(t, "Caller cannot get past the insurance page")
	ref := "SDM-" + inc.RefNum
	eventually(t, 20*time.Second, "the incident becomes a ticket", func() bool { _, ok := showTicket(ref); return ok })
	t.Logf("incident to ticket: %s", time.Since(start).Round(time.Millisecond))
	v, _ := showTicket(ref)
	if v.Incident.ID != fmt.Sprintf("cr:%d", inc.ID) || v.Reporter != "sdm:hrc-agent-3" || v.Priority != ticket.PriorityMedium || v.State != ticket.StateNew {
		t.Fatalf("ticket %+v", v.Ticket)
	}
	eventually(t, 20*time.Second, "the incident carries the ticket's reference", func() bool { return incidentNow(t, inc.ID).HcaopsRef == ref })
	if n := len(matching(env.sdm.Incidents(), ref)); n != 1 {
		t.Fatalf("%d incidents for %s: the mirror opened another", n, ref)
	}

	// Straight from New to ES: refused, explained on the incident, undone there.
	person(t, "PUT", fmt.Sprintf("in/%d", inc.ID), `{"in":{"group":{"@COMMON_NAME":"ES Tier 2/3"}}}`)
	eventually(t, 20*time.Second, "the refusal is in the timeline", func() bool {
		v, _ := showTicket(ref)
		_, ok := lastEvent(v, "desk-refused")
		return ok
	})
	v, _ = showTicket(ref)
	refusal, _ := lastEvent(v, "desk-refused")
	if v.State != ticket.StateNew || !strings.Contains(refusal.Comment, "sdm:hrc-agent-3 set the group to ES Tier 2/3: cannot route-to-es a ticket that is New; allowed now: escalate, resolve, cancel, change-priority, note") {
		t.Fatalf("state %s, refusal %q", v.State, refusal.Comment)
	}
	eventually(t, 20*time.Second, "the incident is back with HRC and says why", func() bool {
		now := incidentNow(t, inc.ID)
		// The comment and the change go to SDM at once: either may be logged last.
		return now.Group == "HRC Tier 1" && slices.ContainsFunc(now.Log, func(e sdmfake.FakeLogEntry) bool {
			return strings.Contains(e.Description, "hcaops refused a change made in sdm")
		})
	})

	// A reassignment to vets.gov with a note is an escalation.
	person(t, "POST", "alg", fmt.Sprintf(`{"alg":{"call_req_id":{"@REL_ATTR":"cr:%d"},"type":{"@REL_ATTR":"LOG"},"description":"five callers this morning"}}`, inc.ID))
	person(t, "PUT", fmt.Sprintf("in/%d", inc.ID), `{"in":{"group":{"@COMMON_NAME":"vets.gov"}}}`)
	eventually(t, 20*time.Second, "the ticket is escalated", func() bool { v, _ := showTicket(ref); return v.State == ticket.StateTriage })
	v, _ = showTicket(ref)
	if ev, _ := lastEvent(v, "escalate"); ev.Actor != "sdm:hrc-agent-3" || ev.Comment != "five callers this morning" {
		t.Fatalf("escalation %+v", ev)
	}

	// Resolving without a comment is refused; with one it resolves.
	person(t, "PUT", fmt.Sprintf("in/%d", inc.ID), `{"in":{"status":{"@REL_ATTR":"RE"}}}`)
	eventually(t, 20*time.Second, "the resolve without a comment is refused and undone", func() bool {
		v, _ := showTicket(ref)
		ev, _ := lastEvent(v, "desk-refused")
		return strings.Contains(ev.Comment, "resolve requires a comment") && incidentNow(t, inc.ID).Status == "OP"
	})
	person(t, "POST", "alg", fmt.Sprintf(`{"alg":{"call_req_id":{"@REL_ATTR":"cr:%d"},"type":{"@REL_ATTR":"LOG"},"description":"form fixed by the release of 10:00"}}`, inc.ID))
	person(t, "PUT", fmt.Sprintf("in/%d", inc.ID), `{"in":{"status":{"@REL_ATTR":"RE"}}}`)
	eventually(t, 20*time.Second, "the ticket is resolved", func() bool { v, _ := showTicket(ref); return v.State == ticket.StateResolved })
	v, _ = showTicket(ref)
	if ev, _ := lastEvent(v, "resolve"); ev.Comment != "form fixed by the release of 10:00" {
		t.Fatalf("resolve %+v", ev)
	}
	// hcaops's own writes never came back: no change the desk did not see from people.
	for _, ev := range v.Timeline {
		if ev.Actor == "sdm:hcaops" {
			t.Errorf("hcaops's own write came back as a change: %+v", ev)
		}
	}
	recordHistory(t, workflows.TicketWorkflowID(ref), "", "desk_sync")
}

// TestDeskOutageDuringPollsMissesAndDoublesNothing: SDM fails every call for a while,
// polls fail and leave the cursor where it was; the call logged meanwhile becomes one
// ticket once SDM answers again, and concurrent polls open it once.
func TestDeskOutageDuringPollsMissesAndDoublesNothing(t *testing.T) {
	pollEverySecond(t)
	ctx := context.Background()
	inc := callLogged(t, "Save button does nothing")
	ref := "SDM-" + inc.RefNum
	env.sdm.FailNext(1000, http.StatusServiceUnavailable)
	eventually(t, 30*time.Second, "a poll fails during the outage", func() bool {
		resp, err := env.client.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{
			Query: "WorkflowType = 'DeskPollWorkflow' AND ExecutionStatus = 'Failed'"})
		return err == nil && resp.GetCount() > 0
	})
	if _, ok := showTicket(ref); ok {
		t.Fatal("a ticket opened while SDM was down")
	}
	env.sdm.FailNext(0, http.StatusServiceUnavailable)
	// Two more polls at once, besides the schedule's.
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run, err := env.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
				ID: fmt.Sprintf("it-poll-overlap-%d-%d", i, time.Now().UnixNano()), TaskQueue: workflows.TaskQueue,
			}, workflows.DeskPollWorkflow, workflows.DeskPollInput{Desk: "sdm"})
			var res workflows.DeskPollResult
			if err == nil {
				err = run.Get(ctx, &res)
			}
			if err != nil {
				t.Errorf("overlapping poll: %v", err)
			}
			t.Logf("a poll: %d incidents read, %d tickets opened, %d synced, %d later", res.Incidents, res.Opened, res.Synced, res.Later)
		}()
	}
	wg.Wait()
	eventually(t, 30*time.Second, "the call logged during the outage becomes a ticket", func() bool { _, ok := showTicket(ref); return ok })
	resp, err := env.client.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{
		Query: fmt.Sprintf("WorkflowId = '%s'", workflows.TicketWorkflowID(ref))})
	if err != nil || resp.GetCount() != 1 {
		t.Fatalf("%d ticket workflows for %s (%v)", resp.GetCount(), ref, err)
	}
	if n := len(matching(env.sdm.Incidents(), ref)); n != 1 {
		t.Fatalf("%d incidents for %s", n, ref)
	}
	recordFirst(t, "DeskPollWorkflow", "desk_poll")
}

// TestMigrationToDynamicsInterruptedResumedAndRunTwice moves open tickets to the fake
// Dynamics while it fails halfway, then again, then once more: every ticket ends with
// one Dynamics incident holding its timeline once, and its SDM incident closed with one
// pointer. Until it moves, a ticket's mirror keeps going to SDM.
func TestMigrationToDynamicsInterruptedResumedAndRunTwice(t *testing.T) {
	refs := []string{uniqueRef(t, "IT-MIG-A"), uniqueRef(t, "IT-MIG-B")}
	for _, ref := range refs {
		open(t, ref, "High")
	}
	ok(t, "ticketctl", "escalate", refs[0], "-m", "many callers")
	ok(t, "ticketctl", "route-to-es", refs[0], "-m", "ES rejects the record")
	for _, ref := range refs {
		eventually(t, 20*time.Second, "SDM incident of "+ref, func() bool {
			v, _ := showTicket(ref)
			return v.Incident.System == "sdm" && !v.DeskPending
		})
	}
	// Until it moves, a ticket's mirror goes to SDM, though the worker holds both desks.
	ok(t, "ticketctl", "note", refs[1], "-m", "caller sent a screenshot")
	eventually(t, 20*time.Second, "the note reaches SDM", func() bool {
		inc, _ := sdmIncident(refs[1])
		return strings.Contains(inc.Log[len(inc.Log)-1].Description, "caller sent a screenshot")
	})
	// The first run meets Dynamics failing after a few calls, and gives up waiting;
	// writes queued behind a move wait for it (they go to the new desk).
	env.dyn.FailAfter(3, 1000, http.StatusServiceUnavailable)
	start := time.Now()
	first := program(t, "ticketctl", "migrate-desk", "-to", "dynamics", "-wait", "2s")
	if first.code == 0 || !strings.Contains(first.out, "still moving") {
		t.Fatalf("interrupted run: %d %s %s", first.code, first.out, first.err)
	}
	env.dyn.FailNext(0, http.StatusServiceUnavailable)
	second := program(t, "ticketctl", "migrate-desk", "-to", "dynamics", "-wait", "60s")
	elapsed := time.Since(start)
	if second.code != 0 {
		t.Fatalf("resumed run: %d %s %s", second.code, second.out, second.err)
	}
	third := ok(t, "ticketctl", "migrate-desk", "-to", "dynamics")
	for _, ref := range refs {
		if !strings.Contains(third, ref+": in dynamics already") {
			t.Errorf("third run for %s:\n%s", ref, third)
		}
	}
	t.Logf("migration of %d tickets, interrupted and resumed: %s", len(refs), elapsed.Round(time.Millisecond))
	for _, ref := range refs {
		v, _ := showTicket(ref)
		var mine []string
		for _, inc := range env.dyn.Incidents() {
			if inc.Reference == ref {
				mine = append(mine, inc.TicketNumber)
				seen := map[string]int{}
				for _, n := range inc.Notes {
					seen[n.Subject]++
				}
				for subject, k := range seen {
					if k > 1 {
						t.Errorf("%s: note %s %d times", ref, subject, k)
					}
				}
				if len(inc.Notes) < len(v.Timeline)-1 {
					t.Errorf("%s: %d notes for %d timeline events", ref, len(inc.Notes), len(v.Timeline))
				}
			}
		}
		if len(mine) != 1 || v.Incident.System != "dynamics" || v.Incident.Number != mine[0] {
			t.Fatalf("%s: Dynamics incidents %v, ticket link %+v", ref, mine, v.Incident)
		}
		old, _ := sdmIncident(ref)
		pointers := 0
		for _, l := range old.Log {
			if strings.Contains(l.Description, "Moved to dynamics case "+mine[0]) && l.Type == "LOG" {
				pointers++
			}
		}
		if old.Status != "CL" || pointers != 1 {
			t.Errorf("%s: SDM incident %s with %d pointers", ref, old.Status, pointers)
		}
	}
	// After the move the mirror goes to Dynamics.
	ok(t, "ticketctl", "note", refs[0], "-m", "ES called back")
	eventually(t, 20*time.Second, "the note reaches Dynamics", func() bool {
		for _, inc := range env.dyn.Incidents() {
			if inc.Reference == refs[0] {
				for _, n := range inc.Notes {
					if strings.Contains(n.Text, "ES called back") {
						return true
					}
				}
			}
		}
		return false
	})
}

// TestDynamicsIntakeByChangeTracking: a case opened in Dynamics in HRC's group becomes a
// ticket linked to it (hcaops_reference written on the case), once however many polls
// read it; the poll follows Dataverse change tracking.
func TestDynamicsIntakeByChangeTracking(t *testing.T) {
	ctx := context.Background()
	resp, err := http.PostForm(env.dynURL+"/oauth2/v2.0/token", map[string][]string{
		"grant_type": {"client_credentials"}, "client_id": {"hcaops"}, "client_secret": {"secret"}, "scope": {env.dynURL + "/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	req, _ := http.NewRequest("POST", env.dynURL+"/api/data/v9.2/incidents", strings.NewReader(
		`{"title":"Caller's form lost the insurance page","hcaops_group":"HRC Tier 1","prioritycode":1,"customerid_account@odata.bind":"/accounts(00000000-0000-0000-0000-000000000001)"}`))
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Prefer", "return=representation")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var created struct {
		ID     string `json:"incidentid"`
		Number string `json:"ticketnumber"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || created.Number == "" {
		t.Fatalf("create a case: %d %+v", resp.StatusCode, created)
	}
	for i := range 2 {
		run, err := env.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: fmt.Sprintf("it-poll-dynamics-%d-%d", i, time.Now().UnixNano()), TaskQueue: workflows.TaskQueue,
		}, workflows.DeskPollWorkflow, workflows.DeskPollInput{Desk: "dynamics"})
		var res workflows.DeskPollResult
		if err == nil {
			err = run.Get(ctx, &res)
		}
		if err != nil || res.Cursor == "" {
			t.Fatalf("poll %d: %+v %v", i, res, err)
		}
	}
	v, ok := showTicket(created.Number)
	if !ok || v.Incident.System != "dynamics" || v.Incident.ID != created.ID || v.Priority != ticket.PriorityHigh {
		t.Fatalf("ticket of %s: %v %+v", created.Number, ok, v.Ticket)
	}
	eventually(t, 20*time.Second, "the case carries the ticket's reference", func() bool {
		for _, inc := range env.dyn.Incidents() {
			if inc.ID == created.ID {
				return inc.Reference == created.Number
			}
		}
		return false
	})
	cases := 0
	for _, inc := range env.dyn.Incidents() {
		if inc.Reference == created.Number {
			cases++
		}
	}
	if cases != 1 {
		t.Fatalf("%d cases carry %s", cases, created.Number)
	}
}
