package payloadcodec

import (
	"errors"
	"strings"
	"testing"

	"go.temporal.io/sdk/temporal"
	"google.golang.org/protobuf/proto"
)

type form struct {
	Name string `json:"name"`
	SSN  string `json:"ssn"`
}

func TestDataConverterRoundTripsValuesAsCiphertext(t *testing.T) {
	dc := New(testRing(t, "k"), PlaintextRead).DataConverter()
	p, err := dc.ToPayload(form{Name: "Quinn Zebulon", SSN: "231549876"})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := proto.Marshal(p)
	if strings.Contains(string(raw), "231549876") || strings.Contains(string(raw), "json/plain") {
		t.Fatal("the stored payload shows the value or its encoding")
	}
	var back form
	if err := dc.FromPayload(p, &back); err != nil || back.SSN != "231549876" {
		t.Fatalf("round trip: %+v %v", back, err)
	}
}

func TestFailureConverterEncryptsMessagesAndStackTraces(t *testing.T) {
	c := New(testRing(t, "k"), PlaintextRead)
	fc := c.FailureConverter()
	cause := errors.New("ES refused Quinn Zebulon 231549876")
	f := fc.ErrorToFailure(temporal.NewNonRetryableApplicationError("submission refused for Quinn", "ESValidation", cause))
	raw, _ := proto.Marshal(f)
	for _, s := range []string{"Quinn", "231549876"} {
		if strings.Contains(string(raw), s) {
			t.Fatalf("failure proto contains %q: %v", s, f)
		}
	}
	if f.GetMessage() != "Encoded failure" || f.GetEncodedAttributes() == nil {
		t.Fatalf("message %q, encoded attributes %v", f.GetMessage(), f.GetEncodedAttributes())
	}
	// The error type stays readable: callers and tests branch on it.
	if f.GetApplicationFailureInfo().GetType() != "ESValidation" {
		t.Fatalf("type %q", f.GetApplicationFailureInfo().GetType())
	}
	back := fc.FailureToError(f)
	var app *temporal.ApplicationError
	if !errors.As(back, &app) || app.Message() != "submission refused for Quinn" || !strings.Contains(back.Error(), "231549876") {
		t.Fatalf("decoded failure: %v", back)
	}
}
