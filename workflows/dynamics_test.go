package workflows

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/testsuite"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/servicedesk/dynamics"
	"github.com/hcaops/hcaops/servicedesk/dynamics/dynamicsfake"
	"github.com/hcaops/hcaops/ticket"
)

// TestSameProcessOnDynamics runs a ticket through ES and a breach with Dynamics 365 as the
// system of record: the workflow is the same, only the client differs.
func TestSameProcessOnDynamics(t *testing.T) {
	fake := dynamicsfake.NewFake("hcaops", "secret")
	srv := httptest.NewServer(fake.Handler())
	defer srv.Close()
	client, err := dynamics.NewClient(dynamics.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth2/v2.0/token",
		ClientID: "hcaops", ClientSecret: "secret", CustomerAccountID: "00000000-0000-0000-0000-000000000001"})
	if err != nil {
		t.Fatal(err)
	}
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(logging.SDK{L: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)})
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(monday)
	env.RegisterWorkflow(TicketWorkflow)
	desk, notices := &activities.ServiceDesk{Desk: client}, &activities.Notices{Notifier: &recordingNotifier{}}
	env.RegisterActivity(desk)
	env.RegisterActivity(notices)
	env.RegisterActivity(&activities.Outbox{Desk: desk, Notices: notices})
	update := func(at time.Duration, a ticket.Action, r ticket.Request) {
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(string(a), "", &testsuite.TestUpdateCallback{
				OnReject: func(err error) { t.Errorf("%s rejected: %v", a, err) }, OnAccept: func() {}, OnComplete: func(any, error) {},
			}, r)
		}, at)
	}
	update(time.Hour, ticket.ActEscalate, by("hrc-agent-7", ""))
	update(2*time.Hour, ticket.ActRouteToES, by("vets-oncall", "ES side"))
	update(4*day, ticket.ActResolve, by("es-liaison", "ES fixed the record"))
	policy := ticket.DefaultPolicy()
	env.ExecuteWorkflow(TicketWorkflow, TicketInput{New: demoTicket("HRC-200", ticket.PriorityUrgent), Policy: &policy})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	incs := fake.Incidents()
	if len(incs) != 1 {
		t.Fatalf("Dynamics holds %d incidents, want 1", len(incs))
	}
	inc := incs[0]
	// Urgent ES target is 48 h: awaiting ES for 4 days breaches it once.
	if inc.StateCode != 1 || inc.StatusCode != 5 || !inc.IsEscalated || inc.PriorityCode != 1 || inc.Reference != "HRC-200" {
		t.Fatalf("Dynamics incident state %d/%d escalated %v priority %d ref %s",
			inc.StateCode, inc.StatusCode, inc.IsEscalated, inc.PriorityCode, inc.Reference)
	}
	if len(inc.Notes) < 5 {
		t.Fatalf("Dynamics incident has %d notes, want one per event", len(inc.Notes))
	}
}
