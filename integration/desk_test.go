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

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/hcaops/hcaops/internal/app"
	"github.com/hcaops/hcaops/internal/temporalclient"
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
// scheduledPollID is the ID of pollEverySecond's runs, before the scheduler's time suffix.
const scheduledPollID = "it-desk-poll-sdm"

func pollEverySecond(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	id := "it-" + app.ScheduleDeskPoll("sdm")
	_, err := env.client.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:   id,
		Spec: client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: time.Second}}},
		Action: &client.ScheduleWorkflowAction{ID: scheduledPollID, Workflow: workflows.DeskPollWorkflow,
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
	// To the nanosecond: runs of an earlier test's schedule (the same IDs) may have started
	// in the same second.
	began := time.Now().UTC()
	pollEverySecond(t)
	ctx := context.Background()
	// A scheduled poll succeeds before the outage, so the failed runs have a cursor to carry.
	eventually(t, 30*time.Second, "a scheduled poll succeeds before the outage", func() bool {
		resp, err := env.client.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{
			Query: scheduledPolls(began) + " AND ExecutionStatus = 'Completed'"})
		return err == nil && resp.GetCount() > 0
	})
	inc := callLogged(t, "Save button does nothing")
	ref := "SDM-" + inc.RefNum
	env.sdm.FailNext(1000, http.StatusServiceUnavailable)
	eventually(t, 30*time.Second, "a scheduled poll fails during the outage", func() bool {
		resp, err := env.client.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{
			Query: scheduledPolls(began) + " AND ExecutionStatus = 'Failed'"})
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
	// The schedule hands the run after a failed one that failure, with the cursor it
	// carried (the workflow's own tests show a run starting from it).
	dc, err := temporalclient.DataConverter()
	if err != nil {
		t.Fatal(err)
	}
	var (
		carried *commonpb.WorkflowExecution
		seen    string
	)
	defer func() {
		if t.Failed() {
			t.Logf("the scheduled runs since %s: %s", began.Format(time.RFC3339Nano), seen)
		}
	}()
	eventually(t, 30*time.Second, "a scheduled run starts with the failed run's cursor", func() bool {
		carried, seen = scheduledRunGotCursorOfFailure(ctx, dc, began)
		return carried != nil
	})
	recordFirst(t, "DeskPollWorkflow", "desk_poll")
	recordHistory(t, carried.GetWorkflowId(), carried.GetRunId(), "desk_poll_after_failure")
}

// scheduledPolls is the query for the runs of pollEverySecond's schedule started since.
func scheduledPolls(since time.Time) string {
	return "WorkflowType = 'DeskPollWorkflow' AND WorkflowId STARTS_WITH '" + scheduledPollID + "-' AND StartTime >= '" + since.Format(time.RFC3339Nano) + "'"
}

// scheduledRunGotCursorOfFailure finds a desk-poll run of pollEverySecond's schedule that
// succeeded and was started with the previous run's failure, of the type that carries a
// cursor, and with a cursor in its details.
func scheduledRunGotCursorOfFailure(ctx context.Context, dc converter.DataConverter, since time.Time) (*commonpb.WorkflowExecution, string) {
	resp, err := env.client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: scheduledPolls(since)})
	if err != nil {
		return nil, err.Error()
	}
	var seen []string
	for _, ex := range resp.GetExecutions() {
		it := env.client.GetWorkflowHistory(ctx, ex.GetExecution().GetWorkflowId(), ex.GetExecution().GetRunId(), false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		if !it.HasNext() {
			continue
		}
		first, err := it.Next()
		if err != nil {
			continue
		}
		info := first.GetWorkflowExecutionStartedEventAttributes().GetContinuedFailure().GetApplicationFailureInfo()
		var reached workflows.DeskPollResult
		decodeErr := dc.FromPayloads(info.GetDetails(), &reached)
		seen = append(seen, fmt.Sprintf("%s %s (after a failure %q carrying %+v, %v)", ex.GetExecution().GetWorkflowId(),
			ex.GetStatus(), info.GetType(), reached, decodeErr))
		if ex.GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED && info.GetType() == workflows.ErrTypeDeskPollFailed &&
			decodeErr == nil && reached.Desk == "sdm" && reached.Cursor != "" {
			return ex.GetExecution(), ""
		}
	}
	return nil, strings.Join(seen, "; ")
}
