package workflows

import (
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/hcaops/hcaops/ticket"
)

// deskChange sends people's changes d after the start, as the desk poll does.
func (h *harness) deskChange(d time.Duration, c ticket.DeskChange) {
	h.env.RegisterDelayedCallback(func() {
		h.env.UpdateWorkflow(UpdateDeskChange, "", &testsuite.TestUpdateCallback{
			OnReject: func(err error) {
				h.mu.Lock()
				defer h.mu.Unlock()
				h.rejected = append(h.rejected, err.Error())
			},
			OnAccept:   func() {},
			OnComplete: func(any, error) {},
		}, c)
	}, d)
}

// People's changes in SDM become the matching actions, checked by the state machine; a
// refused one is recorded, explained on the incident and undone there; a change read
// before hcaops's latest write is refused as stale (the poll reads it again).
func TestDeskChangesBecomeActionsOrRefusals(t *testing.T) {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, eastern)
	h := newHarness(t, start, ticket.DefaultPolicy())
	sdm := func(seq int) ticket.DeskChange {
		return ticket.DeskChange{Desk: "sdm", Number: "HRC0001", Seq: seq, By: "jdoe"}
	}
	c := sdm(1)
	c.Group = "ES Tier 2/3" // New straight to ES
	h.deskChange(time.Minute, c)
	c = sdm(1)
	c.Group = "vets.gov" // read before the revert: stale
	h.deskChange(2*time.Minute, c)
	c = sdm(2)
	c.Group, c.Notes = "vets.gov", []ticket.DeskNote{{ID: "700010", Author: "jdoe", Text: "five callers"}}
	h.deskChange(3*time.Minute, c)
	c = sdm(3)
	c.Status = "resolved" // without a comment
	h.deskChange(4*time.Minute, c)
	c = sdm(4)
	c.Status, c.Notes = "resolved", []ticket.DeskNote{{ID: "700012", Text: "fixed by the 10:00 release"}}
	h.deskChange(5*time.Minute, c)
	c = sdm(5)
	c.Priority = ticket.PriorityHigh // a resolved ticket's priority does not change
	h.deskChange(6*time.Minute, c)
	var mid ticket.View
	h.view(90*time.Second, &mid)
	final := h.run(demoTicket("HRC-DESK-1", ticket.PriorityMedium))

	if len(h.rejected) != 1 || !strings.Contains(h.rejected[0], ErrStaleDeskChange) {
		t.Errorf("rejected updates %q, want one stale", h.rejected)
	}
	refusals := events(final, "desk-refused")
	want := []string{
		"sdm:jdoe set the group to ES Tier 2/3: cannot route-to-es a ticket that is New; allowed now: escalate, resolve, cancel, change-priority, note",
		"sdm:jdoe set the status to resolved: resolve requires a comment; allowed now: acknowledge, start-fix, route-to-es, hold, resolve, cancel, change-priority, note",
		"sdm:jdoe set the priority to High: cannot change-priority a ticket that is Resolved; allowed now: reopen, note",
	}
	if len(refusals) != len(want) {
		t.Fatalf("refusals %+v", refusals)
	}
	for i, w := range want {
		if refusals[i].Comment != w {
			t.Errorf("refusal %d: %q\nwant      %q", i, refusals[i].Comment, w)
		}
	}
	if esc := events(final, "escalate"); len(esc) != 1 || esc[0].Actor != "sdm:jdoe" || esc[0].Comment != "five callers" {
		t.Errorf("escalation %+v", esc)
	}
	if res := events(final, "resolve"); len(res) != 1 || res[0].Comment != "fixed by the 10:00 release" {
		t.Errorf("resolution %+v", res)
	}
	if mid.Desk.Group != "HRC Tier 1" || mid.Desk.Seq != 2 {
		t.Errorf("after the first refusal the desk view is %+v, want the group written back", mid.Desk)
	}
	inc := h.sdm.Incidents()[0]
	var answers int
	for _, l := range inc.Log {
		if strings.Contains(l.Description, "[hcaops refused a change made in sdm]") {
			answers++
		}
		if strings.Contains(l.Description, "[escalate by sdm:jdoe]") || strings.Contains(l.Description, "five callers") {
			t.Errorf("a change people made was echoed to the desk: %q", l.Description)
		}
	}
	if answers != 3 || inc.Priority != "3" || inc.Group != "vets.gov" {
		t.Errorf("incident %s group %s priority %s, %d refusal comments", inc.Status, inc.Group, inc.Priority, answers)
	}
}
