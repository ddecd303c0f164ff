package enrollment

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSubmitThenStatusWalksTheSteps(t *testing.T) {
	fake, c, _ := startFake(t, Config{})
	ctx := context.Background()

	res, err := c.Submit(ctx, validApplication())
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	if res.Status != StatusSubmitted || res.FormSubmissionID != FakeFirstFormSubmissionID {
		t.Fatalf("Submit = %+v, want status 100 and id %d", res, FakeFirstFormSubmissionID)
	}
	if !res.Timestamp.Equal(testNow) {
		t.Errorf("Timestamp = %v, want %v", res.Timestamp, testNow)
	}
	for i, want := range []int{StatusProcessingInProgress, StatusProcessed, StatusProcessed} {
		got, err := c.Status(ctx, res.FormSubmissionID)
		if err != nil {
			t.Fatalf("Status #%d: %v", i+1, err)
		}
		if got.Status != want || got.FormSubmissionID != res.FormSubmissionID {
			t.Fatalf("Status #%d = %+v, want status %d", i+1, got, want)
		}
	}
	subs := fake.Submissions()
	if len(subs) != 1 || subs[0].StatusChecks != 3 || subs[0].Status != StatusProcessed {
		t.Errorf("Submissions = %+v", subs)
	}
}

// Every status code ES defines reaches the caller as SubmitResult.Status.
func TestEveryStatusCode(t *testing.T) {
	tests := []struct {
		status      int
		setup       func(*Fake)
		faults      Faults
		statusCalls int // getFormSubmissionStatus calls after the submit
	}{
		{StatusSubmitted, nil, Faults{}, 0},
		{StatusSubmissionFailed, func(f *Fake) { f.Steps = []int{StatusSubmitted, StatusSubmissionFailed} }, Faults{}, 2},
		{StatusProcessingInProgress, nil, Faults{}, 1},
		{StatusProcessingPending, nil, Faults{StuckInProcessing: 1, StuckStatus: StatusProcessingPending}, 3},
		{StatusProcessed, nil, Faults{}, 2},
	}
	for _, tt := range tests {
		t.Run(StatusText(tt.status), func(t *testing.T) {
			var setup []func(*Fake)
			if tt.setup != nil {
				setup = append(setup, tt.setup)
			}
			fake, c, _ := startFake(t, Config{}, setup...)
			if err := fake.SetFaults(tt.faults); err != nil {
				t.Fatal(err)
			}
			res, err := c.Submit(context.Background(), validApplication())
			if err != nil {
				t.Fatalf("Submit: %v", err)
			}
			for range tt.statusCalls {
				if res, err = c.Status(context.Background(), res.FormSubmissionID); err != nil {
					t.Fatalf("Status: %v", err)
				}
			}
			if res.Status != tt.status {
				t.Errorf("status = %d, want %d", res.Status, tt.status)
			}
			if res.Failed() != (tt.status == StatusSubmissionFailed) || res.Processed() != (tt.status == StatusProcessed) {
				t.Errorf("Failed() = %v, Processed() = %v for %d", res.Failed(), res.Processed(), res.Status)
			}
		})
	}
}

func TestStuckKeysStayInProcessing(t *testing.T) {
	fake, c, _ := startFake(t, Config{})
	app := validApplication()
	if err := fake.SetFaults(Faults{StuckKeys: []string{app.ApplicationID}}); err != nil {
		t.Fatal(err)
	}
	res, err := c.Submit(context.Background(), app)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if res, err = c.Status(context.Background(), res.FormSubmissionID); err != nil || res.Status != StatusProcessingInProgress {
			t.Fatalf("Status = %+v, %v; want 102", res, err)
		}
	}
	if err := fake.SetFaults(Faults{}); err != nil { // unstuck: it walks the steps again
		t.Fatal(err)
	}
	for range len(fake.Steps) {
		if res, err = c.Status(context.Background(), res.FormSubmissionID); err != nil {
			t.Fatal(err)
		}
	}
	if res.Status != StatusProcessed {
		t.Fatalf("Status after unsticking = %+v; want 104", res)
	}
}

func TestSubmitIsIdempotentPerApplicationID(t *testing.T) {
	fake, c, _ := startFake(t, Config{})
	ctx := context.Background()
	first, err := c.Submit(ctx, validApplication())
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Submit(ctx, validApplication())
	if err != nil {
		t.Fatal(err)
	}
	if again.FormSubmissionID != first.FormSubmissionID {
		t.Fatalf("second submit got id %d, first %d", again.FormSubmissionID, first.FormSubmissionID)
	}
	other, err := c.Submit(ctx, applicationWithID("7d3f1c2a-96b4-4e8e-8f7e-0c1d2e3f4a5b"))
	if err != nil {
		t.Fatal(err)
	}
	if other.FormSubmissionID == first.FormSubmissionID {
		t.Fatal("a different application got the same id")
	}
	subs := fake.Submissions()
	if len(subs) != 2 || subs[0].Calls != 2 || subs[1].Calls != 1 {
		t.Fatalf("Submissions = %+v, want 2 records with 2 and 1 calls", subs)
	}
}

// A retry after a lost answer must find the first submission, even under faults.
func TestRetryAfterRetryableFaultKeepsOneRecord(t *testing.T) {
	fake, c, _ := startFake(t, Config{})
	if err := fake.SetFaults(Faults{RetryableFault: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Submit(context.Background(), validApplication()); !IsRetryable(err) {
		t.Fatalf("first submit: %v, want retryable", err)
	}
	if _, err := c.Submit(context.Background(), validApplication()); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if subs := fake.Submissions(); len(subs) != 1 {
		t.Fatalf("Submissions = %+v, want 1", subs)
	}
}

func TestFaultClassification(t *testing.T) {
	tests := []struct {
		name        string
		faults      Faults
		readTimeout time.Duration
		kind        Kind
		httpStatus  int
		codes       []string
		msg         string
	}{
		{"503 unavailable", Faults{Unavailable503: 1}, 0, Retryable, 503, nil, "ES unavailable"},
		{"timeout", Faults{Latency: 300 * time.Millisecond}, 50 * time.Millisecond, Retryable, 0, nil, "no answer from ES in time"},
		{"validation fault", Faults{ValidationFault: 1}, 0, Final, 500, []string{"VOA_0010"}, "ES rejected the form: formSubmissionException: Invalid SSN format"},
		{"other validation code", Faults{ValidationFault: 1, ValidationCode: "VOA_0030"}, 0, Final, 500, []string{"VOA_0030"}, "Invalid preferred facility"},
		{"VOA_0240", Faults{RetryableFault: 1}, 0, Retryable, 500, []string{"VOA_0240"}, "formSubmissionException: Unable to process"},
		{"generic soap:Server fault", Faults{ErrorRate: 1}, 0, Retryable, 500, nil, "ES server fault (soap:Server): Internal Server Error"},
		{"malformed XML", Faults{Malformed: 1}, 0, Final, 200, nil, "malformed answer from ES: not a SOAP envelope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c, _ := startFake(t, Config{ReadTimeout: tt.readTimeout, OpenTimeout: tt.readTimeout})
			if err := fake.SetFaults(tt.faults); err != nil {
				t.Fatal(err)
			}
			_, err := c.Submit(context.Background(), validApplication())
			e, ok := errors.AsType[*Error](err)
			if !ok {
				t.Fatalf("Submit error = %v, want *Error", err)
			}
			if e.Kind != tt.kind || e.HTTPStatus != tt.httpStatus || !slices.Equal(e.Codes, tt.codes) || e.Op != "saveSubmitForm" {
				t.Errorf("error = %+v, want kind %v, HTTP %d, codes %v", e, tt.kind, tt.httpStatus, tt.codes)
			}
			if e.Retryable() != (tt.kind == Retryable) || IsRetryable(err) != (tt.kind == Retryable) {
				t.Errorf("Retryable() = %v for kind %v", e.Retryable(), e.Kind)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
			assertNoPII(t, "error", err.Error())
			if len(fake.Submissions()) != 0 {
				t.Errorf("a faulted submit was recorded: %+v", fake.Submissions())
			}
		})
	}
}

func TestTimeoutUnwrapsToDeadlineExceeded(t *testing.T) {
	fake, c, _ := startFake(t, Config{OpenTimeout: 20 * time.Millisecond, ReadTimeout: 20 * time.Millisecond})
	if err := fake.SetFaults(Faults{Latency: time.Second}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := c.Status(context.Background(), 1)
	if !errors.Is(err, context.DeadlineExceeded) || !IsRetryable(err) {
		t.Fatalf("Status error = %v, want a retryable deadline", err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("timed out after %v, want about 40ms", d)
	}
}

// Faults counted as "next N" stop after N calls; a negative count lasts until turned off.
func TestFaultCountsGoDown(t *testing.T) {
	fake, c, _ := startFake(t, Config{})
	if err := fake.SetFaults(Faults{Unavailable503: 2}); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := c.Status(context.Background(), 1); !IsRetryable(err) {
			t.Fatalf("call %d: %v, want 503", i+1, err)
		}
	}
	if err := c.HealthCheck(context.Background(), 1); err != nil {
		t.Fatalf("third call: %v", err)
	}
	if got := fake.Faults().Unavailable503; got != 0 {
		t.Errorf("Unavailable503 left = %d", got)
	}
	if err := fake.SetFaults(Faults{Unavailable503: -1}); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if err := c.HealthCheck(context.Background(), 1); !IsRetryable(err) {
			t.Fatalf("until turned off: %v", err)
		}
	}
}

func TestHealthCheck(t *testing.T) {
	fake, c, _ := startFake(t, Config{})
	if err := c.HealthCheck(context.Background(), 1); err != nil {
		t.Fatalf("HealthCheck: %v", err)
	}
	res, err := c.Status(context.Background(), 1)
	if err != nil || res.Status != StatusProcessed {
		t.Fatalf("Status(health id) = %+v, %v; want 104", res, err)
	}
	if err := fake.SetFaults(Faults{HealthDown: true}); err != nil {
		t.Fatal(err)
	}
	err = c.HealthCheck(context.Background(), 1)
	if e, ok := errors.AsType[*Error](err); !ok || !e.Retryable() || e.HTTPStatus != http.StatusServiceUnavailable {
		t.Fatalf("HealthCheck while down = %v, want retryable 503", err)
	}
	if _, err := c.Submit(context.Background(), validApplication()); err != nil {
		t.Fatalf("HealthDown must only affect the health check id: %v", err)
	}
}

func TestStatusOfUnknownSubmissionIsFinal(t *testing.T) {
	_, c, _ := startFake(t, Config{})
	_, err := c.Status(context.Background(), 99)
	if e, ok := errors.AsType[*Error](err); !ok || e.Kind != Final || !strings.Contains(e.Msg, "formSubmissionId not found") {
		t.Fatalf("Status(99) = %v, want final soap:Client fault", err)
	}
}

func TestInvalidApplicationIsNotSent(t *testing.T) {
	fake, c, _ := startFake(t, Config{})
	app := validApplication()
	app.PersonInfo.SSN = "666000000"
	app.Demographics.Address.ZipCode = ""
	_, err := c.Submit(context.Background(), app)
	e, ok := errors.AsType[*Error](err)
	if !ok || e.Kind != Final {
		t.Fatalf("Submit = %v, want final *Error", err)
	}
	for _, want := range []string{"personInfo.ssn", "demographics.address.zipCode: required"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	assertNoPII(t, "error", err.Error())
	if strings.Contains(err.Error(), "666000000") {
		t.Errorf("error shows the SSN: %v", err)
	}
	if _, ok := errors.AsType[*FieldError](err); !ok {
		t.Error("the field errors are not reachable with errors.As")
	}
	if n := len(fake.Submissions()); n != 0 {
		t.Errorf("%d submissions reached ES", n)
	}
	if _, err := c.Submit(context.Background(), nil); err == nil {
		t.Error("Submit(nil) succeeded")
	}
}

func TestConnectionRefusedIsRetryable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, err := NewClient(Config{Endpoint: "http://" + addr + "/voa/voaSvc"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Status(context.Background(), 1)
	if e, ok := errors.AsType[*Error](err); !ok || !e.Retryable() || !strings.Contains(e.Msg, "cannot reach ES") {
		t.Fatalf("Status = %v, want retryable 'cannot reach ES'", err)
	}
}

// The request on the wire, read without the package's own types.
func TestSubmitRequestOnTheWire(t *testing.T) {
	fake := NewFake()
	var (
		action, contentType string
		body                []byte
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		action, contentType = r.Header.Get("SOAPAction"), r.Header.Get("Content-Type")
		body, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		fake.Handler().ServeHTTP(w, r)
	}))
	defer srv.Close()
	c, err := NewClient(Config{Endpoint: srv.URL + "/voa/voaSvc"})
	if err != nil {
		t.Fatal(err)
	}
	app := validApplication()
	if _, err := c.Submit(context.Background(), app); err != nil {
		t.Fatal(err)
	}
	if action != `"saveSubmitForm"` || !strings.HasPrefix(contentType, "text/xml") {
		t.Errorf("SOAPAction %q, Content-Type %q", action, contentType)
	}
	for _, want := range []string{
		`<hcaops:submissionKey xmlns:hcaops="urn:hcaops">` + app.ApplicationID + `</hcaops:submissionKey>`,
		`<submitFormRequest xmlns="http://va.gov/service/esr/voa/v1"><formSubmission><formIdentifier><type>100</type><value>1010EZ</value></formIdentifier>`,
		`<insuranceList><insurance><companyName>Acme Health</companyName>`,
	} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("request lacks %s\n%s", want, body)
		}
	}
	var env struct {
		Body struct {
			Request struct {
				XMLName xml.Name
				Form    struct {
					Person struct {
						XMLName xml.Name
						SSN     string `xml:"ssn"`
					} `xml:"personInfo"`
					Facility string `xml:"demographics>preferredFacility"`
				} `xml:"formSubmission"`
			} `xml:",any"`
		} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
	}
	if err := xml.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	r := env.Body.Request
	if r.XMLName.Space != voaServiceNS || r.XMLName.Local != "submitFormRequest" || r.Form.Person.XMLName.Space != voaServiceNS {
		t.Errorf("elements not in the VOA namespace: %v, %v", r.XMLName, r.Form.Person.XMLName)
	}
	if r.Form.Person.SSN != testSSN || r.Form.Facility != "648A4" {
		t.Errorf("form fields on the wire: ssn ok=%v, facility %q", r.Form.Person.SSN == testSSN, r.Form.Facility)
	}
}

// Answers as ES writes them, including shapes the fake does not produce.
func TestDecodeAnswer(t *testing.T) {
	const envOpen = `<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>`
	const envClose = `</S:Body></S:Envelope>`
	tests := []struct {
		name   string
		status int
		body   string
		want   SubmitResult
		kind   Kind // 0 when no error
		codes  []string
		msg    string
	}{
		{"ES 2016 submit answer", 200, envOpen + `<submitFormResponse xmlns="http://va.gov/schema/esr/voa/v1"><status>100</status><formSubmissionId>40124668140</formSubmissionId><message><type>Form successfully received for EE processing</type></message><timeStamp>2016-08-24T14:49:22.066-05:00</timeStamp></submitFormResponse>` + envClose,
			SubmitResult{Status: 100, FormSubmissionID: 40124668140, Timestamp: time.Date(2016, 8, 24, 14, 49, 22, 66e6, time.FixedZone("", -5*3600))}, 0, nil, ""},
		{"status answer", 200, envOpen + `<ns2:retrieveFormSubmissionStatusResponse xmlns:ns2="http://va.gov/service/esr/voa/v1"><ns2:status>104</ns2:status><ns2:formSubmissionId>1</ns2:formSubmissionId><ns2:message><ns2:type>INFO</ns2:type><ns2:text>done</ns2:text></ns2:message><ns2:timeStamp>2026-03-02T10:00:00.000-05:00</ns2:timeStamp></ns2:retrieveFormSubmissionStatusResponse>` + envClose,
			SubmitResult{Status: 104, FormSubmissionID: 1, Message: "done", Timestamp: time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)}, 0, nil, ""},
		{"vets-api fault shape VOA_0240", 500, envOpen + `<ns0:Fault xmlns:ns0="http://schemas.xmlsoap.org/soap/envelope/"><faultcode>ns0:Server</faultcode><faultstring>formSubmissionException</faultstring><detail><VoaFaultException xmlns="http://va.gov/schema/esr/voa/v1"><faultExceptions><faultException><code>VOA_0240</code><message>try later</message></faultException></faultExceptions></VoaFaultException></detail></ns0:Fault>` + envClose,
			SubmitResult{}, Retryable, []string{"VOA_0240"}, "try later"},
		{"several validation codes", 500, envOpen + `<S:Fault><faultcode>S:Server</faultcode><faultstring>formSubmissionException</faultstring><detail><VoaFault xmlns="http://va.gov/schema/esr/voa/v1"><FaultExceptions><code>VOA_0010</code><message>Invalid SSN</message></FaultExceptions><FaultExceptions><code>VOA_0020</code><message>Invalid date of birth</message></FaultExceptions></VoaFault></detail></S:Fault>` + envClose,
			SubmitResult{}, Final, []string{"VOA_0010", "VOA_0020"}, "Invalid SSN; Invalid date of birth"},
		{"VOA_0240 among others is retried", 500, envOpen + `<S:Fault><faultcode>S:Server</faultcode><faultstring>formSubmissionException</faultstring><detail><VoaFault><FaultExceptions><code>VOA_0010</code></FaultExceptions><FaultExceptions><code>VOA_0240</code></FaultExceptions></VoaFault></detail></S:Fault>` + envClose,
			SubmitResult{}, Retryable, []string{"VOA_0010", "VOA_0240"}, ""},
		{"soap:Client fault", 500, envOpen + `<S:Fault><faultcode>S:Client</faultcode><faultstring>Unmarshalling Error</faultstring></S:Fault>` + envClose,
			SubmitResult{}, Final, nil, "ES rejected the request (S:Client): Unmarshalling Error"},
		{"502 from a proxy", 502, `<html><body>Bad Gateway</body></html>`, SubmitResult{}, Retryable, nil, "Bad Gateway"},
		{"504", 504, ``, SubmitResult{}, Retryable, nil, "Gateway Timeout"},
		{"429", 429, ``, SubmitResult{}, Retryable, nil, "Too Many Requests"},
		{"404", 404, `not found`, SubmitResult{}, Final, nil, "Not Found"},
		{"403", 403, ``, SubmitResult{}, Final, nil, "Forbidden"},
		{"unknown status", 200, envOpen + `<submitFormResponse><status>107</status><formSubmissionId>5</formSubmissionId></submitFormResponse>` + envClose,
			SubmitResult{}, Final, nil, "unknown status 107"},
		{"status not a number", 200, envOpen + `<submitFormResponse><status>ok</status><formSubmissionId>5</formSubmissionId></submitFormResponse>` + envClose,
			SubmitResult{}, Final, nil, "not a SOAP envelope"},
		{"no answer element", 200, envOpen + `<somethingElse/>` + envClose, SubmitResult{}, Final, nil, "no submitFormResponse or retrieveFormSubmissionStatusResponse"},
		{"no id", 200, envOpen + `<submitFormResponse><status>100</status></submitFormResponse>` + envClose, SubmitResult{}, Final, nil, "formSubmissionId missing"},
		{"bad timestamp", 200, envOpen + `<submitFormResponse><status>100</status><formSubmissionId>5</formSubmissionId><timeStamp>24/08/2016</timeStamp></submitFormResponse>` + envClose,
			SubmitResult{}, Final, nil, "timeStamp is not an RFC 3339 time"},
		{"SOAP 1.2 envelope", 200, `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body/></env:Envelope>`, SubmitResult{}, Final, nil, "not a SOAP envelope"},
		{"truncated", 200, envOpen + `<submitFormResponse><status>10`, SubmitResult{}, Final, nil, "malformed answer from ES"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeAnswer("saveSubmitForm", tt.status, []byte(tt.body))
			if tt.kind == 0 {
				if err != nil {
					t.Fatalf("decodeAnswer: %v", err)
				}
				if got.Status != tt.want.Status || got.FormSubmissionID != tt.want.FormSubmissionID ||
					got.Message != tt.want.Message || !got.Timestamp.Equal(tt.want.Timestamp) {
					t.Errorf("decodeAnswer = %+v, want %+v", got, tt.want)
				}
				return
			}
			e, ok := errors.AsType[*Error](err)
			if !ok {
				t.Fatalf("decodeAnswer error = %v, want *Error", err)
			}
			if e.Kind != tt.kind || !slices.Equal(e.Codes, tt.codes) || e.HTTPStatus != tt.status {
				t.Errorf("error = %+v, want kind %v codes %v", e, tt.kind, tt.codes)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
		})
	}
}

func TestNewClientConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no endpoint", Config{}, "Endpoint"},
		{"relative endpoint", Config{Endpoint: "/voa/voaSvc"}, "absolute http(s) URL"},
		{"bad report URL", Config{Endpoint: "https://es.example/voa/voaSvc", ReportURL: "reports"}, "ReportURL"},
		{"cert without key", Config{Endpoint: "https://es.example/voa/voaSvc", CertFile: "client.pem"}, "CertFile and KeyFile must be set together"},
		{"HTTPClient and TLS files", Config{Endpoint: "https://es.example/voa/voaSvc", HTTPClient: http.DefaultClient, CAFile: "ca.pem"}, "either HTTPClient or"},
		{"missing cert file", Config{Endpoint: "https://es.example/voa/voaSvc", CertFile: "/nonexistent/client.pem", KeyFile: "/nonexistent/client.key"}, "/nonexistent/client.pem"},
		{"missing CA file", Config{Endpoint: "https://es.example/voa/voaSvc", CAFile: "/nonexistent/ca.pem"}, "ES CA file: open /nonexistent/ca.pem"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewClient(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewClient error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
