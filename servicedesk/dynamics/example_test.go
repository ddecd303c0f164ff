package dynamics_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/servicedesk/dynamics"
	"github.com/hcaops/hcaops/servicedesk/dynamics/dynamicsfake"
	"github.com/hcaops/hcaops/ticket"
)

// A client of the fake Dynamics in package dynamicsfake. A local run serves the fake the
// same way, with http.ListenAndServe(addr, fake.Handler()), and shows what it holds at
// GET /_fake/incidents.
func ExampleNewClient() {
	fake := dynamicsfake.NewFake("hcaops-local", "local-secret")
	srv := httptest.NewServer(fake.Handler())
	defer srv.Close()

	client, err := dynamics.NewClient(dynamics.Config{
		BaseURL:           srv.URL,
		TokenURL:          srv.URL + dynamicsfake.FakeTokenPath,
		ClientID:          "hcaops-local",
		ClientSecret:      "local-secret",
		CustomerAccountID: "00000000-0000-4000-8000-000000001010",
	})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	inc, err := client.EnsureIncident(ctx, servicedesk.NewIncident{
		Ref: "HCA-1", Summary: "Cannot submit 10-10EZ", Channel: ticket.ChannelChat, Priority: ticket.PriorityUrgent,
	})
	if err != nil {
		panic(err)
	}
	resolved := servicedesk.StatusResolved
	if err := client.UpdateIncident(ctx, inc.ID, servicedesk.Update{Status: &resolved, Resolution: "Fixed"}); err != nil {
		panic(err)
	}
	got := fake.Incidents()[0]
	fmt.Println(got.Reference, got.CaseOrigin, got.PriorityCode, got.StateCode, got.StatusCode, got.Resolution.Description)
	// Output:
	// HCA-1 3 1 1 5 Fixed
}
