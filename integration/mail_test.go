package integration

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/hcaops/hcaops/notify/mailfake"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/workflows"
)

const (
	relayUser     = "hcaops-relay"
	relayPassword = "relay-pass-7"
	vetsOncall    = "oncall@vets.example.gov"
	vetsLead      = "lead@vets.example.gov"
	esSupport     = "es-support@es.example.gov"
	productMgr    = "hca-pm@va.example.gov"
	esLiaison     = "liaison@es.example.gov"
)

// relayHolder is the mail relay of the tests: go-smtp (mailfake) on a loopback port with a
// self-signed certificate, STARTTLS and AUTH PLAIN required. It can be stopped and started
// again on the same address, as a relay that goes down and comes back.
type relayHolder struct {
	mu        sync.Mutex
	relay     *mailfake.Relay
	cfg       mailfake.Config
	addr      string
	caFile    string
	directory string
}

func startRelay(dir string) (*relayHolder, error) {
	tlsCfg, _, caPEM, err := mailfake.SelfSigned("127.0.0.1")
	if err != nil {
		return nil, err
	}
	h := &relayHolder{cfg: mailfake.Config{TLS: tlsCfg, Username: relayUser, Password: relayPassword},
		caFile: filepath.Join(dir, "relay-ca.pem"), directory: filepath.Join(dir, "directory.txt")}
	if err := os.WriteFile(h.caFile, caPEM, 0o600); err != nil {
		return nil, err
	}
	directory := fmt.Sprintf("vets.gov: %s, Lead <%s>\nES Tier 2/3: %s\nhca-product-manager: %s\nes-liaison: %s\n",
		vetsOncall, vetsLead, esSupport, productMgr, esLiaison)
	if err := os.WriteFile(h.directory, []byte(directory), 0o600); err != nil {
		return nil, err
	}
	h.relay = mailfake.New(h.cfg)
	if h.addr, err = h.relay.Listen("127.0.0.1:0"); err != nil {
		return nil, err
	}
	return h, nil
}

func (h *relayHolder) current() *mailfake.Relay {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.relay
}

// stop takes the relay down: connections are refused until up.
func (h *relayHolder) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.relay.Close()
}

// up starts a fresh relay on the same address.
func (h *relayHolder) up(t *testing.T) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	h.relay = mailfake.New(h.cfg)
	if _, err := h.relay.Listen(h.addr); err != nil {
		t.Fatalf("relay up again on %s: %v", h.addr, err)
	}
}

// mailAbout returns the received messages whose subject names ref and contains what.
func mailAbout(t *testing.T, ref, what string) []mailfake.Summary {
	t.Helper()
	var out []mailfake.Summary
	for _, m := range env.mail.current().Messages() {
		s, err := mailfake.Decode(m)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(s.Subject, ref+":") && strings.Contains(s.Subject, what) {
			out = append(out, s)
		}
	}
	return out
}

// perRecipient counts the copies each envelope recipient got.
func perRecipient(ms []mailfake.Summary) map[string]int {
	n := map[string]int{}
	for _, m := range ms {
		for _, to := range m.To {
			n[to]++
		}
	}
	return n
}

// waitClosed cancels the ticket and waits for its workflow to complete, which it does only
// once every queued notice has been delivered (or refused for good).
func waitClosed(t *testing.T, ref string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := env.ops.Act(ctx, ref, ticket.ActCancel, ticket.Request{Actor: "it-operator", Comment: "test over",
		CancelReason: ticket.CancelNotAnIssue}); err != nil {
		t.Fatal(err)
	}
	if err := env.client.GetWorkflow(ctx, workflows.TicketWorkflowID(ref), "").Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
}

// An Urgent ticket breaches its 4 s resolution target on the real server: the breach
// notice reaches every address of vets.gov and the product manager exactly once, over
// STARTTLS with AUTH, with one Message-ID for the event and the ticket's link.
func TestBreachEmailsEachRecipientOnce(t *testing.T) {
	ref := uniqueRef(t, "IT-MAIL")
	open(t, ref, "Urgent")
	ok(t, "ticketctl", "escalate", ref, "-m", "many callers")
	eventually(t, 30*time.Second, "the breach email", func() bool { return len(mailAbout(t, ref, "resolution target breached")) >= 3 })
	waitClosed(t, ref)

	breach := mailAbout(t, ref, "resolution target breached")
	if got, want := perRecipient(breach), map[string]int{vetsOncall: 1, vetsLead: 1, productMgr: 1}; !reflect.DeepEqual(got, want) {
		t.Fatalf("breach emails per recipient %v, want %v", got, want)
	}
	ids := map[string]bool{}
	for _, m := range breach {
		ids[m.MessageID] = true
		if !m.TLS || m.AuthUser != relayUser || m.From != "noreply@hcaops.example" {
			t.Errorf("sent without STARTTLS/AUTH or from %q: %+v", m.From, m)
		}
		if !strings.Contains(m.Body, "Open the ticket: http://localhost:8233/namespaces/"+env.namespace+"/workflows/ticket-"+ref) {
			t.Errorf("no link to the ticket in %q", m.Body)
		}
		if strings.Contains(m.Body, "insurance page") {
			t.Errorf("the notice carries the summary: %q", m.Body)
		}
	}
	if len(ids) != 1 {
		t.Errorf("%d Message-IDs for one breach, want 1: %v", len(ids), ids)
	}
	// The warnings at 50% and 75% went to vets.gov only, once each.
	for _, pct := range []string{"50%", "75%"} {
		if got, want := perRecipient(mailAbout(t, ref, "resolution clock at "+pct)), map[string]int{vetsOncall: 1, vetsLead: 1}; !reflect.DeepEqual(got, want) {
			t.Errorf("%s warning per recipient %v, want %v", pct, got, want)
		}
	}
	assertNoPII(t, "worker log", env.logs.String())
}

// The relay is down when the breach comes: the notice activity retries on the server's
// schedule, and once the relay is back every recipient has exactly one copy.
func TestRelayDownThenUpDeliversOnce(t *testing.T) {
	ref := uniqueRef(t, "IT-DOWN")
	open(t, ref, "Urgent")
	env.mail.stop()
	down := time.Now()
	ok(t, "ticketctl", "escalate", ref, "-m", "many callers")
	// Wait until the notice activity has failed at least twice against the closed port.
	var attempts int32
	eventually(t, 40*time.Second, "retries of the notice", func() bool {
		d, err := env.client.DescribeWorkflowExecution(context.Background(), workflows.TicketWorkflowID(ref), "")
		if err != nil {
			return false
		}
		for _, pa := range d.PendingActivities {
			if pa.ActivityType.GetName() == "NotifyEscalation" && pa.Attempt >= 3 && pa.State != enumspb.PENDING_ACTIVITY_STATE_STARTED {
				attempts = pa.Attempt
				return true
			}
		}
		return false
	})
	env.mail.up(t)
	upAt := time.Now()
	eventually(t, 60*time.Second, "the breach email after the relay is back", func() bool {
		return len(mailAbout(t, ref, "resolution target breached")) >= 3
	})
	delivered := time.Now()
	waitClosed(t, ref)
	if got, want := perRecipient(mailAbout(t, ref, "resolution target breached")), map[string]int{vetsOncall: 1, vetsLead: 1, productMgr: 1}; !reflect.DeepEqual(got, want) {
		t.Fatalf("breach emails per recipient %v, want %v", got, want)
	}
	for _, pct := range []string{"50%", "75%"} {
		if got, want := perRecipient(mailAbout(t, ref, "resolution clock at "+pct)), map[string]int{vetsOncall: 1, vetsLead: 1}; !reflect.DeepEqual(got, want) {
			t.Errorf("%s warning per recipient %v, want %v", pct, got, want)
		}
	}
	t.Logf("relay down %.1fs; the first notice had failed %d attempts; first breach copy %.1fs after the relay came back",
		upAt.Sub(down).Seconds(), attempts-1, delivered.Sub(upAt).Seconds())
}

// A permanent refusal (550) of one address is final: the others get the notice, nothing
// is retried, and the ticket's timeline records the refusal without the address.
func TestPermanentRefusalIsRecordedInTheTimeline(t *testing.T) {
	ref := uniqueRef(t, "IT-550")
	env.mail.current().RejectRcptTo(productMgr, 1, 550)
	open(t, ref, "Urgent")
	ok(t, "ticketctl", "escalate", ref, "-m", "many callers")
	var failed []ticket.Event
	eventually(t, 30*time.Second, "notify-failed in the timeline", func() bool {
		v, err := env.ops.Show(context.Background(), ref)
		if err != nil {
			return false
		}
		failed = failed[:0]
		for _, e := range v.Timeline {
			if e.Action == "notify-failed" {
				failed = append(failed, e)
			}
		}
		return len(failed) > 0
	})
	waitClosed(t, ref)
	if len(failed) != 1 || !strings.Contains(failed[0].Comment, "550") || strings.Contains(failed[0].Comment, productMgr) {
		t.Fatalf("notify-failed events %+v", failed)
	}
	if got, want := perRecipient(mailAbout(t, ref, "resolution target breached")), map[string]int{vetsOncall: 1, vetsLead: 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("breach emails per recipient %v, want %v (the product manager's address refused)", got, want)
	}
}
