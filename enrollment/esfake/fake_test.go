package enrollment

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
)

func TestFakeFaultsOverHTTP(t *testing.T) {
	fake := NewFake()
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

	if code, body := do("POST", `{"unavailable503": -1, "latency": "250ms", "stuckKeys": ["k1"]}`); code != 200 || !strings.Contains(body, `"latency": "250ms"`) {
		t.Fatalf("POST = %d %s", code, body)
	}
	// A POST changes only the fields it names.
	if code, body := do("POST", `{"reportMissing": ["2026-03-01"], "errorRate": 0.25}`); code != 200 {
		t.Fatalf("POST = %d %s", code, body)
	}
	want := Faults{Unavailable503: -1, Latency: 250 * time.Millisecond, StuckKeys: []string{"k1"}, ReportMissing: []string{"2026-03-01"}, ErrorRate: 0.25}
	if got := fake.Faults(); !reflect.DeepEqual(got, want) {
		t.Errorf("Faults = %+v\nwant %+v", got, want)
	}
	_, body := do("GET", "")
	var shown Faults
	if err := json.Unmarshal([]byte(body), &shown); err != nil || !reflect.DeepEqual(shown, want) {
		t.Errorf("GET = %s (%v)", body, err)
	}

	for _, bad := range []string{`{"errorRate": 2}`, `{"unavailable": 1}`, `{"latency": "soon"}`, `{"stuckStatus": 104}`,
		`{"reportMissing": ["yesterday"]}`, `{"validationCode": "VOA_0240"}`, `not json`} {
		if code, body := do("POST", bad); code != http.StatusBadRequest {
			t.Errorf("POST %s = %d %s, want 400", bad, code, body)
		}
	}
	if got := fake.Faults(); !reflect.DeepEqual(got, want) {
		t.Errorf("a rejected POST changed the faults: %+v", got)
	}
	if code, _ := do("DELETE", ""); code != 200 || !reflect.DeepEqual(fake.Faults(), Faults{}) {
		t.Errorf("DELETE left %+v", fake.Faults())
	}
}

func TestFakeSubmissionsDumpHasNoPII(t *testing.T) {
	fake, c, _ := startFake(t, Config{})
	app := validApplication()
	if _, err := c.Submit(context.Background(), app); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	fake.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/_fake/submissions", nil))
	var subs []FakeSubmission
	if err := json.Unmarshal(rec.Body.Bytes(), &subs); err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].Key != app.ApplicationID || subs[0].FormSubmissionID != FakeFirstFormSubmissionID || subs[0].Calls != 1 {
		t.Errorf("submissions = %s", rec.Body)
	}
	assertNoPII(t, "/_fake/submissions", rec.Body.String())
}

// The same seed gives the same sequence of injected server errors.
func TestFakeErrorRateIsDeterministic(t *testing.T) {
	run := func() string {
		fake, c, _ := startFake(t, Config{})
		if err := fake.SetFaults(Faults{ErrorRate: 0.5, Seed: 42}); err != nil {
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

func TestFakeSOAPDispatch(t *testing.T) {
	fake := NewFake()
	h := fake.Handler()
	body := `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
		`<getFormSubmissionStatusRequest xmlns="http://va.gov/service/esr/voa/v1"><formSubmissionId>1</formSubmissionId></getFormSubmissionStatusRequest>` +
		`</soap:Body></soap:Envelope>`

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/voa/voaSvc", strings.NewReader(body))) // no SOAPAction: by body element
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "<retrieveFormSubmissionStatusResponse") || !strings.Contains(rec.Body.String(), "<status>104</status>") {
		t.Errorf("dispatch by body = %d %s", rec.Code, rec.Body)
	}

	rec = httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/voa/voaSvc", strings.NewReader(body))
	req.Header.Set("SOAPAction", `"saveSubmitForm"`)
	h.ServeHTTP(rec, req)
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "<faultcode>soap:Client</faultcode>") {
		t.Errorf("SOAPAction not matching the body = %d %s", rec.Code, rec.Body)
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/voa/voaSvc", strings.NewReader("<html/>")))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "not a SOAP 1.1 envelope") {
		t.Errorf("not SOAP = %d %s", rec.Code, rec.Body)
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/voa/voaSvc", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET = %d", rec.Code)
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/reports/daily/latest.csv", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("GET bad report name = %d", rec.Code)
	}
}

// The fake's faults answer like ES: formSubmissionException with a VoaFault detail.
func TestFakeValidationFaultOnTheWire(t *testing.T) {
	fake, c, _ := startFake(t, Config{})
	if err := fake.SetFaults(Faults{ValidationFault: 1}); err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	if err := writeEnvelope(&buf, "k", submitFormRequest{FormSubmission: newFormSubmission(validApplication())}); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", c.endpoint, strings.NewReader(buf.String()))
	req.Header.Set("SOAPAction", `"saveSubmitForm"`)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	want := `<soap:Fault><faultcode>soap:Server</faultcode><faultstring>formSubmissionException</faultstring><detail><VoaFault xmlns="http://va.gov/schema/esr/voa/v1"><FaultExceptions><code>VOA_0010</code><message>Invalid SSN format</message></FaultExceptions></VoaFault></detail></soap:Fault>`
	if resp.StatusCode != 500 || !strings.Contains(string(b), want) {
		t.Errorf("fault = %d %s", resp.StatusCode, b)
	}
}
