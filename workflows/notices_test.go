package workflows

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcaops/hcaops/notify"
	"github.com/hcaops/hcaops/ticket"
)

// Every notice names its event (the timeline index) and links to the ticket; no two
// events share a key, and the summary a person typed is not in breach notices.
func TestBreachNoticesCarryEventKeyAndLink(t *testing.T) {
	h := newHarness(t, monday, ticket.DefaultPolicy())
	h.at(time.Hour, ticket.ActEscalate, by("hrc-agent-7", "outage reports"))
	h.at(20*day, ticket.ActResolve, by("vets-oncall", "fixed at last"))
	final := h.run(demoTicket("HRC-201", ticket.PriorityUrgent))

	keys := map[string]bool{}
	for _, m := range h.notes.msgs {
		if keys[m.Key] || !strings.HasPrefix(m.Key, "HRC-201#") {
			t.Errorf("key %q repeated or malformed", m.Key)
		}
		keys[m.Key] = true
		if !strings.Contains(m.Body, "Open the ticket: http://ui.test/ticket-HRC-201\n") {
			t.Errorf("no link in %q", m.Body)
		}
		if strings.Contains(m.Body, "Submit button") {
			t.Errorf("notice carries the summary: %q", m.Body)
		}
	}
	// 4 warnings and 2 breaches, each a timeline event of its own.
	if len(keys) != 6 {
		t.Fatalf("%d notices, want 6", len(keys))
	}
	for _, e := range events(final, "sla-breach") {
		i := indexOf(final, e)
		if !keys[fmt.Sprintf("HRC-201#%d", i)] {
			t.Errorf("breach at timeline %d has no notice with its key (keys %v)", i, keys)
		}
	}
}

func indexOf(t *ticket.Ticket, e ticket.Event) int {
	for i, x := range t.Timeline {
		if x == e {
			return i
		}
	}
	return -1
}

// refusingNotifier refuses every message for good, as a relay does with a 5xx.
type refusingNotifier struct {
	mu    sync.Mutex
	calls int
}

func (r *refusingNotifier) Notify(context.Context, notify.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	return &notify.SendError{Recipients: 2, Stage: "recipient 1: rcpt to", Code: 550, Permanent: true, Err: errors.New("550 5.1.1 <redacted>: Recipient address rejected")}
}

// A relay's permanent refusal is final: tried once, recorded in the timeline, and the
// ticket goes on.
func TestRefusedNoticeIsRecordedOnce(t *testing.T) {
	refusing := &refusingNotifier{}
	h2 := newHarnessNotifier(t, refusing)
	h2.at(time.Hour, ticket.ActEscalate, by("hrc-agent-7", ""))
	h2.at(3*day, ticket.ActResolve, by("vets-oncall", "fixed"))
	final := h2.run(demoTicket("HRC-202", ticket.PriorityUrgent))
	failed := events(final, "notify-failed")
	// In 3 days: the acknowledge clock's 50% warning (24 business hours), the resolution
	// clock's 50% and 75% warnings and its 48 h breach: 4 notices, each refused once.
	if len(failed) != 4 || refusing.calls != 4 {
		t.Fatalf("%d notify-failed events, %d attempts; want 4 and 4: %v", len(failed), refusing.calls, actions(final))
	}
	if !strings.Contains(failed[0].Comment, "550 5.1.1 <redacted>") {
		t.Errorf("recorded %q", failed[0].Comment)
	}
	if final.State != ticket.StateClosed {
		t.Errorf("ticket ended %s", final.State)
	}
}

// An ES outage ticket (Announce) tells vets.gov, ES, the ES liaisons and the product
// manager when it opens and when it is resolved.
func TestAnnouncedTicketNotifiesOpeningAndResolution(t *testing.T) {
	h := newHarness(t, monday, ticket.DefaultPolicy())
	h.at(time.Hour, ticket.ActResolve, by(ticket.SystemActor, "ES reachable again after 1h"))
	n := demoTicket("ESOUTAGE-20261130T1000", ticket.PriorityUrgent)
	n.Summary, n.Announce = "ES interface unreachable from vets.gov", true
	h.run(n)
	want := []string{"vets.gov", "ES Tier 2/3", "es-liaison", "hca-product-manager"}
	var kinds []string
	for _, m := range h.notes.msgs {
		if !reflect.DeepEqual(m.To, want) {
			t.Errorf("%q to %q, want %q", m.Subject, m.To, want)
		}
		kinds = append(kinds, strings.SplitN(strings.TrimPrefix(m.Subject, "[hcaops] ESOUTAGE-20261130T1000: "), ":", 2)[0])
	}
	if !reflect.DeepEqual(kinds, []string{"opened", "resolved"}) {
		t.Fatalf("notices %q, want opened then resolved", kinds)
	}
	if body := h.notes.msgs[0].Body; !strings.Contains(body, "is opened: ES interface unreachable from vets.gov\n") {
		t.Errorf("opening notice body %q", body)
	}
}

// Text masked on intake from the desk flags the incident for the agent.
func TestMaskedDeskTextFlagsTheIncident(t *testing.T) {
	h := newHarness(t, monday, ticket.DefaultPolicy())
	h.at(time.Hour, ticket.ActCancel, ticket.Request{Actor: "hrc-agent-7", Comment: "test ticket", CancelReason: ticket.CancelNotAnIssue})
	n := demoTicket("SDM-301", ticket.PriorityLow)
	var flag *ticket.PIIFlag
	n.Summary, flag = ticket.FromDesk(ticket.FieldSummary, "caller SSN 123-45-6789 cannot submit")
	n.PIIFlags = []ticket.PIIFlag{*flag}
	final := h.run(n)
	if !final.PIIFlagged || len(events(final, "pii-masked")) != 1 {
		t.Fatalf("flagged %v, timeline %v", final.PIIFlagged, actions(final))
	}
	inc := h.sdm.Incidents()
	if len(inc) != 1 {
		t.Fatalf("%d incidents", len(inc))
	}
	found := false
	for _, l := range inc[0].Log {
		if strings.Contains(l.Description, "[pii-masked by hcaops] masked what looked like a social security number in the summary") {
			found = true
		}
		if strings.Contains(l.Description, "6789") {
			t.Errorf("incident log keeps the value: %q", l.Description)
		}
	}
	if !found || strings.Contains(inc[0].Summary, "6789") {
		t.Errorf("incident summary %q, log %+v", inc[0].Summary, inc[0].Log)
	}
}
