package workflows

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/testsuite"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/esfake"
	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/ticket"
)

// recordingTickets stands in for the ticket client (our own Temporal client side, tested on
// the real server in integration/): it keeps every ticket raised and action taken.
type recordingTickets struct {
	mu      sync.Mutex
	opened  []activities.OpenTicketInput
	actions []activities.ActInput
	views   map[string]ticket.View
}

func (d *recordingTickets) OpenTicket(_ context.Context, n ticket.NewTicket, then []ticket.Step) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, o := range d.opened {
		if o.Ticket.Ref == n.Ref {
			return true, nil
		}
	}
	d.opened = append(d.opened, activities.OpenTicketInput{Ticket: n, Then: then})
	return false, nil
}

func (d *recordingTickets) Act(_ context.Context, ref string, a ticket.Action, r ticket.Request) (ticket.View, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if v, ok := d.views[ref]; ok {
		d.actions = append(d.actions, activities.ActInput{Ref: ref, Action: a, Request: r})
		return v, nil
	}
	for _, o := range d.opened {
		if o.Ticket.Ref == ref {
			d.actions = append(d.actions, activities.ActInput{Ref: ref, Action: a, Request: r})
			return ticket.View{}, nil
		}
	}
	return ticket.View{}, fmt.Errorf("%w: unknown ticket %s", ticket.ErrRejected, ref)
}

// actionsOn lists the actions taken on ref.
func (d *recordingTickets) actionsOn(ref string) []activities.ActInput {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []activities.ActInput
	for _, a := range d.actions {
		if a.Ref == ref {
			out = append(out, a)
		}
	}
	return out
}

func (d *recordingTickets) Show(_ context.Context, ref string) (ticket.View, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if v, ok := d.views[ref]; ok {
		return v, nil
	}
	return ticket.View{}, fmt.Errorf("%w: unknown ticket %s", ticket.ErrRejected, ref)
}

func (d *recordingTickets) openedRefs() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for _, o := range d.opened {
		out = append(out, o.Ticket.Ref)
	}
	return out
}

// esHarness runs the ES workflows in the test environment against the fake ES over HTTP.
type esHarness struct {
	env     *testsuite.TestWorkflowEnvironment
	es      *esfake.Fake
	tickets *recordingTickets
	mail    *recordingNotifier
	staff   *recordingNotifier
}

func newESHarness(t *testing.T, start time.Time) *esHarness {
	t.Helper()
	h := &esHarness{es: esfake.New(), tickets: &recordingTickets{views: map[string]ticket.View{}},
		mail: &recordingNotifier{}, staff: &recordingNotifier{}}
	h.es.Now = func() time.Time { return start }
	srv := httptest.NewServer(h.es.Handler())
	t.Cleanup(srv.Close)
	client, err := enrollment.NewClient(enrollment.Config{Endpoint: srv.URL + "/voa/voaSvc"})
	if err != nil {
		t.Fatal(err)
	}
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(logging.SDK{L: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.ErrorLevel)})
	h.env = suite.NewTestWorkflowEnvironment()
	h.env.SetStartTime(start)
	h.env.SetTestTimeout(30 * time.Second)
	for _, w := range []any{SubmissionWorkflow, DailyReportWorkflow, CallAgendaWorkflow, ConnectivityCheckWorkflow, ConnectivityMonitorWorkflow} {
		h.env.RegisterWorkflow(w)
	}
	h.env.RegisterActivity(&activities.Enrollment{ES: client, Notifier: h.mail, HealthCheckID: 1})
	h.env.RegisterActivity(&activities.TicketClient{Tickets: h.tickets})
	return h
}

// monitorStateAt reads the connectivity monitor's state at the given time into the value it
// returns, then stops the monitor, which otherwise runs for ever.
func (h *esHarness) monitorStateAt(t *testing.T, at time.Duration) *MonitorState {
	st := &MonitorState{}
	h.env.RegisterDelayedCallback(func() {
		v, err := h.env.QueryWorkflow(QueryConnectivity)
		if err != nil {
			t.Error(err)
		} else if err := v.Get(st); err != nil {
			t.Error(err)
		}
		h.env.CancelWorkflow()
	}, at)
	return st
}
