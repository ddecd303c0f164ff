package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/servicedesk/sdm/sdmfake"
	"github.com/hcaops/hcaops/ticket"
)

// After HCAOPS_TICKETING switches to dynamics, a ticket whose incident is in SDM keeps
// mirroring to SDM: the worker holds both desks and routes by the ticket's link. (Before,
// the Dynamics client refused SDM's incident IDs and every open ticket recorded
// mirror-failed.)
func TestMirrorGoesToTheDeskOfTheIncident(t *testing.T) {
	sf, sc := fakeSDM(t)
	df, dc := fakeDynamics(t)
	ctx := context.Background()
	old, err := sc.EnsureIncident(ctx, servicedesk.NewIncident{Ref: "HRC-OLD", Summary: "opened before the switch"})
	if err != nil {
		t.Fatal(err)
	}
	a := &ServiceDesk{Desk: dc, Others: []servicedesk.Desk{sc}}
	status := servicedesk.StatusInProgress
	err = a.MirrorTransition(ctx, MirrorInput{Ref: "HRC-OLD", Key: "HRC-OLD#1", Comment: "[start-fix by op] reproduced",
		Status: &status, Incident: ticket.IncidentLink{System: "sdm", ID: old.ID, Number: old.Number}})
	if err != nil {
		t.Fatalf("mirror of an SDM ticket with Dynamics configured: %v", err)
	}
	inc := sf.Incidents()[0]
	if inc.Status != "WIP" || logCount(inc, "reproduced") != 1 || len(df.Incidents()) != 0 {
		t.Errorf("SDM incident %+v; Dynamics holds %d", inc, len(df.Incidents()))
	}
	if d, err := a.deskFor(""); err != nil || d.Name() != "dynamics" {
		t.Fatalf("the desk of new tickets: %v %v", d, err)
	}
	if _, err := (&ServiceDesk{Desk: dc}).deskFor("sdm"); err == nil {
		t.Error("a worker without an SDM client claimed to have one")
	}
}

// logCount is how many entries of inc's activity log contain text.
func logCount(inc sdmfake.FakeIncident, text string) int {
	n := 0
	for _, e := range inc.Log {
		if strings.Contains(e.Description, text) {
			n++
		}
	}
	return n
}

// The incident's fields and the comment go to SDM at once. When one of the calls fails
// for now, the whole transition is retried: the retry writes what is missing, and the
// comment that did go through is not written twice.
func TestMirrorRetriesAPartlyWrittenTransition(t *testing.T) {
	sf, sc := fakeSDM(t)
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	a := &ServiceDesk{Desk: sc}
	env.RegisterActivity(a)
	mirror := func(in MirrorInput) error { _, err := env.ExecuteActivity(a.MirrorTransition, in); return err }
	resolved := servicedesk.StatusResolved
	// A resolution makes five calls: the status, then the log read and the resolution
	// entry, beside the log read and the comment. Each in turn is the one that fails (a
	// 503 from SDM's proxy), on an incident of its own.
	for skip := range 5 {
		ref := fmt.Sprintf("HRC-PART-%d", skip)
		inc, err := sc.EnsureIncident(context.Background(), servicedesk.NewIncident{Ref: ref, Summary: "partly written"})
		if err != nil {
			t.Fatal(err)
		}
		in := MirrorInput{Ref: ref, Key: ref + "#3", Comment: "[resolve by op] fix deployed", Status: &resolved,
			Incident: ticket.IncidentLink{System: "sdm", ID: inc.ID, Number: inc.Number}}
		sf.FailAfter(skip, 1, 503)
		err = mirror(in)
		if err == nil {
			t.Fatalf("call %d failed, and the transition reported success", skip+1)
		}
		var app *temporal.ApplicationError
		if errors.As(err, &app) && app.NonRetryable() {
			t.Fatalf("call %d failing for now made the transition final: %v", skip+1, err)
		}
		if err := mirror(in); err != nil {
			t.Fatalf("the retry after call %d failed: %v", skip+1, err)
		}
		got := sf.Incidents()[skip]
		if got.Status != "RE" {
			t.Errorf("call %d failed: incident status %q after the retry, want RE", skip+1, got.Status)
		}
		// The resolution (type RE) and the timeline comment each carry the text once.
		if n := logCount(got, "fix deployed"); n != 2 {
			t.Errorf("call %d failed: %d log entries carry the comment after the retry, want 2 (resolution and comment):\n%+v", skip+1, n, got.Log)
		}
	}
}

// A refusal is recorded only when nothing failed for now: a retry then delivers the rest.
func TestRetryFirst(t *testing.T) {
	blip := errors.New("sdm update incident: connection reset")
	refused := temporal.NewNonRetryableApplicationError("sdm refused", ErrTypeDeskRejected, nil)
	for _, c := range []struct {
		name       string
		update, cm error
		want       error
	}{
		{"both written", nil, nil, nil},
		{"update failed for now", blip, nil, blip},
		{"comment refused", nil, refused, refused},
		{"update refused, comment failed for now", refused, blip, blip},
		{"update failed for now, comment refused", blip, refused, blip},
		{"both refused", refused, refused, refused},
	} {
		if got := retryFirst(c.update, c.cm); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
