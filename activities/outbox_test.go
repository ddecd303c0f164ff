package activities

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/hcaops/hcaops/notify"
	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/servicedesk/sdm/sdmfake"
	"github.com/hcaops/hcaops/ticket"
)

func newOutbox(t *testing.T) (*Outbox, *sdmfake.Fake, *time.Time) {
	t.Helper()
	f, c := fakeSDM(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	o := &Outbox{Desk: &ServiceDesk{Desk: c}, Notices: &Notices{}, Cooldown: time.Minute, SlowAfter: time.Hour}
	o.now = func() time.Time { return now }
	return o, f, &now
}

// deliver runs DeliverOutbox as the ticket does, a local activity.
func deliver(t *testing.T, o *Outbox, in DeliveryInput) DeliveryResult {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(o)
	v, err := env.ExecuteLocalActivity(o.DeliverOutbox, in)
	if err != nil {
		t.Fatalf("DeliverOutbox returned an error (it reports failures in its result): %v", err)
	}
	var res DeliveryResult
	if err := v.Get(&res); err != nil {
		t.Fatal(err)
	}
	return res
}

func mirrorItem(ref string, i int, s servicedesk.Status) DeliveryItem {
	return DeliveryItem{Mirror: &MirrorInput{Ref: ref, Key: ref + "#" + string(rune('0'+i)), Status: &s, Comment: "[act by op] note", Action: "act"}}
}

// One call opens the incident and delivers every item in order; delivering the same
// items again (a retried workflow task) writes nothing twice.
func TestOutboxDeliversEverythingInOneCall(t *testing.T) {
	o, f, _ := newOutbox(t)
	in := DeliveryInput{Open: &OpenIncidentInput{Ticket: ticket.NewTicket{Ref: "HRC-9", Summary: "form stalls",
		Priority: ticket.PriorityLow, Channel: ticket.ChannelPhone}, Group: servicedesk.GroupHRC},
		Items: []DeliveryItem{mirrorItem("HRC-9", 0, servicedesk.StatusOpen), mirrorItem("HRC-9", 1, servicedesk.StatusInProgress)}}
	res := deliver(t, o, in)
	if res.Failed != nil || res.Done != 2 || res.Opened == nil || res.Opened.System != "sdm" {
		t.Fatalf("delivery: %+v", res)
	}
	in.Open, in.Incident = nil, *res.Opened
	if res := deliver(t, o, in); res.Done != 2 {
		t.Fatalf("again: %+v", res)
	}
	incs := f.Incidents()
	if len(incs) != 1 || incs[0].Status != "WIP" {
		t.Fatalf("SDM holds %+v", incs)
	}
	comments := 0
	for _, e := range incs[0].Log {
		if e.Type == "LOG" {
			comments++
		}
	}
	if comments != 2 {
		t.Errorf("%d comments in the activity log, want 2 (one per key)", comments)
	}
}

// A desk that fails stops the delivery at the item, reported in the result, and is set
// aside: the next ticket's delivery does not call it until the cool-down is over.
func TestOutboxSetsAFailingDeskAside(t *testing.T) {
	o, f, now := newOutbox(t)
	ctx := context.Background()
	inc, err := o.Desk.Desk.EnsureIncident(ctx, servicedesk.NewIncident{Ref: "HRC-10", Summary: "s"})
	if err != nil {
		t.Fatal(err)
	}
	link := ticket.IncidentLink{System: "sdm", ID: inc.ID, Number: inc.Number}
	in := DeliveryInput{Incident: link, Items: []DeliveryItem{
		mirrorItem("HRC-10", 0, servicedesk.StatusOpen), mirrorItem("HRC-10", 1, servicedesk.StatusInProgress)}}
	f.FailAfter(3, 100, 503) // the first item goes through (a PUT, a log read, a POST), then SDM is down
	res := deliver(t, o, in)
	if res.Done != 1 || res.Failed == nil || res.Failed.Final {
		t.Fatalf("delivery into an outage: %+v", res)
	}
	calls := len(f.Requests())
	res = deliver(t, o, DeliveryInput{Incident: link, Items: in.Items[1:]})
	if res.Done != 0 || res.Failed == nil || len(f.Requests()) != calls {
		t.Fatalf("a desk set aside was called again: %+v, %d requests after %d", res, len(f.Requests()), calls)
	}
	f.FailNext(0, 0)
	*now = now.Add(2 * time.Minute)
	if res := deliver(t, o, DeliveryInput{Incident: link, Items: in.Items[1:]}); res.Done != 1 || res.Failed != nil {
		t.Fatalf("after the cool-down: %+v", res)
	}
}

// A refusal that will not change is final: the ticket records it instead of retrying.
func TestOutboxReportsAFinalRefusal(t *testing.T) {
	o, _, _ := newOutbox(t)
	res := deliver(t, o, DeliveryInput{
		Incident: ticket.IncidentLink{System: "servicenow", ID: "x"}, Items: []DeliveryItem{mirrorItem("HRC-11", 0, servicedesk.StatusOpen)}})
	if res.Failed == nil || !res.Failed.Final || res.Done != 0 {
		t.Fatalf("a desk the worker cannot reach: %+v", res)
	}
}

// sentNotices records the notices handed to it, one per recipient.
type sentNotices struct{ to []string }

func (s *sentNotices) Notify(_ context.Context, m notify.Message) error {
	for _, to := range m.To {
		if !m.Progress.Delivered(to) {
			s.to = append(s.to, to)
			m.Progress.MarkDelivered(to)
		}
	}
	return nil
}

// A desk that refuses to open the incident fails the first item for the desk, not a notice
// queued before it: the incident is opened where the desk is first needed, as on the
// retrying path, and the notice goes out.
func TestOutboxSendsNoticesWhenTheDeskRefusesTheIncident(t *testing.T) {
	o, f, _ := newOutbox(t)
	sent := &sentNotices{}
	o.Notices = &Notices{Notifier: sent}
	f.FailNext(1, 400) // SDM refuses the incident
	in := DeliveryInput{Open: &OpenIncidentInput{Ticket: ticket.NewTicket{Ref: "HRC-12", Summary: "form stalls",
		Priority: ticket.PriorityHigh, Channel: ticket.ChannelPhone}, Group: servicedesk.GroupHRC},
		Items: []DeliveryItem{{Notify: &Escalation{Ref: "HRC-12", Kind: NoticeOpened, To: []string{"pm@va.example.gov"}, Key: "HRC-12#0"}},
			mirrorItem("HRC-12", 0, servicedesk.StatusOpen)}}
	res := deliver(t, o, in)
	if res.Done != 1 || res.Failed == nil || !res.Failed.Final || res.Opened != nil {
		t.Fatalf("delivery: %+v (want the notice done, then a final refusal at the incident)", res)
	}
	if len(sent.to) != 1 || sent.to[0] != "pm@va.example.gov" {
		t.Fatalf("notices sent to %v, want the product manager once", sent.to)
	}
}
