package simulation

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/ticket"
)

const header = "ref,at,action,priority,channel,product,summary,actor,comment,hold_reason,cancel_reason,duplicate_of,es_outcome,call_date\n"

func TestCSVErrorsNameTheLineAndColumn(t *testing.T) {
	open := "HRC-1,2026-12-01T09:00:00-05:00,open,High,phone,,Form stops,hrc,,,,,,\n"
	for _, c := range []struct{ csv, want string }{
		{"", "t.csv: empty file; want a header row"},
		{"ref,at\n", `t.csv line 1: header "ref,at", want`},
		{header + open + "HRC-1,yesterday,escalate,,,,,hrc,,,,,,\n", `t.csv line 3, column at: "yesterday" is not an RFC 3339 instant`},
		{header + open + "HRC-1,2026-12-01T10:00:00-05:00,escalate,,,,,hrc,,,,\n", "t.csv line 3: 12 columns, want 14"},
		{header + open + "HRC-1,2026-12-01T10:00:00-05:00,explode,,,,,hrc,,,,,,\n", `t.csv line 3, column action: unknown action "explode"`},
		{header + "HRC-2,2026-12-01T10:00:00-05:00,escalate,,,,,hrc,,,,,,\n", "t.csv line 2, column action: escalate on ticket HRC-2 before its open row"},
		{header + open + "HRC-1,2026-12-01T08:00:00-05:00,escalate,,,,,hrc,,,,,,\n", "t.csv line 3, column at: events of a ticket must be in time order"},
		{header + open + "HRC-1,2026-12-01T10:00:00-05:00,escalate,,,,,,,,,,,\n", "t.csv line 3, column actor: every action needs an actor"},
		{header + "HRC-1,2026-12-01T09:00:00-05:00,open,Critical,phone,,x,hrc,,,,,,\n", `t.csv line 2: unknown priority "Critical"`},
		{header, "t.csv: no ticket in the file"},
	} {
		_, err := ReadCSV(strings.NewReader(c.csv), "t.csv")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %s", c.csv, err, c.want)
		}
	}
}

func TestCSVRoundTrip(t *testing.T) {
	traffic, err := Generate(DefaultAssumptions(), time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), 2, 200, 7)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, traffic); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCSV(bytes.NewReader(b.Bytes()), "g.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 200 || back[17].New.Ref != traffic[17].New.Ref || len(back[17].Events) != len(traffic[17].Events) {
		t.Fatalf("read back %d tickets", len(back))
	}
	again, _ := Generate(DefaultAssumptions(), time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), 2, 200, 7)
	var b2 bytes.Buffer
	_ = WriteCSV(&b2, again)
	if b.String() != b2.String() {
		t.Fatal("the same seed gave different traffic")
	}
}

func TestPolicyFileErrorsNameTheField(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"{\n  \"resolution\": {\"Urgent\": \"24h\"},\n  \"warnigns\": [0.5]\n}", `p.json line 3: unknown field "warnigns"`},
		{"{\n  \"resolution\": {\n    \"Critical\": \"24h\"\n  }\n}", `p.json line 3: unknown field "resolution.Critical" (known here: High, Low, Medium, Urgent)`},
		{`{"businessHours": {"zone": "Mars/Olympus"}}`, "p.json: businessHours or holidays:"},
		{`{"resolution": {"High": "soon"}}`, `p.json: resolution.High "soon" is not a positive duration`},
		{`{"warnings": [1.5]}`, "p.json: warning threshold 1.5 must be between 0 and 1"},
		{`{"esStallCalls": "three"}`, "p.json line 1: esStallCalls must be a number"},
		{`{"holidays": {"extra": ["Christmas"]}}`, `p.json: holiday "Christmas" is not a date (YYYY-MM-DD)`},
		{`[]`, "p.json line 1: the file must be an object"},
	} {
		_, err := ReadPolicy([]byte(c.file), "p.json", ticket.DefaultPolicy())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant %s", c.file, err, c.want)
		}
	}
	p, err := ReadPolicy([]byte(`{"acknowledge": "24h", "es": {"Low": "60d"}, "businessHours": {"start": "07:00"}}`), "p.json", ticket.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if p.Acknowledge != 24*time.Hour || p.ES[ticket.PriorityLow] != 60*24*time.Hour || p.DayStart != "07:00" ||
		p.Resolution[ticket.PriorityHigh] != 7*24*time.Hour || ticket.DefaultPolicy().ES[ticket.PriorityLow] != 30*24*time.Hour {
		t.Fatalf("policy %+v", p)
	}
}

// The real history of a ticket becomes traffic that replays to the same ticket.
func TestHistoryReplaysToTheSameTicket(t *testing.T) {
	p := ticket.DefaultPolicy()
	cals, _ := ticket.NewCalendars(p)
	tk := ticket.Open(ticket.NewTicket{Ref: "HRC-9", Channel: ticket.ChannelWeb, Product: ticket.ProductOnline1010EZ,
		Summary: "Form stops", Priority: ticket.PriorityLow, Reporter: "hrc"}, p, cals, et(12, 1, 9, 0))
	steps := []struct {
		at time.Time
		a  ticket.Action
		r  ticket.Request
	}{
		{et(12, 1, 10, 0), ticket.ActEscalate, ticket.Request{Actor: "hrc"}},
		{et(12, 1, 11, 0), ticket.ActChangePriority, ticket.Request{Actor: "pm", Priority: ticket.PriorityHigh, Comment: "more calls: 12"}},
		{et(12, 1, 12, 0), ticket.ActRouteToES, ticket.Request{Actor: "vets", Comment: "ES record"}},
		{et(12, 1, 13, 0), ticket.ActHold, ticket.Request{Actor: "vets", Comment: "need: the date", HoldReason: ticket.HoldAwaitingCaller}},
		{et(12, 2, 13, 0), ticket.ActResume, ticket.Request{Actor: "vets"}},
		{et(12, 3, 10, 0), ticket.ActESAgenda, ticket.Request{Actor: "hcaops", CallDate: "2026-12-03"}},
		{et(12, 3, 11, 0), ticket.ActESOutcome, ticket.Request{Actor: "es", ESOutcome: ticket.ESWorking, CallDate: "2026-12-03", Comment: "on it"}},
		{et(12, 9, 11, 0), ticket.ActCancel, ticket.Request{Actor: "vets", Comment: "same", CancelReason: ticket.CancelDuplicate, DuplicateOf: "HRC-1"}},
	}
	for _, s := range steps {
		if err := tk.Check(s.a, s.r, s.at); err != nil {
			t.Fatal(err)
		}
		tk.Apply(s.a, s.r, cals, s.at)
	}
	traffic, err := FromHistory([]ticket.Ticket{*tk})
	if err != nil {
		t.Fatal(err)
	}
	tt := traffic[0]
	if tt.New.Priority != ticket.PriorityLow || len(tt.Events) != len(steps) {
		t.Fatalf("traffic opened %s with %d events", tt.New.Priority, len(tt.Events))
	}
	for i, s := range steps {
		if got := tt.Events[i]; got.Action != s.a || !got.At.Equal(s.at) || !reflect.DeepEqual(got.Request, s.r) {
			t.Errorf("event %d: %+v, want %s %+v", i, got, s.a, s.r)
		}
	}
	o, err := Simulate(tt, p, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, c := range tk.Clocks {
		if c.Phase != "not started" {
			want[c.Name] = map[bool]string{true: "missed", false: "met"}[c.Breached()]
		}
	}
	if o.State != ticket.StateCancelled || o.Priority != ticket.PriorityHigh || len(o.Verdicts) != len(want) {
		t.Fatalf("replayed to %+v, want %v", o, want)
	}
	for k, v := range want {
		if o.Verdicts[k] != v {
			t.Errorf("%s: %s, want %s", k, o.Verdicts[k], v)
		}
	}
}
