package workflows

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/testsuite"

	"github.com/hcaops/hcaops/activities"
	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/notify"
	"github.com/hcaops/hcaops/servicedesk/sdm"
	"github.com/hcaops/hcaops/servicedesk/sdm/sdmfake"
	"github.com/hcaops/hcaops/ticket"
)

var eastern, _ = time.LoadLocation("America/New_York")

// harness runs a ticket workflow in the SDK test environment (time skipping) against the
// fake SDM over HTTP, so the real SDM client does the mirroring.
type harness struct {
	t        *testing.T
	suite    testsuite.WorkflowTestSuite
	env      *testsuite.TestWorkflowEnvironment
	start    time.Time
	sdm      *sdmfake.Fake
	notes    *recordingNotifier
	mu       sync.Mutex
	rejected []string
	policy   ticket.Policy
}

type recordingNotifier struct {
	mu   sync.Mutex
	msgs []notify.Message
}

func (r *recordingNotifier) Notify(_ context.Context, m notify.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	return nil
}

func (r *recordingNotifier) count(substr string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.msgs {
		if strings.Contains(m.Subject, substr) {
			n++
		}
	}
	return n
}

func newHarness(t *testing.T, start time.Time, policy ticket.Policy) *harness {
	return newHarnessWith(t, start, policy, sdmfake.NewFake("hcaops", "secret"))
}

// newHarnessWith runs against an SDM that already holds incidents, as a continued run does.
func newHarnessWith(t *testing.T, start time.Time, policy ticket.Policy, fake *sdmfake.Fake) *harness {
	t.Helper()
	notes := &recordingNotifier{}
	h := buildHarness(t, start, policy, fake, notes)
	h.notes = notes
	return h
}

// newHarnessNotifier sends staff notices to n instead of recording them.
func newHarnessNotifier(t *testing.T, n notify.Notifier) *harness {
	t.Helper()
	return buildHarness(t, monday, ticket.DefaultPolicy(), sdmfake.NewFake("hcaops", "secret"), n)
}

func buildHarness(t *testing.T, start time.Time, policy ticket.Policy, fake *sdmfake.Fake, n notify.Notifier) *harness {
	t.Helper()
	h := &harness{t: t, start: start, sdm: fake, policy: policy}
	srv := httptest.NewServer(h.sdm.Handler())
	t.Cleanup(srv.Close)
	client, err := sdm.NewClient(sdm.Config{BaseURL: srv.URL, Username: "hcaops", Password: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	h.suite.SetLogger(logging.SDK{L: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)})
	h.env = h.suite.NewTestWorkflowEnvironment()
	h.env.SetStartTime(start)
	h.env.SetTestTimeout(30 * time.Second)
	h.env.RegisterWorkflow(TicketWorkflow)
	desk := &activities.ServiceDesk{Desk: client}
	notices := &activities.Notices{Notifier: n, Link: func(ref string) string { return "http://ui.test/ticket-" + ref }}
	h.env.RegisterActivity(desk)
	h.env.RegisterActivity(notices)
	h.env.RegisterActivity(&activities.Outbox{Desk: desk, Notices: notices})
	return h
}

// at applies an action d after the start; rejections are kept for assertions.
func (h *harness) at(d time.Duration, a ticket.Action, req ticket.Request) {
	h.env.RegisterDelayedCallback(func() {
		h.env.UpdateWorkflow(string(a), "", &testsuite.TestUpdateCallback{
			OnReject: func(err error) {
				h.mu.Lock()
				defer h.mu.Unlock()
				h.rejected = append(h.rejected, err.Error())
			},
			OnAccept:   func() {},
			OnComplete: func(any, error) {},
		}, req)
	}, d)
}

// view reads the ticket d after the start.
func (h *harness) view(d time.Duration, into *ticket.View) {
	h.env.RegisterDelayedCallback(func() {
		v, err := h.env.QueryWorkflow(QueryTicket)
		if err != nil {
			h.t.Errorf("query at %v: %v", d, err)
			return
		}
		if err := v.Get(into); err != nil {
			h.t.Errorf("decode view at %v: %v", d, err)
		}
	}, d)
}

// run starts the ticket and returns its final state.
func (h *harness) run(n ticket.NewTicket) *ticket.Ticket {
	h.t.Helper()
	h.env.ExecuteWorkflow(TicketWorkflow, TicketInput{New: n, Policy: &h.policy})
	if !h.env.IsWorkflowCompleted() {
		h.t.Fatal("workflow did not complete")
	}
	var out *ticket.Ticket
	if err := h.env.GetWorkflowResult(&out); err != nil {
		h.t.Fatalf("workflow failed: %v", err)
	}
	return out
}

func demoTicket(ref string, p ticket.Priority) ticket.NewTicket {
	return ticket.NewTicket{Ref: ref, Channel: ticket.ChannelPhone, Product: ticket.ProductOnline1010EZ,
		Summary: "Submit button spins forever", Category: "submission-error", Priority: p, Reporter: "hrc-agent-7"}
}

func by(actor, comment string) ticket.Request { return ticket.Request{Actor: actor, Comment: comment} }

func events(t *ticket.Ticket, action string) []ticket.Event {
	var out []ticket.Event
	for _, e := range t.Timeline {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

func clockView(v ticket.View, name string) ticket.ClockView {
	for _, c := range v.ClockViews {
		if c.Name == name {
			return c
		}
	}
	return ticket.ClockView{}
}

const day = 24 * time.Hour
