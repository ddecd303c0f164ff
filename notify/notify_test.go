package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// logged runs Log.Notify on m and returns the log line's fields and raw text.
func logged(t *testing.T, m Message) (map[string]any, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := (Log{Logger: zerolog.New(&buf)}).Notify(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(buf.Bytes(), &fields); err != nil {
		t.Fatalf("log line %q: %v", buf.String(), err)
	}
	return fields, buf.String()
}

func TestLogRedactsAddressesKeepsGroups(t *testing.T) {
	fields, raw := logged(t, Message{
		To:      []string{"vets.gov", "ES Tier 2/3", "hca-product-manager", "zq.veteran@example.com", "Zeb Q <zq@example.com>"},
		Subject: "[hcaops] ticket HRC-DEMO-1: resolution target breached",
		Body:    "Ticket HRC-DEMO-1 (High priority), owned by vets.gov: resolution clock breached.",
	})
	want := []any{"vets.gov", "ES Tier 2/3", "hca-product-manager", "<redacted>", "<redacted>"}
	if !reflect.DeepEqual(fields["to"], want) {
		t.Errorf("to = %v, want %v", fields["to"], want)
	}
	if fields["subject"] != "[hcaops] ticket HRC-DEMO-1: resolution target breached" {
		t.Errorf("subject = %v", fields["subject"])
	}
	if fields["body"] != "Ticket HRC-DEMO-1 (High priority), owned by vets.gov: resolution clock breached." {
		t.Errorf("body = %v", fields["body"])
	}
	if _, ok := fields["body_redacted"]; ok {
		t.Error("clean body marked redacted")
	}
	if strings.Contains(raw, "zq") || strings.Contains(raw, "example.com") {
		t.Errorf("log line leaks an address: %s", raw)
	}
}

func TestLogRedactsBodyAndSubjectWithPII(t *testing.T) {
	for _, body := range []string{
		"Your application failed; we wrote to zq.veteran@example.com.",
		"SSN on file 231-54-9876",
		"call back at (503) 555-0147",
		"ICN 1012667145V762142",
	} {
		fields, raw := logged(t, Message{To: []string{"vets.gov"}, Subject: "about " + body, Body: body})
		if fields["body_redacted"] != true || fields["subject_redacted"] != true {
			t.Errorf("body %q: body_redacted=%v subject_redacted=%v", body, fields["body_redacted"], fields["subject_redacted"])
		}
		if _, ok := fields["body"]; ok {
			t.Errorf("body %q logged", body)
		}
		for _, leak := range []string{"zq.veteran", "9876", "0147", "V762142"} {
			if strings.Contains(raw, leak) {
				t.Errorf("log line leaks %q: %s", leak, raw)
			}
		}
	}
}
