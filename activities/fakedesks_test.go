package activities

import (
	"net/http/httptest"
	"testing"

	"github.com/hcaops/hcaops/servicedesk/dynamics"
	"github.com/hcaops/hcaops/servicedesk/dynamics/dynamicsfake"
	"github.com/hcaops/hcaops/servicedesk/sdm"
	"github.com/hcaops/hcaops/servicedesk/sdm/sdmfake"
)

// fakeSDM serves a new SDM fake over HTTP for the test's life and returns it beside the
// real client of it.
func fakeSDM(tb testing.TB) (*sdmfake.Fake, *sdm.Client) {
	tb.Helper()
	f := sdmfake.NewFake("hcaops", "pw")
	srv := httptest.NewServer(f.Handler())
	tb.Cleanup(srv.Close)
	c, err := sdm.NewClient(sdm.Config{BaseURL: srv.URL, Username: "hcaops", Password: "pw"})
	if err != nil {
		tb.Fatal(err)
	}
	return f, c
}

// fakeDynamics is fakeSDM for Dynamics 365.
func fakeDynamics(tb testing.TB) (*dynamicsfake.Fake, *dynamics.Client) {
	tb.Helper()
	f := dynamicsfake.NewFake("hcaops", "pw")
	srv := httptest.NewServer(f.Handler())
	tb.Cleanup(srv.Close)
	c, err := dynamics.NewClient(dynamics.Config{BaseURL: srv.URL, TokenURL: srv.URL + dynamicsfake.FakeTokenPath,
		ClientID: "hcaops", ClientSecret: "pw", CustomerAccountID: "00000000-0000-0000-0000-000000000001"})
	if err != nil {
		tb.Fatal(err)
	}
	return f, c
}
