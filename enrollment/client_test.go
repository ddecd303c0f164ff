package enrollment_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/enrollmenttest"
	"github.com/hcaops/hcaops/enrollment/esfake"
)

func TestSubmitThenStatusWalksTheSteps(t *testing.T) {
	fake, c, _ := startFake(t, enrollment.Config{})
	ctx := context.Background()

	res, err := c.Submit(ctx, validApplication(), testNow)
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	if res.Status != 100 || res.FormSubmissionID != esfake.FirstFormSubmissionID {
		t.Fatalf("Submit = %+v, want status 100 and id %d", res, esfake.FirstFormSubmissionID)
	}
	if !res.Timestamp.Equal(testNow) || res.MessageType != "Form successfully received for EE processing" {
		t.Errorf("Timestamp = %v, message %q", res.Timestamp, res.MessageType)
	}
	for i, want := range []int{102, 104, 104} {
		got, err := c.Status(ctx, res.FormSubmissionID)
		if err != nil {
			t.Fatalf("Status #%d: %v", i+1, err)
		}
		if got.Status != want || got.FormSubmissionID != res.FormSubmissionID {
			t.Fatalf("Status #%d = %+v, want status %d", i+1, got, want)
		}
	}
	subs := fake.Submissions()
	if len(subs) != 1 || subs[0].StatusChecks != 3 || subs[0].Status != 104 {
		t.Errorf("Submissions = %+v", subs)
	}
}

// Every valid form of the fixtures goes through the strict fake.
func TestEveryFixtureFormIsAccepted(t *testing.T) {
	fake, c, _ := startFake(t, enrollment.Config{})
	for _, name := range enrollmenttest.ValidForms {
		app := enrollmenttest.Named(name, testApplicationID)
		if _, err := c.Submit(context.Background(), &app, testNow); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if got := len(fake.Submissions()); got != len(enrollmenttest.ValidForms) || fake.Refused() != 0 {
		t.Errorf("records %d, refused %d", got, fake.Refused())
	}
}

// Every status code ES defines reaches the caller as SubmitResult.Status.
func TestEveryStatusCode(t *testing.T) {
	tests := []struct {
		status      int
		steps       []int
		faults      esfake.Faults
		statusCalls int // getFormSubmissionStatus calls after the submit
	}{
		{100, nil, esfake.Faults{}, 0},
		{101, []int{100, 101}, esfake.Faults{}, 2},
		{102, nil, esfake.Faults{}, 1},
		{103, nil, esfake.Faults{StuckInProcessing: 1, StuckStatus: 103}, 3},
		{104, nil, esfake.Faults{}, 2},
	}
	for _, tt := range tests {
		t.Run(enrollment.StatusText(tt.status), func(t *testing.T) {
			fake, c, _ := startFake(t, enrollment.Config{}, func(f *esfake.Fake) {
				if tt.steps != nil {
					f.Steps = tt.steps
				}
			})
			if err := fake.SetFaults(tt.faults); err != nil {
				t.Fatal(err)
			}
			res, err := c.Submit(context.Background(), validApplication(), testNow)
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
			if res.Failed() != (tt.status == 101) || res.Processed() != (tt.status == 104) {
				t.Errorf("Failed() = %v, Processed() = %v for %d", res.Failed(), res.Processed(), res.Status)
			}
		})
	}
}

func TestStuckIDsStayInProcessing(t *testing.T) {
	fake, c, _ := startFake(t, enrollment.Config{})
	res, err := c.Submit(context.Background(), validApplication(), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.SetFaults(esfake.Faults{StuckIDs: []int64{res.FormSubmissionID}}); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if res, err = c.Status(context.Background(), res.FormSubmissionID); err != nil || res.Status != 102 {
			t.Fatalf("Status = %+v, %v; want 102", res, err)
		}
	}
	if err := fake.SetFaults(esfake.Faults{}); err != nil { // unstuck: it walks the steps again
		t.Fatal(err)
	}
	for range len(fake.Steps) {
		if res, err = c.Status(context.Background(), res.FormSubmissionID); err != nil {
			t.Fatal(err)
		}
	}
	if res.Status != 104 {
		t.Fatalf("Status after unsticking = %+v; want 104", res)
	}
}

// ES has no idempotency key: the same form sent twice is two records, for the same
// Veteran. Only the caller can prevent that.
func TestEverySubmitIsANewRecord(t *testing.T) {
	fake, c, _ := startFake(t, enrollment.Config{})
	ctx := context.Background()
	first, err := c.Submit(ctx, validApplication(), testNow)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Submit(ctx, validApplication(), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if again.FormSubmissionID == first.FormSubmissionID {
		t.Fatal("the fake deduplicated a submission: real ES does not")
	}
	subs := fake.Submissions()
	if len(subs) != 2 || subs[0].Applicant != subs[1].Applicant || subs[0].Applicant == "" {
		t.Fatalf("Submissions = %+v, want two records of one applicant", subs)
	}
	other := enrollmenttest.Named(enrollmenttest.Minimal, testApplicationID)
	if _, err := c.Submit(ctx, &other, testNow); err != nil {
		t.Fatal(err)
	}
	if subs := fake.Submissions(); subs[2].Applicant == subs[0].Applicant {
		t.Error("two Veterans share an applicant token")
	}
	assertNoPII(t, "applicant token", subs[0].Applicant)
}

// How each failure is classified, as vets-api treats it (lib/hca/soap_parser.rb) and as
// the issue states it; the expectations are written here, not derived from the code.
func TestFaultClassification(t *testing.T) {
	tests := []struct {
		name        string
		faults      esfake.Faults
		readTimeout time.Duration
		final       bool
		unknown     bool // the request may have made a record
		httpStatus  int
		codes       []string
		records     int // records the fake made
		msg         string
	}{
		{"503 unavailable", esfake.Faults{Unavailable503: 1}, 0, false, false, 503, nil, 0, "ES unavailable"},
		{"502 HTML page from a proxy", esfake.Faults{ProxyError: 1}, 0, false, true, 502, nil, 0, "Bad Gateway"},
		{"504 from a load balancer", esfake.Faults{ProxyError: 1, ProxyStatus: 504}, 0, false, true, 504, nil, 0, "Gateway Timeout"},
		{"403 HTML page from a proxy", esfake.Faults{ProxyError: 1, ProxyStatus: 403}, 0, false, false, 403, nil, 0, "Forbidden"},
		{"404 from a load balancer", esfake.Faults{ProxyError: 1, ProxyStatus: 404}, 0, false, false, 404, nil, 0, "Not Found"},
		// vets-api's recorded ES downtime (hca/health_check_downtime.yml): 302 and an HTML page.
		{"302 maintenance page from ES's front door", esfake.Faults{ProxyError: 1, ProxyStatus: 302}, 0, false, false, 302, nil, 0, "Found"},
		{"soap:Server fault", esfake.Faults{ErrorRate: 1}, 0, false, false, 500, nil, 0, "ES fault (S:Server): Internal Server Error"},
		{"soap:Client fault", esfake.Faults{ClientFault: 1}, 0, false, false, 500, nil, 0, "ES fault (S:Client)"},
		{"unreadable 200", esfake.Faults{Malformed: 1}, 0, false, true, 200, nil, 0, "unreadable answer from ES"},
		{"validation fault", esfake.Faults{ValidationFault: 1}, 0, true, false, 500, []string{"VOA_0010"}, 0, "ES rejected the form: formSubmissionException: Invalid SSN format"},
		{"another validation code", esfake.Faults{ValidationFault: 1, ValidationCode: "VOA_0030"}, 0, true, false, 500, []string{"VOA_0030"}, 0, "Invalid preferred facility"},
		{"VOA_0240", esfake.Faults{RetryableFault: 1}, 0, false, false, 500, []string{"VOA_0240"}, 0, "ES cannot take the form now"},
		{"answer lost after ES made the record", esfake.Faults{AnswerLost: 1}, 0, false, true, 0, nil, 1, "connection to ES broke after the request was sent"},
		{"timeout after sending", esfake.Faults{Latency: 400 * time.Millisecond}, 60 * time.Millisecond, false, true, 0, nil, 1, "no answer from ES in time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c, _ := startFake(t, enrollment.Config{ReadTimeout: tt.readTimeout, OpenTimeout: tt.readTimeout})
			if err := fake.SetFaults(tt.faults); err != nil {
				t.Fatal(err)
			}
			_, err := c.Submit(context.Background(), validApplication(), testNow)
			e, ok := errors.AsType[*enrollment.Error](err)
			if !ok {
				t.Fatalf("Submit error = %v, want *Error", err)
			}
			if (e.Kind == enrollment.Final) != tt.final || e.OutcomeUnknown != tt.unknown || e.HTTPStatus != tt.httpStatus ||
				!slices.Equal(e.Codes, tt.codes) || e.Op != "saveSubmitForm" {
				t.Errorf("error = %+v, want final=%v unknown=%v HTTP %d codes %v", e, tt.final, tt.unknown, tt.httpStatus, tt.codes)
			}
			if enrollment.IsRetryable(err) == tt.final || enrollment.IsOutcomeUnknown(err) != tt.unknown {
				t.Errorf("IsRetryable = %v, IsOutcomeUnknown = %v", enrollment.IsRetryable(err), enrollment.IsOutcomeUnknown(err))
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
			assertNoPII(t, "error", err.Error())
			if got := len(fake.Submissions()); got != tt.records {
				t.Errorf("the fake made %d records, want %d", got, tt.records)
			}
		})
	}
}

func TestTimeoutUnwrapsToDeadlineExceeded(t *testing.T) {
	fake, c, _ := startFake(t, enrollment.Config{OpenTimeout: 20 * time.Millisecond, ReadTimeout: 20 * time.Millisecond})
	if err := fake.SetFaults(esfake.Faults{Latency: time.Second}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := c.Status(context.Background(), 1)
	if !errors.Is(err, context.DeadlineExceeded) || !enrollment.IsRetryable(err) {
		t.Fatalf("Status error = %v, want a retryable deadline", err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("timed out after %v, want about 40ms", d)
	}
}

// Faults counted as "next N" stop after N calls; a negative count lasts until turned off.
func TestFaultCountsGoDown(t *testing.T) {
	fake, c, _ := startFake(t, enrollment.Config{})
	if err := fake.SetFaults(esfake.Faults{Unavailable503: 2}); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := c.Status(context.Background(), 1); !enrollment.IsRetryable(err) {
			t.Fatalf("call %d: %v, want 503", i+1, err)
		}
	}
	if err := c.HealthCheck(context.Background(), 1); err != nil {
		t.Fatalf("third call: %v", err)
	}
	if got := fake.Faults().Unavailable503; got != 0 {
		t.Errorf("Unavailable503 left = %d", got)
	}
	if err := fake.SetFaults(esfake.Faults{Unavailable503: -1}); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if err := c.HealthCheck(context.Background(), 1); !enrollment.IsRetryable(err) {
			t.Fatalf("until turned off: %v", err)
		}
	}
}

func TestHealthCheck(t *testing.T) {
	fake, c, _ := startFake(t, enrollment.Config{})
	if err := c.HealthCheck(context.Background(), 1); err != nil {
		t.Fatalf("HealthCheck: %v", err)
	}
	res, err := c.Status(context.Background(), 1)
	if err != nil || res.Status != 104 {
		t.Fatalf("Status(health id) = %+v, %v; want 104", res, err)
	}
	if err := fake.SetFaults(esfake.Faults{HealthDown: true}); err != nil {
		t.Fatal(err)
	}
	err = c.HealthCheck(context.Background(), 1)
	if e, ok := errors.AsType[*enrollment.Error](err); !ok || !e.Retryable() || e.HTTPStatus != http.StatusServiceUnavailable {
		t.Fatalf("HealthCheck while down = %v, want retryable 503", err)
	}
	if _, err := c.Submit(context.Background(), validApplication(), testNow); err != nil {
		t.Fatalf("HealthDown must only affect the health check id: %v", err)
	}
	if fake.Refused() != 1 {
		t.Errorf("fake refused %d requests, want only the one while down", fake.Refused())
	}
}

// ES answers a status request for an id it does not know with a formSubmissionException:
// final, like every form validation fault.
func TestStatusOfUnknownSubmissionIsFinal(t *testing.T) {
	_, c, _ := startFake(t, enrollment.Config{})
	_, err := c.Status(context.Background(), 99)
	if e, ok := errors.AsType[*enrollment.Error](err); !ok || e.Kind != enrollment.Final || !slices.Equal(e.Codes, []string{"VOA_0200"}) {
		t.Fatalf("Status(99) = %v, want a final formSubmissionException", err)
	}
}

func TestInvalidApplicationIsNotSent(t *testing.T) {
	fake, c, _ := startFake(t, enrollment.Config{})
	app := enrollmenttest.Named(enrollmenttest.Invalid, testApplicationID)
	_, err := c.Submit(context.Background(), &app, testNow)
	e, ok := errors.AsType[*enrollment.Error](err)
	if !ok || e.Kind != enrollment.Final || e.OutcomeUnknown {
		t.Fatalf("Submit = %v, want final *Error with a known outcome", err)
	}
	for _, want := range enrollmenttest.InvalidProblems {
		if !strings.Contains(err.Error(), want+":") {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	assertNoPII(t, "error", err.Error())
	if _, ok := errors.AsType[*enrollment.FieldError](err); !ok {
		t.Error("the field errors are not reachable with errors.As")
	}
	if n := len(fake.Submissions()); n != 0 {
		t.Errorf("%d submissions reached ES", n)
	}
	if _, err := c.Submit(context.Background(), nil, testNow); err == nil {
		t.Error("Submit(nil) succeeded")
	}
}

// A request that never left cannot have made a record: retryable, outcome known.
func TestConnectionRefusedIsRetryableAndKnown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, err := enrollment.NewClient(enrollment.Config{Endpoint: "http://" + addr + "/voa/voaSvc"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Submit(context.Background(), validApplication(), testNow)
	if e, ok := errors.AsType[*enrollment.Error](err); !ok || !e.Retryable() || e.OutcomeUnknown || !strings.Contains(e.Msg, "cannot reach ES") {
		t.Fatalf("Submit = %v, want retryable 'cannot reach ES' with a known outcome", err)
	}
}

func TestNewClientConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  enrollment.Config
		want string
	}{
		{"no endpoint", enrollment.Config{}, "Endpoint"},
		{"relative endpoint", enrollment.Config{Endpoint: "/voa/voaSvc"}, "absolute http(s) URL"},
		{"bad report URL", enrollment.Config{Endpoint: "https://es.example/voa/voaSvc", ReportURL: "reports"}, "ReportURL"},
		{"cert without key", enrollment.Config{Endpoint: "https://es.example/voa/voaSvc", CertFile: "client.pem"}, "CertFile and KeyFile must be set together"},
		{"HTTPClient and TLS files", enrollment.Config{Endpoint: "https://es.example/voa/voaSvc", HTTPClient: http.DefaultClient, CAFile: "ca.pem"}, "either HTTPClient or"},
		{"missing cert file", enrollment.Config{Endpoint: "https://es.example/voa/voaSvc", CertFile: "/nonexistent/client.pem", KeyFile: "/nonexistent/client.key"}, "/nonexistent/client.pem"},
		{"missing CA file", enrollment.Config{Endpoint: "https://es.example/voa/voaSvc", CAFile: "/nonexistent/ca.pem"}, "ES CA file: open /nonexistent/ca.pem"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := enrollment.NewClient(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewClient error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// A redirect is not followed: the form is never sent on to another address (Go's client
// would follow a 302 with a GET), and the 3xx is classified where it was answered.
func TestRedirectIsNotFollowed(t *testing.T) {
	followed := 0
	mux := http.NewServeMux()
	mux.HandleFunc("/voa/voaSvc", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/maintenance", http.StatusFound)
	})
	mux.HandleFunc("/maintenance", func(w http.ResponseWriter, r *http.Request) {
		followed++
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><body>Page Unavailable</body></html>"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, err := enrollment.NewClient(enrollment.Config{Endpoint: srv.URL + "/voa/voaSvc"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Submit(context.Background(), validApplication(), testNow)
	e, ok := errors.AsType[*enrollment.Error](err)
	if !ok || e.HTTPStatus != http.StatusFound || e.Kind == enrollment.Final || e.OutcomeUnknown {
		t.Fatalf("error %v, want a retryable 302 that did not reach ES", err)
	}
	if followed != 0 {
		t.Errorf("the redirect was followed %d time(s)", followed)
	}
}
