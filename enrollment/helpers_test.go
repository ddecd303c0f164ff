package enrollment

import (
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// PII test values: distinctive, so a leak into an error or a log line is easy to spot.
const (
	testSSN       = "231549876"
	testFirstName = "Zebulon"
	testLastName  = "Quixworth"
	testDOB       = "1961-07-04"
	testStreet    = "4471 Marigoldvale Rd"
	testPhone     = "5035550147"
	testEmail     = "zq.veteran@example.com"
	testKin       = "Philippa Quixworth"
	testPolicy    = "POL-88317-XQ"
)

var testPII = []string{testSSN, testFirstName, testLastName, testDOB, testStreet, testPhone, testEmail, testKin, testPolicy}

// testNow is a Monday afternoon in ES's time zone.
var testNow = time.Date(2026, 3, 2, 14, 30, 0, 0, esLocation)

func validApplication() *Application {
	return &Application{
		ApplicationID:     "0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c11",
		FormType:          FormType1010EZ,
		ApplicationMethod: ApplicationMethodOnline,
		VeteranIdentifier: &VeteranIdentifier{Type: VeteranIdentifierICN, Value: "1012667145V762142"},
		PersonInfo: PersonInfo{
			FirstName:   testFirstName,
			LastName:    testLastName,
			DateOfBirth: testDOB,
			SSN:         testSSN,
			Gender:      "M",
		},
		Demographics: Demographics{
			Address:           Address{Street: testStreet, City: "Portland", State: "OR", ZipCode: "97201", Country: "USA"},
			HomePhone:         testPhone,
			Email:             testEmail,
			PreferredFacility: "648A4",
		},
		MilitaryServiceInfo: MilitaryServiceInfo{
			LastServiceBranch: "Army",
			LastEntryDate:     "1980-01-15",
			LastDischargeDate: "1984-06-30",
			DischargeType:     "honorable",
		},
		EnrollmentDeterminationInfo: EnrollmentDeterminationInfo{VeteranStatus: "veteran", ServiceConnected: true},
		FinancialsInfo:              &FinancialsInfo{HouseholdIncome: 42000, Dependents: 1},
		InsuranceList:               []Insurance{{CompanyName: "Acme Health", PolicyNumber: testPolicy}},
		Associations:                []Association{{ContactType: "Primary Next of Kin", Name: testKin, Relationship: "Spouse", Phone: testPhone}},
	}
}

// applicationWithID is validApplication with another idempotency key.
func applicationWithID(id string) *Application {
	a := validApplication()
	a.ApplicationID = id
	return a
}

func assertNoPII(t *testing.T, what, text string) {
	t.Helper()
	for _, v := range testPII {
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
func startFake(t *testing.T, cfg Config, setup ...func(*Fake)) (*Fake, *Client, *testClock) {
	t.Helper()
	clock := &testClock{t: testNow}
	fake := NewFake()
	fake.Now = clock.Now
	for _, s := range setup {
		s(fake)
	}
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	cfg.Endpoint = srv.URL + "/voa/voaSvc"
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return fake, c, clock
}
