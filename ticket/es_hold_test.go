package ticket

import (
	"testing"
	"time"
)

// A ticket put on hold while with ES stays on the call's agenda; a call while it waits on
// the caller is listed but not counted toward "no ES progress", and what ES says on the
// call is recorded (resolved ends the hold).
func TestOnHoldWithESStaysOnTheAgenda(t *testing.T) {
	tk, now := ticketIn(t, "On Hold/ES")
	cals, _ := NewCalendars(tk.Policy)
	agenda := func(call string) {
		t.Helper()
		now = now.Add(7 * 24 * time.Hour)
		r := Request{Actor: SystemActor, CallDate: call}
		if err := tk.Check(ActESAgenda, r, now); err != nil {
			t.Fatalf("es-agenda %s: %v", call, err)
		}
		tk.Apply(ActESAgenda, r, cals, now)
	}
	for _, call := range []string{"2026-12-01", "2026-12-08", "2026-12-15", "2026-12-22"} {
		agenda(call)
	}
	if tk.ES.Calls != 4 || tk.ES.CallsWithoutProgress != 0 || tk.ES.Stalled {
		t.Fatalf("after four calls on hold awaiting the caller: %+v", tk.ES)
	}
	if got := tk.Timeline[len(tk.Timeline)-1].Comment; got != "on the ES call agenda 2026-12-22 while on hold awaiting the caller (not counted toward no ES progress)" {
		t.Errorf("timeline says %q", got)
	}
	r := Request{Actor: "vets-pm", ESOutcome: ESResolved, Comment: "ES fixed the record", CallDate: "2026-12-22"}
	if err := tk.Check(ActESOutcome, r, now); err != nil {
		t.Fatal(err)
	}
	tk.Apply(ActESOutcome, r, cals, now)
	if tk.State != StateResolved || tk.HeldFrom != "" || tk.HoldReason != "" {
		t.Errorf("after ES resolved it on hold: %s, held from %q, reason %q", tk.State, tk.HeldFrom, tk.HoldReason)
	}
}

// On hold awaiting a change, ES's silence counts as before.
func TestOnHoldAwaitingChangeStillCountsCalls(t *testing.T) {
	tk, now := ticketIn(t, "Awaiting ES")
	cals, _ := NewCalendars(tk.Policy)
	tk.Apply(ActHold, Request{Actor: "vets-op-1", Comment: "release on Friday", HoldReason: HoldAwaitingChange}, cals, now)
	for i, call := range []string{"2026-12-01", "2026-12-08", "2026-12-15", "2026-12-22"} {
		tk.Apply(ActESAgenda, Request{Actor: SystemActor, CallDate: call}, cals, now.Add(time.Duration(i+1)*7*24*time.Hour))
	}
	if tk.ES.CallsWithoutProgress != 4 || !tk.ES.Stalled {
		t.Errorf("after four calls on hold awaiting a change: %+v", tk.ES)
	}
}
