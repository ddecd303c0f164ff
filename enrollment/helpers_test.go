package enrollment_test

import (
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/enrollmenttest"
	"github.com/hcaops/hcaops/enrollment/esfake"
)

var newYork = func() *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	return loc
}()

// testNow is a Monday afternoon in ES's time zone.
var testNow = time.Date(2026, 3, 2, 14, 30, 0, 0, newYork)

const testApplicationID = "0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c11"

// validApplication is the married Veteran's form: every section of the summary is filled.
func validApplication() *enrollment.Application {
	a := enrollmenttest.Named(enrollmenttest.Married, testApplicationID)
	return &a
}

// applicationWithID is validApplication with another application ID.
func applicationWithID(id string) *enrollment.Application {
	a := validApplication()
	a.ApplicationID = id
	return a
}

func assertNoPII(t *testing.T, what, text string) {
	t.Helper()
	for _, v := range enrollmenttest.PIIValues {
		if strings.Contains(text, v) {
			t.Errorf("%s contains the PII value %q: %s", what, v, text)
		}
	}
}

// testClock is a settable clock for the fake.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// startFake serves a fake ES at testNow over plain HTTP and returns a client for it.
// setup, if any, changes the fake's exported fields before it serves.
func startFake(t *testing.T, cfg enrollment.Config, setup ...func(*esfake.Fake)) (*esfake.Fake, *enrollment.Client, *testClock) {
	t.Helper()
	clock := &testClock{t: testNow}
	fake := esfake.New()
	fake.Now = clock.Now
	for _, s := range setup {
		s(fake)
	}
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	cfg.Endpoint = srv.URL + "/voa/voaSvc"
	c, err := enrollment.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return fake, c, clock
}
