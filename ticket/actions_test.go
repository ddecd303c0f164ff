package ticket

import (
	"strings"
	"testing"
	"time"
)

func newTestTicket(t *testing.T) (*Ticket, Calendars, time.Time) {
	t.Helper()
	p := DefaultPolicy()
	cals, err := NewCalendars(p)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tk := Open(NewTicket{Ref: "HRC-1", Channel: ChannelPhone, Product: ProductOnline1010EZ, Summary: "Submit button does nothing",
		Priority: PriorityMedium, Reporter: "hrc-agent-1"}, p, cals, now)
	return tk, cals, now
}

func TestActionRules(t *testing.T) {
	cases := []struct {
		name  string
		state State
		a     Action
		req   Request
		want  string
	}{
		{"route needs comment", StateTriage, ActRouteToES, Request{Actor: "op"}, "route-to-es requires a comment"},
		{"hold needs comment", StateInProgress, ActHold, Request{Actor: "op", HoldReason: HoldAwaitingCaller}, "hold requires a comment"},
		{"resolve needs comment", StateInProgress, ActResolve, Request{Actor: "op", Comment: "  "}, "resolve requires a comment"},
		{"cancel needs comment", StateTriage, ActCancel, Request{Actor: "op", CancelReason: CancelNotAnIssue}, "cancel requires a comment"},
		{"hold needs reason", StateInProgress, ActHold, Request{Actor: "op", Comment: "x"}, "hold reason is required"},
		{"hold unknown reason", StateInProgress, ActHold, Request{Actor: "op", Comment: "x", HoldReason: "lunch"}, `unknown hold reason "lunch"`},
		{"duplicate needs master", StateTriage, ActCancel, Request{Actor: "op", Comment: "x", CancelReason: CancelDuplicate}, "a duplicate needs the ticket it duplicates"},
		{"duplicate of itself", StateTriage, ActCancel, Request{Actor: "op", Comment: "x", CancelReason: CancelDuplicate, DuplicateOf: "HRC-1"}, "cannot duplicate itself"},
		{"unknown priority", StateTriage, ActChangePriority, Request{Actor: "op", Priority: "Critical"}, `unknown priority "Critical"`},
		{"same priority", StateTriage, ActChangePriority, Request{Actor: "op", Priority: PriorityMedium}, "already Medium priority"},
		{"actor required", StateNew, ActEscalate, Request{}, "needs an actor"},
		{"comment with SSN", StateTriage, ActRouteToES, Request{Actor: "op", Comment: "caller 123-45-6789"}, "comment appears to contain a social security number"},
		{"unknown action", StateNew, "teleport", Request{Actor: "op"}, `unknown action "teleport"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tk, _, now := newTestTicket(t)
			tk.State = c.state
			err := tk.Check(c.a, c.req, now)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
			if strings.Contains(err.Error(), "123-45-6789") {
				t.Fatal("error echoes PII")
			}
		})
	}
}

func TestReopenOnlyWithinWindow(t *testing.T) {
	tk, cals, now := newTestTicket(t)
	tk.Apply(ActResolve, Request{Actor: "hrc", Comment: "password reset"}, cals, now)
	if err := tk.Check(ActReopen, Request{Actor: "hrc"}, now.Add(6*24*time.Hour)); err != nil {
		t.Fatalf("reopen on day 6: %v", err)
	}
	err := tk.Check(ActReopen, Request{Actor: "hrc"}, now.Add(7*24*time.Hour))
	if err == nil || !strings.Contains(err.Error(), "reopen window ended") {
		t.Fatalf("reopen on day 7: %v", err)
	}
}

func TestAcknowledgeOnce(t *testing.T) {
	tk, cals, now := newTestTicket(t)
	tk.Apply(ActEscalate, Request{Actor: "hrc"}, cals, now)
	tk.Apply(ActAcknowledge, Request{Actor: "vets"}, cals, now.Add(time.Hour))
	err := tk.Check(ActAcknowledge, Request{Actor: "vets"}, now.Add(2*time.Hour))
	if err == nil || !strings.Contains(err.Error(), "already acknowledged") {
		t.Fatalf("second acknowledge: %v", err)
	}
}

func TestNewTicketValidation(t *testing.T) {
	good := NewTicket{Ref: "HRC-2", Channel: "Phone", Product: "online-1010ez", Summary: "Form will not submit", Priority: "high", Reporter: "hrc-7"}
	if err := good.Validate(); err != nil {
		t.Fatalf("good ticket: %v", err)
	}
	bad := NewTicket{Ref: "123456789", Channel: "fax", Product: "paper", Summary: "", Priority: "Critical", Reporter: "",
		Description: "Veteran jane@example.com called"}
	err := bad.Validate()
	if err == nil {
		t.Fatal("bad ticket accepted")
	}
	for _, want := range []string{"ref looks like a social security number", `unknown channel "fax"`, `unknown product "paper"`,
		`unknown priority "Critical"`, "summary is required", "reporter is required", "description appears to contain an email address"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	for _, pii := range []string{"123456789", "jane@example.com"} {
		if strings.Contains(err.Error(), pii) {
			t.Errorf("error echoes %q", pii)
		}
	}
}

func TestESFollowUpStallsAfterCallsWithoutProgress(t *testing.T) {
	tk, cals, now := newTestTicket(t)
	tk.Apply(ActEscalate, Request{Actor: "hrc"}, cals, now)
	tk.Apply(ActRouteToES, Request{Actor: "vets", Comment: "ES side"}, cals, now)
	for i, call := range []string{"2026-11-24", "2026-12-01", "2026-12-08"} {
		tk.Apply(ActESAgenda, Request{Actor: SystemActor, CallDate: call}, cals, now)
		if tk.ES.Stalled {
			t.Fatalf("stalled after %d calls", i+1)
		}
		if i == 0 { // the first acknowledgement is progress; repeating it would not be
			tk.Apply(ActESOutcome, Request{Actor: "vets", ESOutcome: ESAcknowledged, CallDate: call}, cals, now)
		}
	}
	tk.Apply(ActESAgenda, Request{Actor: SystemActor, CallDate: "2026-12-10"}, cals, now)
	tk.Apply(ActESOutcome, Request{Actor: "vets", ESOutcome: ESAcknowledged, CallDate: "2026-12-10"}, cals, now)
	tk.Apply(ActESAgenda, Request{Actor: SystemActor, CallDate: "2026-12-15"}, cals, now)
	if !tk.ES.Stalled || tk.ES.Calls != 5 {
		t.Fatalf("after 3 calls without progress: stalled %v calls %d", tk.ES.Stalled, tk.ES.Calls)
	}
	tk.Apply(ActESOutcome, Request{Actor: "vets", ESOutcome: ESWorking, Comment: "patch in test", CallDate: "2026-12-15"}, cals, now)
	if tk.ES.Stalled || tk.ES.CallsWithoutProgress != 0 {
		t.Fatal("progress did not clear the stall")
	}
	if err := tk.Check(ActESOutcome, Request{Actor: "vets", ESOutcome: ESReturned}, now); err == nil {
		t.Fatal("returned without a comment accepted")
	}
	tk.Apply(ActESOutcome, Request{Actor: "vets", ESOutcome: ESReturned, Comment: "vets.gov form bug"}, cals, now)
	if tk.State != StateTriage || tk.Tier != TierVetsGov {
		t.Fatalf("returned: %s %s", tk.State, tk.Tier)
	}
}
