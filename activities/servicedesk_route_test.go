package activities

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/servicedesk/dynamics"
	"github.com/hcaops/hcaops/servicedesk/dynamics/dynamicsfake"
	"github.com/hcaops/hcaops/servicedesk/sdm"
	"github.com/hcaops/hcaops/servicedesk/sdm/sdmfake"
	"github.com/hcaops/hcaops/ticket"
)

// After HCAOPS_TICKETING switches to dynamics, a ticket whose incident is in SDM keeps
// mirroring to SDM: the worker holds both desks and routes by the ticket's link. (Before,
// the Dynamics client refused SDM's incident IDs and every open ticket recorded
// mirror-failed.)
func TestMirrorGoesToTheDeskOfTheIncident(t *testing.T) {
	sf := sdmfake.NewFake("hcaops", "pw")
	ss := httptest.NewServer(sf.Handler())
	t.Cleanup(ss.Close)
	df := dynamicsfake.NewFake("hcaops", "pw")
	ds := httptest.NewServer(df.Handler())
	t.Cleanup(ds.Close)
	sc, _ := sdm.NewClient(sdm.Config{BaseURL: ss.URL, Username: "hcaops", Password: "pw"})
	dc, err := dynamics.NewClient(dynamics.Config{BaseURL: ds.URL, TokenURL: ds.URL + dynamicsfake.FakeTokenPath,
		ClientID: "hcaops", ClientSecret: "pw", CustomerAccountID: "00000000-0000-0000-0000-000000000001"})
	if err != nil {
		t.Fatal(err)
	}
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
	if inc.Status != "WIP" || !strings.Contains(inc.Log[len(inc.Log)-1].Description, "reproduced") || len(df.Incidents()) != 0 {
		t.Errorf("SDM incident %+v; Dynamics holds %d", inc, len(df.Incidents()))
	}
	if d, err := a.deskFor(""); err != nil || d.Name() != "dynamics" {
		t.Fatalf("the desk of new tickets: %v %v", d, err)
	}
	if _, err := (&ServiceDesk{Desk: dc}).deskFor("sdm"); err == nil {
		t.Error("a worker without an SDM client claimed to have one")
	}
}
