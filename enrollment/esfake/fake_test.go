package esfake_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/enrollmenttest"
	"github.com/hcaops/hcaops/enrollment/esfake"
)

func startFake(t *testing.T) (*esfake.Fake, *enrollment.Client) {
	t.Helper()
	fake := esfake.New()
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	c, err := enrollment.NewClient(enrollment.Config{Endpoint: srv.URL + "/voa/voaSvc"})
	if err != nil {
		t.Fatal(err)
	}
	return fake, c
}

func TestFaultsOverHTTP(t *testing.T) {
	fake := esfake.New()
	srv := httptest.NewServer(fake.Handler())
	defer srv.Close()
	do := func(method, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+"/_fake/faults", strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	if code, body := do("POST", `{"unavailable503": -1, "latency": "250ms", "stuckIds": [40124668140], "answerLost": 2}`); code != 200 || !strings.Contains(body, `"latency": "250ms"`) {
		t.Fatalf("POST = %d %s", code, body)
	}
	// A POST changes only the fields it names.
	if code, body := do("POST", `{"reportMissing": ["2026-03-01"], "errorRate": 0.25, "proxyError": 1, "proxyStatus": 504}`); code != 200 {
		t.Fatalf("POST = %d %s", code, body)
	}
	want := esfake.Faults{Unavailable503: -1, Latency: 250 * time.Millisecond, StuckIDs: []int64{40124668140}, AnswerLost: 2,
		ReportMissing: []string{"2026-03-01"}, ErrorRate: 0.25, ProxyError: 1, ProxyStatus: 504}
	if got := fake.Faults(); !reflect.DeepEqual(got, want) {
		t.Errorf("Faults = %+v\nwant %+v", got, want)
	}
	_, body := do("GET", "")
	var shown esfake.Faults
	if err := json.Unmarshal([]byte(body), &shown); err != nil || !reflect.DeepEqual(shown, want) {
		t.Errorf("GET = %s (%v)", body, err)
	}

	for _, bad := range []string{`{"errorRate": 2}`, `{"unavailable": 1}`, `{"latency": "soon"}`, `{"stuckStatus": 104}`,
		`{"reportMissing": ["yesterday"]}`, `{"validationCode": "VOA_0240"}`, `{"proxyStatus": 200}`, `{"stuckKeys": ["k"]}`, `not json`} {
		if code, body := do("POST", bad); code != http.StatusBadRequest {
			t.Errorf("POST %s = %d %s, want 400", bad, code, body)
		}
	}
	if got := fake.Faults(); !reflect.DeepEqual(got, want) {
		t.Errorf("a rejected POST changed the faults: %+v", got)
	}
	if code, _ := do("DELETE", ""); code != 200 || !reflect.DeepEqual(fake.Faults(), esfake.Faults{}) {
		t.Errorf("DELETE left %+v", fake.Faults())
	}
}

// The fake keeps no PII: /_fake/submissions shows ids, statuses and an opaque applicant token.
func TestSubmissionsDumpHasNoPII(t *testing.T) {
	fake, c := startFake(t)
	app := enrollmenttest.Named(enrollmenttest.Married, "0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c11")
	if _, err := c.Submit(context.Background(), &app, time.Now()); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	fake.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/_fake/submissions", nil))
	var subs []esfake.Submission
	if err := json.Unmarshal(rec.Body.Bytes(), &subs); err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].FormSubmissionID != esfake.FirstFormSubmissionID || len(subs[0].Applicant) != 16 {
		t.Errorf("submissions = %s", rec.Body)
	}
	for _, v := range enrollmenttest.PIIValues {
		if strings.Contains(rec.Body.String(), v) {
			t.Errorf("/_fake/submissions shows %q", v)
		}
	}
}

// The same seed gives the same sequence of injected server errors.
func TestErrorRateIsDeterministic(t *testing.T) {
	run := func() string {
		fake, c := startFake(t)
		if err := fake.SetFaults(esfake.Faults{ErrorRate: 0.5, Seed: 42}); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for range 40 {
			if err := c.HealthCheck(context.Background(), 1); err != nil {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	first, second := run(), run()
	if first != second {
		t.Fatalf("sequences differ:\n%s\n%s", first, second)
	}
	if n := strings.Count(first, "x"); n < 8 || n > 32 {
		t.Errorf("%d of 40 calls failed at rate 0.5: %s", n, first)
	}
}

func TestRoutes(t *testing.T) {
	h := esfake.New().Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/voa/voaSvc", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET /voa/voaSvc = %d", rec.Code)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/reports/daily/latest.csv", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("GET bad report name = %d", rec.Code)
	}
}

// Injected validation faults are written as ES writes them (vets-api's fixture
// spec/fixtures/hca/validation_error.xml): faultstring formSubmissionException and a
// VoaFaultException detail in the VOA namespace.
func TestValidationFaultOnTheWire(t *testing.T) {
	fake := esfake.New()
	if err := fake.SetFaults(esfake.Faults{ValidationFault: 1}); err != nil {
		t.Fatal(err)
	}
	rec := post(t, fake.Handler(), goodRequest, `""`, "text/xml", true)
	want := `<faultcode>S:Server</faultcode><faultstring>formSubmissionException</faultstring><detail><VoaFaultException xmlns="http://va.gov/schema/esr/voa/v1" xmlns:ns0="http://jaxws.webservices.esr.med.va.gov/schemas"><faultExceptions><faultException><code>VOA_0010</code><message>Invalid SSN format</message></faultException></faultExceptions></VoaFaultException></detail>`
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), want) {
		t.Errorf("fault = %d %s", rec.Code, rec.Body)
	}
	if len(fake.Submissions()) != 0 {
		t.Error("a refused form made a record")
	}
}
