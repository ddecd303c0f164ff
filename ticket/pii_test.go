package ticket

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// The guard's answers, written by hand: what tickets legitimately say passes unchanged,
// what a caller's details look like is masked, each with its kind.
func TestMaskPII(t *testing.T) {
	for _, tc := range []struct {
		in    string
		want  string // "" means unchanged
		kinds []PIIKind
	}{
		// Let through.
		{in: "DOB picker broken"},
		{in: "born before 1950"},
		{in: "caller was given HRC's number 877-222-8387"},
		{in: "call HRC at 1-877-222-8387"},
		{in: "formSubmissionId 401246681"},
		{in: "form submission id: 401246681 stuck in 102"},
		{in: "ES formSubmissionId 40124668140 processed"}, // 11 digits: not an SSN
		{in: "Invalid SSN; Invalid date of birth"},        // ES's fault text, no values
		{in: "since 11/24/2026 the page hangs"},           // a date of the incident
		{in: "ping @team about release 2026-11-24"},
		{in: "incident INC0012345"},
		{in: "at 1732560000 (Unix time) in /tmp/run2758136172/001"}, // ten bare digits: not a phone
		{in: "in /tmp/TestDailyReport275813617/001"},                // nine digits inside a word

		// Caught.
		{"SSN 123 45 6789", "SSN [ssn removed]", []PIIKind{PIISSN}},
		{"ssn#x123-45-6789", "ssn#x[ssn removed]", []PIIKind{PIISSN}},
		{"caller 123456789 cannot log in", "caller [ssn removed] cannot log in", []PIIKind{PIISSN}},
		{"birthday 01/10/1955", "birthday [date of birth removed]", []PIIKind{PIIDateOfBirth}},
		{"DOB: 1/10/55", "DOB: [date of birth removed]", []PIIKind{PIIDateOfBirth}},
		{"born on January 10, 1955", "born on [date of birth removed]", []PIIKind{PIIDateOfBirth}},
		{"reach me at jane.doe＠example.com", "reach me at [email removed]", []PIIKind{PIIEmail}},
		{"ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "[email removed]", []PIIKind{PIIEmail}},
		{"SSN １２３-４５-６７８９", "SSN [ssn removed]", []PIIKind{PIISSN}},
		{"call back (503) 555-0147", "call back [phone removed]", []PIIKind{PIIPhone}},
		{"call back +1 503 555 0147 or 503.555.0148", "call back [phone removed] or [phone removed]", []PIIKind{PIIPhone}},
		{"ICN 1012667145V762142", "ICN [icn removed]", []PIIKind{PIIICN}},
		{"ssn 123-45-6789 and jane@example.com, dob 01/10/1955",
			"ssn [ssn removed] and [email removed], dob [date of birth removed]",
			[]PIIKind{PIIDateOfBirth, PIIEmail, PIISSN}},
		{"two: 123456789 987654321", "two: [ssn removed] [ssn removed]", []PIIKind{PIISSN}},
	} {
		got, kinds := MaskPII(tc.in)
		want := tc.want
		if want == "" {
			want = tc.in
		}
		if got != want || !reflect.DeepEqual(kinds, tc.kinds) {
			t.Errorf("MaskPII(%q) = %q, %v; want %q, %v", tc.in, got, kinds, want, tc.kinds)
		}
		if pii := LooksLikePII(tc.in); (pii != "") != (len(tc.kinds) > 0) {
			t.Errorf("LooksLikePII(%q) = %q, disagrees with MaskPII", tc.in, pii)
		}
	}
}

func TestCleanText(t *testing.T) {
	for _, tc := range []struct {
		f       Field
		in      string
		want    string
		removed int
	}{
		{FieldSummary, "ok\r# Injected heading", "ok # Injected heading", 1},
		{FieldSummary, "a\nb\tc", "a b c", 2},
		{FieldSummary, "nul\x00 esc\x1b[31m del\x7f c1\u0085", "nul esc[31m del c1", 4},
		{FieldSummary, "abc\u202Eevil", "abcevil", 1},
		{FieldSummary, "bad \xff utf-8", "bad \uFFFD utf-8", 1},
		{FieldDescription, "line 1\r\nline 2\rline 3\nline 4\u2028line 5", "line 1\nline 2\nline 3\nline 4\nline 5", 0},
		{FieldComment, "tab\there\x00", "tab here", 2},
		{FieldSummary, "Form stops at the insurance page", "Form stops at the insurance page", 0},
	} {
		got, removed := CleanText(tc.f, tc.in)
		if got != tc.want || removed != tc.removed {
			t.Errorf("CleanText(%s, %q) = %q, %d; want %q, %d", tc.f, tc.in, got, removed, tc.want, tc.removed)
		}
	}
}

func TestFromDesk(t *testing.T) {
	text, flag := FromDesk(FieldSummary, "caller SSN 123 45 6789\r\n cannot submit")
	if text != "caller SSN [ssn removed]   cannot submit" {
		t.Errorf("text = %q", text)
	}
	if flag == nil || flag.Field != FieldSummary || !reflect.DeepEqual(flag.Kinds, []PIIKind{PIISSN}) {
		t.Fatalf("flag = %+v", flag)
	}
	if got := flag.Describe(); got != "masked what looked like a social security number in the summary" {
		t.Errorf("Describe = %q", got)
	}
	if text, flag := FromDesk(FieldDescription, "DOB picker broken"); text != "DOB picker broken" || flag != nil {
		t.Errorf("clean text changed: %q, %+v", text, flag)
	}
	long, _ := FromDesk(FieldSummary, strings.Repeat("x", 300))
	if n := len([]rune(long)); n != MaxSummary || !strings.HasSuffix(long, "…") {
		t.Errorf("summary of 300 cut to %d runes", n)
	}
	// Whatever FromDesk returns is a valid ticket: nothing from the desk is lost.
	n := NewTicket{Ref: "HRC-9", Channel: ChannelPhone, Product: ProductOnline1010EZ, Priority: PriorityLow, Reporter: "sdm"}
	n.Summary, _ = FromDesk(FieldSummary, "jane＠example.com says\x00 the form\r\nhangs")
	n.Description, _ = FromDesk(FieldDescription, strings.Repeat("born 01/10/1955 ", 200))
	if err := n.Validate(); err != nil {
		t.Errorf("a ticket built from FromDesk does not validate: %v", err)
	}
}

func TestCLIRefusesControlCharacters(t *testing.T) {
	n := NewTicket{Ref: "HRC-9", Channel: ChannelPhone, Product: ProductOnline1010EZ, Priority: PriorityLow,
		Reporter: "hrc-agent-1", Summary: "ok\r# Injected heading", Description: "line 1\nline 2"}
	err := n.Validate()
	if err == nil || !strings.Contains(err.Error(), "summary contains 1 control character(s)") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "description contains") {
		t.Errorf("a description with a line break refused: %v", err)
	}
	n.Summary = "DOB picker broken"
	if err := n.Validate(); err != nil {
		t.Errorf("DOB picker broken refused: %v", err)
	}
}

func TestPIIFlagRecordedOnOpenAndAction(t *testing.T) {
	p := DefaultPolicy()
	cals, _ := NewCalendars(p)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	sum, flag := FromDesk(FieldSummary, "caller jane@example.com cannot sign in")
	tk := Open(NewTicket{Ref: "SDM-1", Channel: ChannelPhone, Product: ProductOnline1010EZ, Summary: sum,
		Priority: PriorityLow, Reporter: "sdm", PIIFlags: []PIIFlag{*flag}}, p, cals, now)
	if !tk.PIIFlagged || len(tk.Timeline) != 2 || tk.Timeline[1].Action != "pii-masked" {
		t.Fatalf("flagged %v, timeline %+v", tk.PIIFlagged, tk.Timeline)
	}
	if c := tk.Timeline[1].Comment; c != "masked what looked like an email address in the summary; please remove it from the incident as well" {
		t.Errorf("comment = %q", c)
	}
	comment, f := FromDesk(FieldComment, "caller says DOB 01/10/1955")
	tk.Apply(ActEscalate, Request{Actor: "sdm", Comment: comment, PIIFlags: []PIIFlag{*f}}, cals, now)
	last := tk.Timeline[len(tk.Timeline)-1]
	if last.Action != "pii-masked" || !strings.Contains(last.Comment, "a date of birth in the comment") {
		t.Errorf("last event %+v", last)
	}
	for _, ev := range tk.Timeline {
		if strings.Contains(ev.Comment, "jane") || strings.Contains(ev.Comment, "1955") {
			t.Errorf("timeline keeps the value: %q", ev.Comment)
		}
	}
}
