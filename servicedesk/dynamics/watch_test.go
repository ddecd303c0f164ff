package dynamics

import (
	"context"
	"testing"
	"time"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/ticket"
)

func TestChangesFollowTheDeltaLink(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inc, err := e.client.EnsureIncident(ctx, servicedesk.NewIncident{Ref: "HCA-D1", Summary: "Form stops", Priority: ticket.PriorityUrgent, Group: servicedesk.GroupHRC})
	if err != nil {
		t.Fatal(err)
	}
	feed, err := e.client.Changes(ctx, "", e.clock.Now().Add(-time.Hour))
	if err != nil || len(feed.Incidents) != 1 || feed.Cursor == "" {
		t.Fatalf("baseline %+v %v", feed, err)
	}
	got := feed.Incidents[0]
	if got.ID != inc.ID || got.Ref != "HCA-D1" || got.Status != servicedesk.StatusOpen || got.Priority != ticket.PriorityHigh || got.Group != servicedesk.GroupHRC {
		t.Errorf("snapshot %+v", got)
	}
	quiet, err := e.client.Changes(ctx, feed.Cursor, time.Time{})
	if err != nil || len(quiet.Incidents) != 0 {
		t.Fatalf("no change: %+v %v", quiet, err)
	}
	e.clock.Advance(time.Minute)
	if err := e.client.UpdateIncident(ctx, inc.ID, servicedesk.Update{Status: ptrTo(servicedesk.StatusAwaitingVendor)}); err != nil {
		t.Fatal(err)
	}
	changed, err := e.client.Changes(ctx, quiet.Cursor, time.Time{})
	if err != nil || len(changed.Incidents) != 1 || changed.Incidents[0].Status != servicedesk.StatusOnHold {
		t.Fatalf("after a change: %+v %v", changed, err)
	}
	if s, p := e.client.Canonical(servicedesk.StatusAwaitingVendor, ticket.PriorityUrgent); s != servicedesk.StatusOnHold || p != ticket.PriorityHigh {
		t.Errorf("canonical %s %s", s, p)
	}
	if _, err := e.client.Changes(ctx, "https://elsewhere.example/api/data/v9.2/incidents?$deltatoken=1", time.Time{}); err == nil {
		t.Error("a delta link of another host was followed")
	}
}

func TestReadIncidentKeepsPeoplesNotes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inc, _ := e.client.EnsureIncident(ctx, servicedesk.NewIncident{Ref: "HCA-D2", Summary: "s"})
	_ = e.client.AddComment(ctx, inc.ID, "HCA-D2#0", "opened by hcaops")
	if err := e.client.LinkIncident(ctx, inc.ID, "HCA-D2"); err != nil {
		t.Fatal(err)
	}
	snap, err := e.client.ReadIncident(ctx, inc.ID)
	if err != nil || len(snap.Notes) != 0 || snap.Ref != "HCA-D2" {
		t.Fatalf("%+v %v", snap, err)
	}
}

func ptrTo[T any](v T) *T { return &v }

// Without hcaops's columns the reference rides in the description and the ticket still
// has one incident.
func TestWithoutCustomColumnsTheDescriptionCarriesTheReference(t *testing.T) {
	e := newEnv(t)
	e.fake.WithoutCustomColumns()
	e.client.cfg.NoCustomColumns = true
	ctx := context.Background()
	first, err := e.client.EnsureIncident(ctx, servicedesk.NewIncident{Ref: "HCA-X1", Summary: "s", Description: "d", Group: servicedesk.GroupHRC})
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.client.EnsureIncident(ctx, servicedesk.NewIncident{Ref: "HCA-X1", Summary: "s"})
	if err != nil || again != first || len(e.fake.Incidents()) != 1 {
		t.Fatalf("second ensure %+v %v; %d incidents", again, err, len(e.fake.Incidents()))
	}
	if err := e.client.UpdateIncident(ctx, first.ID, servicedesk.Update{Group: ptrTo(servicedesk.GroupES)}); err != nil {
		t.Fatalf("group without hcaops_group: %v", err)
	}
	snap, err := e.client.ReadIncident(ctx, first.ID)
	if err != nil || snap.Ref != "HCA-X1" || snap.Group != "" {
		t.Fatalf("%+v %v", snap, err)
	}
}
