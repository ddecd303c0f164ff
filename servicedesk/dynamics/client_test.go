package dynamics

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/servicedesk/dynamics/dynamicsfake"
	"github.com/hcaops/hcaops/ticket"
)

const (
	testClientID = "hcaops-test"
	testSecret   = "s3cret-value"
	testAccount  = "a1b2c3d4-0000-4000-8000-000000000001"
)

// testClock is a settable clock shared by the client and the fake.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type env struct {
	client *Client
	fake   *dynamicsfake.Fake
	clock  *testClock
	server *httptest.Server
}

// newEnv serves a fake and points a client at it. A middleware checks the headers
// every Web API request must carry.
func newEnv(t *testing.T) *env {
	t.Helper()
	clock := &testClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	fake := dynamicsfake.NewFake(testClientID, testSecret)
	fake.SetNow(clock.Now)
	api := fake.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, apiPath) {
			checkHeaders(t, r)
		}
		api.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(Config{
		BaseURL:           srv.URL,
		TokenURL:          srv.URL + dynamicsfake.FakeTokenPath,
		ClientID:          testClientID,
		ClientSecret:      testSecret,
		CustomerAccountID: testAccount,
		HTTPClient:        srv.Client(),
		Now:               clock.Now,
	})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return &env{client: c, fake: fake, clock: clock, server: srv}
}

func checkHeaders(t *testing.T, r *http.Request) {
	want := map[string]string{"OData-MaxVersion": "4.0", "OData-Version": "4.0", "Accept": "application/json"}
	if r.ContentLength != 0 {
		want["Content-Type"] = "application/json; charset=utf-8"
	}
	for k, v := range want {
		if got := r.Header.Get(k); got != v {
			t.Errorf("%s %s: header %s = %q, want %q", r.Method, r.URL.Path, k, got, v)
		}
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		t.Errorf("%s %s: no bearer token", r.Method, r.URL.Path)
	}
}

func newIncident(ref string) servicedesk.NewIncident {
	return servicedesk.NewIncident{
		Ref:         ref,
		Summary:     "Cannot submit 10-10EZ: spinner never stops",
		Description: "Caller reports the online 10-10EZ hangs on the review page.",
		Category:    "online-1010ez",
		Channel:     ticket.ChannelPhone,
		Priority:    ticket.PriorityMedium,
		Group:       servicedesk.GroupHRC,
	}
}

func (e *env) ensure(t *testing.T, ref string) servicedesk.Incident {
	t.Helper()
	inc, err := e.client.EnsureIncident(context.Background(), newIncident(ref))
	if err != nil {
		t.Fatalf("EnsureIncident(%s): %v", ref, err)
	}
	return inc
}

func (e *env) update(t *testing.T, id string, u servicedesk.Update) {
	t.Helper()
	if err := e.client.UpdateIncident(context.Background(), id, u); err != nil {
		t.Fatalf("UpdateIncident: %v", err)
	}
}

// incident returns the fake's copy of the incident with the given ID.
func (e *env) incident(t *testing.T, id string) dynamicsfake.FakeIncident {
	t.Helper()
	for _, inc := range e.fake.Incidents() {
		if inc.ID == id {
			return inc
		}
	}
	t.Fatalf("fake has no incident %s", id)
	return dynamicsfake.FakeIncident{}
}

// count returns how many requests the fake received with the method and a path ending in suffix.
func (e *env) count(method, suffix string) int {
	n := 0
	for _, r := range e.fake.Requests() {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}

func (e *env) tokenRequests() int { return e.count(http.MethodPost, dynamicsfake.FakeTokenPath) }

func responseError(t *testing.T, err error) *servicedesk.ResponseError {
	t.Helper()
	re, ok := errors.AsType[*servicedesk.ResponseError](err)
	if !ok {
		t.Fatalf("error %v (%T) is not a *servicedesk.ResponseError", err, err)
	}
	if re.System != "dynamics" {
		t.Errorf("System = %q, want dynamics", re.System)
	}
	return re
}

func wantState(t *testing.T, inc dynamicsfake.FakeIncident, state, status int) {
	t.Helper()
	if inc.StateCode != state || inc.StatusCode != status {
		t.Errorf("incident %s is %d/%d, want %d/%d", inc.TicketNumber, inc.StateCode, inc.StatusCode, state, status)
	}
}

func TestName(t *testing.T) {
	if got := newEnv(t).client.Name(); got != "dynamics" {
		t.Errorf("Name() = %q", got)
	}
}

func TestEnsureIncidentCreatesAndFinds(t *testing.T) {
	e := newEnv(t)
	inc := e.ensure(t, "HCA-0001")
	if !isGUID(inc.ID) || !strings.HasPrefix(inc.Number, "CAS-01001-") || len(inc.Number) != len("CAS-01001-A1B2C3") {
		t.Errorf("incident = %+v, want a GUID and a CAS-01001-XXXXXX number", inc)
	}
	got := e.incident(t, inc.ID)
	want := dynamicsfake.FakeIncident{
		ID: inc.ID, TicketNumber: inc.Number, Reference: "HCA-0001",
		Title: "Cannot submit 10-10EZ: spinner never stops", Description: newIncident("").Description,
		CaseOrigin: originPhone, PriorityCode: priorityNormal, StateCode: 0, StatusCode: 1,
		Group: string(servicedesk.GroupHRC), CustomerID: testAccount,
	}
	got.CreatedOn, got.ModifiedOn = time.Time{}, time.Time{}
	if got.ID != want.ID || got.TicketNumber != want.TicketNumber || got.Reference != want.Reference ||
		got.Title != want.Title || got.Description != want.Description || got.CaseOrigin != want.CaseOrigin ||
		got.PriorityCode != want.PriorityCode || got.StateCode != want.StateCode || got.StatusCode != want.StatusCode ||
		got.Group != want.Group || got.CustomerID != want.CustomerID || got.IsEscalated {
		t.Errorf("fake holds\n%+v\nwant\n%+v", got, want)
	}

	found, err := e.client.FindIncident(context.Background(), "HCA-0001")
	if err != nil || found != inc {
		t.Errorf("FindIncident = %+v, %v; want %+v", found, err, inc)
	}
	_, err = e.client.FindIncident(context.Background(), "HCA-9999")
	if !errors.Is(err, servicedesk.ErrNotFound) {
		t.Errorf("FindIncident(unknown) error = %v, want ErrNotFound", err)
	}
}

func TestCreateMapsChannelAndPriority(t *testing.T) {
	cases := []struct {
		channel  ticket.Channel
		priority ticket.Priority
		origin   int
		code     int
	}{
		{ticket.ChannelPhone, ticket.PriorityUrgent, 1, 1},
		{ticket.ChannelEmail, ticket.PriorityHigh, 2, 1},
		{ticket.ChannelWeb, ticket.PriorityMedium, 3, 2},
		{ticket.ChannelChat, ticket.PriorityLow, 3, 3}, // no chat origin in Dynamics: filed as web
	}
	e := newEnv(t)
	for _, tc := range cases {
		in := newIncident("HCA-" + string(tc.channel))
		in.Channel, in.Priority = tc.channel, tc.priority
		inc, err := e.client.EnsureIncident(context.Background(), in)
		if err != nil {
			t.Fatalf("%s/%s: %v", tc.channel, tc.priority, err)
		}
		got := e.incident(t, inc.ID)
		if got.CaseOrigin != tc.origin || got.PriorityCode != tc.code {
			t.Errorf("%s/%s: caseorigincode %d prioritycode %d, want %d %d",
				tc.channel, tc.priority, got.CaseOrigin, got.PriorityCode, tc.origin, tc.code)
		}
	}
}

func TestEnsureIncidentTwiceCreatesOne(t *testing.T) {
	e := newEnv(t)
	first := e.ensure(t, "HCA-0002")
	second := e.ensure(t, "HCA-0002")
	if first != second {
		t.Errorf("second EnsureIncident = %+v, want %+v", second, first)
	}
	if n := len(e.fake.Incidents()); n != 1 {
		t.Errorf("fake holds %d incidents, want 1", n)
	}
	if n := e.count(http.MethodPost, "/incidents"); n != 1 {
		t.Errorf("%d POST incidents, want 1", n)
	}
}

// A create that loses the race to another attempt (the find ran before the other
// create) gets 412 from the alternate key and returns the existing incident.
func TestCreateConflictReturnsExisting(t *testing.T) {
	e := newEnv(t)
	existing := e.ensure(t, "HCA-0003")
	got, err := e.client.createIncident(context.Background(), newIncident("hca-0003")) // keys ignore case
	if err != nil {
		t.Fatalf("createIncident after another create: %v", err)
	}
	if got != existing {
		t.Errorf("createIncident = %+v, want the existing %+v", got, existing)
	}
	if n := len(e.fake.Incidents()); n != 1 {
		t.Errorf("fake holds %d incidents, want 1", n)
	}
	if n := e.count(http.MethodPost, "/incidents"); n != 2 {
		t.Errorf("%d POST incidents, want 2 (the second refused)", n)
	}
}

func TestConcurrentEnsureCreatesOne(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	results := make([]servicedesk.Incident, 8)
	errs := make([]error, len(results))
	for i := range results {
		wg.Go(func() {
			results[i], errs[i] = e.client.EnsureIncident(context.Background(), newIncident("HCA-0004"))
		})
	}
	wg.Wait()
	for i := range results {
		if errs[i] != nil || results[i] != results[0] {
			t.Errorf("caller %d: %+v, %v; want %+v", i, results[i], errs[i], results[0])
		}
	}
	if n := len(e.fake.Incidents()); n != 1 {
		t.Errorf("fake holds %d incidents, want 1", n)
	}
	if n := e.tokenRequests(); n != 1 {
		t.Errorf("%d token requests from concurrent callers, want 1", n)
	}
}

func TestReferenceWithQuote(t *testing.T) {
	e := newEnv(t)
	inc := e.ensure(t, "HCA-O'Brien 1")
	found, err := e.client.FindIncident(context.Background(), "HCA-O'Brien 1")
	if err != nil || found != inc {
		t.Errorf("FindIncident = %+v, %v; want %+v", found, err, inc)
	}
}

func TestTokenCachedAcrossCalls(t *testing.T) {
	e := newEnv(t)
	inc := e.ensure(t, "HCA-0005")
	for range 3 {
		if _, err := e.client.FindIncident(context.Background(), "HCA-0005"); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.client.AddComment(context.Background(), inc.ID, "k1", "note"); err != nil {
		t.Fatal(err)
	}
	if n := e.tokenRequests(); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
}

func TestTokenRenewedBeforeExpiry(t *testing.T) {
	e := newEnv(t) // tokens live 1 h; the client renews 5 min before
	e.ensure(t, "HCA-0006")
	e.clock.Advance(54 * time.Minute)
	e.ensure(t, "HCA-0006")
	if n := e.tokenRequests(); n != 1 {
		t.Fatalf("%d token requests at 54 min, want 1", n)
	}
	e.clock.Advance(2 * time.Minute)
	e.ensure(t, "HCA-0006")
	if n := e.tokenRequests(); n != 2 {
		t.Errorf("%d token requests at 56 min, want 2", n)
	}
}

func TestShortLivedTokenUsedForHalfItsLife(t *testing.T) {
	e := newEnv(t)
	e.fake.SetTokenLifetime(4 * time.Minute) // shorter than RenewBefore
	e.ensure(t, "HCA-0007")
	e.ensure(t, "HCA-0007")
	if n := e.tokenRequests(); n != 1 {
		t.Fatalf("%d token requests, want 1", n)
	}
	e.clock.Advance(3 * time.Minute)
	e.ensure(t, "HCA-0007")
	if n := e.tokenRequests(); n != 2 {
		t.Errorf("%d token requests after 3 of 4 min, want 2", n)
	}
}

func TestRevokedTokenRenewedOn401(t *testing.T) {
	e := newEnv(t)
	inc := e.ensure(t, "HCA-0008")
	e.fake.ExpireTokens()
	found, err := e.client.FindIncident(context.Background(), "HCA-0008")
	if err != nil || found != inc {
		t.Fatalf("FindIncident after ExpireTokens = %+v, %v", found, err)
	}
	if n := e.tokenRequests(); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	if n := e.count(http.MethodGet, "/incidents"); n != 3 {
		t.Errorf("%d GET incidents, want 3 (find, refused find, retried find)", n)
	}
}

func TestPersistent401IsReported(t *testing.T) {
	e := newEnv(t)
	e.fake.FailNext(2, http.StatusUnauthorized)
	_, err := e.client.FindIncident(context.Background(), "HCA-0009")
	re := responseError(t, err)
	if re.Status != http.StatusUnauthorized || re.Op != "find incident" {
		t.Errorf("error = %+v, want find incident 401", re)
	}
	if n := e.tokenRequests(); n != 2 {
		t.Errorf("%d token requests, want 2 (one renewal only)", n)
	}
}

func TestWrongSecret(t *testing.T) {
	e := newEnv(t)
	c, err := NewClient(Config{
		BaseURL: e.server.URL, TokenURL: e.server.URL + dynamicsfake.FakeTokenPath,
		ClientID: testClientID, ClientSecret: "wrong-secret", CustomerAccountID: testAccount,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.FindIncident(context.Background(), "HCA-0010")
	re := responseError(t, err)
	if re.Op != "get token" || re.Status != http.StatusBadRequest || re.Retryable || !strings.Contains(re.Msg, "invalid_client") {
		t.Errorf("error = %+v, want a non-retryable get token 400 invalid_client", re)
	}
	if strings.Contains(err.Error(), "wrong-secret") {
		t.Errorf("error %q shows the secret", err)
	}
}

func TestUpdateFieldsAndActiveStatuses(t *testing.T) {
	e := newEnv(t)
	inc := e.ensure(t, "HCA-0011")

	e.update(t, inc.ID, servicedesk.Update{Priority: new(ticket.PriorityUrgent), Group: new(servicedesk.GroupES), Escalated: new(true)})
	got := e.incident(t, inc.ID)
	if got.PriorityCode != priorityHigh || got.Group != string(servicedesk.GroupES) || !got.IsEscalated {
		t.Errorf("after update: priority %d group %q escalated %v", got.PriorityCode, got.Group, got.IsEscalated)
	}
	if want := e.clock.Now().Format(time.RFC3339); got.EscalatedOn != want {
		t.Errorf("escalatedon = %q, want %q", got.EscalatedOn, want)
	}
	wantState(t, got, 0, 1)

	e.update(t, inc.ID, servicedesk.Update{Priority: new(ticket.PriorityLow), Escalated: new(false)})
	if got := e.incident(t, inc.ID); got.PriorityCode != priorityLow || got.IsEscalated {
		t.Errorf("after de-escalation: priority %d escalated %v", got.PriorityCode, got.IsEscalated)
	}

	for _, tc := range []struct {
		status servicedesk.Status
		code   int
	}{
		{servicedesk.StatusAcknowledged, statusInProgress},
		{servicedesk.StatusInProgress, statusResearching},
		{servicedesk.StatusAwaitingCaller, statusWaitingDetails},
		{servicedesk.StatusAwaitingVendor, statusOnHold},
		{servicedesk.StatusOnHold, statusOnHold},
		{servicedesk.StatusOpen, statusInProgress},
	} {
		e.update(t, inc.ID, servicedesk.Update{Status: new(tc.status)})
		got := e.incident(t, inc.ID)
		if got.StateCode != 0 || got.StatusCode != tc.code {
			t.Errorf("%s: %d/%d, want 0/%d", tc.status, got.StateCode, got.StatusCode, tc.code)
		}
	}
}

func TestResolveClosesIncident(t *testing.T) {
	e := newEnv(t)
	inc := e.ensure(t, "HCA-0012")
	e.update(t, inc.ID, servicedesk.Update{
		Status: new(servicedesk.StatusResolved), Priority: new(ticket.PriorityHigh),
		Resolution: "Cleared the stuck submission.",
	})
	got := e.incident(t, inc.ID)
	wantState(t, got, 1, 5)
	if got.Resolution != (dynamicsfake.FakeResolution{Subject: resolutionSubject, Description: "Cleared the stuck submission."}) {
		t.Errorf("resolution = %+v", got.Resolution)
	}
	if got.PriorityCode != priorityHigh {
		t.Errorf("priority %d, want the change made before resolving", got.PriorityCode)
	}
	if n := e.count(http.MethodPost, "/CloseIncident"); n != 1 {
		t.Errorf("%d CloseIncident, want 1", n)
	}

	// A retried resolve and the later close leave the resolved incident alone.
	e.update(t, inc.ID, servicedesk.Update{Status: new(servicedesk.StatusResolved), Resolution: "again"})
	e.update(t, inc.ID, servicedesk.Update{Status: new(servicedesk.StatusClosed)})
	got = e.incident(t, inc.ID)
	wantState(t, got, 1, 5)
	if n := e.count(http.MethodPost, "/CloseIncident"); n != 1 {
		t.Errorf("%d CloseIncident, want still 1", n)
	}
}

func TestCloseActiveIncidentResolvesIt(t *testing.T) {
	e := newEnv(t)
	inc := e.ensure(t, "HCA-0013")
	e.update(t, inc.ID, servicedesk.Update{Status: new(servicedesk.StatusClosed)})
	wantState(t, e.incident(t, inc.ID), 1, 5)
}

func TestCancel(t *testing.T) {
	e := newEnv(t)
	inc := e.ensure(t, "HCA-0014")
	u := servicedesk.Update{Status: new(servicedesk.StatusCancelled), Resolution: "Not an issue: caller resolved it."}
	e.update(t, inc.ID, u)
	e.update(t, inc.ID, u) // retried
	got := e.incident(t, inc.ID)
	wantState(t, got, 2, 6)
	if len(got.Notes) != 1 || got.Notes[0].Subject != "hcaops:"+cancelNoteKey || got.Notes[0].Text != u.Resolution {
		t.Errorf("notes = %+v, want the cancellation reason once", got.Notes)
	}
}

func TestCancelResolvedIncidentReactivatesFirst(t *testing.T) {
	e := newEnv(t)
	inc := e.ensure(t, "HCA-0015")
	e.update(t, inc.ID, servicedesk.Update{Status: new(servicedesk.StatusResolved)})
	e.update(t, inc.ID, servicedesk.Update{Status: new(servicedesk.StatusCancelled)})
	wantState(t, e.incident(t, inc.ID), 2, 6)
}

func TestDuplicateMerges(t *testing.T) {
	e := newEnv(t)
	master := e.ensure(t, "HCA-0016")
	dup := e.ensure(t, "HCA-0017")
	u := servicedesk.Update{Status: new(servicedesk.StatusCancelled), DuplicateOf: master.ID, Resolution: "Duplicate of HCA-0016"}
	e.update(t, dup.ID, u)
	e.update(t, dup.ID, u) // retried
	got := e.incident(t, dup.ID)
	wantState(t, got, 2, 2000)
	if got.MasterID != master.ID {
		t.Errorf("masterid = %q, want %q", got.MasterID, master.ID)
	}
	m := e.incident(t, master.ID)
	wantState(t, m, 0, 1)
	if m.Title != newIncident("").Summary {
		t.Errorf("master title changed to %q", m.Title)
	}
	if n := e.count(http.MethodPost, "/Merge"); n != 1 {
		t.Errorf("%d Merge, want 1", n)
	}

	err := e.client.UpdateIncident(context.Background(), master.ID,
		servicedesk.Update{Status: new(servicedesk.StatusCancelled), DuplicateOf: master.ID})
	if re := responseError(t, err); re.Retryable {
		t.Errorf("self-merge error %+v is retryable", re)
	}
}

func TestReopenResolvedIncident(t *testing.T) {
	e := newEnv(t)
	inc := e.ensure(t, "HCA-0018")
	e.update(t, inc.ID, servicedesk.Update{Status: new(servicedesk.StatusResolved)})
	e.update(t, inc.ID, servicedesk.Update{Status: new(servicedesk.StatusOpen)})
	wantState(t, e.incident(t, inc.ID), 0, 1)

	e.update(t, inc.ID, servicedesk.Update{Status: new(servicedesk.StatusResolved)})
	e.update(t, inc.ID, servicedesk.Update{Status: new(servicedesk.StatusInProgress), Priority: new(ticket.PriorityHigh)})
	got := e.incident(t, inc.ID)
	wantState(t, got, 0, 4)
	if got.PriorityCode != priorityHigh {
		t.Errorf("priority %d after reopening, want %d", got.PriorityCode, priorityHigh)
	}
}

func TestAddCommentOncePerKey(t *testing.T) {
	e := newEnv(t)
	inc := e.ensure(t, "HCA-0019")
	ctx := context.Background()
	for _, c := range []struct{ key, text string }{
		{"routed-es", "Routed to ES Tier 2/3."},
		{"routed-es", "Routed to ES Tier 2/3."},
		{"caller's-reply", "Caller sent the confirmation page."},
	} {
		if err := e.client.AddComment(ctx, inc.ID, c.key, c.text); err != nil {
			t.Fatalf("AddComment(%s): %v", c.key, err)
		}
	}
	notes := e.incident(t, inc.ID).Notes
	if len(notes) != 2 || notes[0].Subject != "hcaops:routed-es" || notes[1].Subject != "hcaops:caller's-reply" ||
		notes[0].Text != "Routed to ES Tier 2/3." {
		t.Errorf("notes = %+v", notes)
	}
}

// A note is one call, with no read first: an upsert that may only create, to an id the
// incident and the key decide. A second worker writing the same note gets Dataverse's 412
// and finds it written.
func TestAddCommentIsOneCallAndOncePerKey(t *testing.T) {
	e := newEnv(t)
	inc := e.ensure(t, "HCA-0022")
	other, err := NewClient(Config{ // a second worker's client, on the same organisation
		BaseURL: e.server.URL, TokenURL: e.server.URL + dynamicsfake.FakeTokenPath, ClientID: testClientID,
		ClientSecret: testSecret, CustomerAccountID: testAccount, HTTPClient: e.server.Client(), Now: e.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	before := len(e.fake.Requests())
	if err := e.client.AddComment(ctx, inc.ID, "HCA-0022#4", "[route-to-es by op] ES rejects the record"); err != nil {
		t.Fatal(err)
	}
	reqs := e.fake.Requests()[before:]
	var api []dynamicsfake.FakeRequest
	for _, r := range reqs {
		if strings.Contains(r.Path, "/api/data/") {
			api = append(api, r)
		}
	}
	if len(api) != 1 || api[0].Method != http.MethodPatch || !strings.Contains(api[0].Path, "/annotations(") {
		t.Fatalf("AddComment sent %+v, want one PATCH annotations(id)", api)
	}
	if err := other.AddComment(ctx, inc.ID, "HCA-0022#4", "[route-to-es by op] ES rejects the record"); err != nil {
		t.Fatalf("the same note from a second worker: %v", err)
	}
	notes := e.incident(t, inc.ID).Notes
	if len(notes) != 1 || notes[0].Subject != "hcaops:HCA-0022#4" {
		t.Errorf("notes %+v, want one, subject hcaops:HCA-0022#4", notes)
	}
}

func TestServerErrorsAreRetryable(t *testing.T) {
	for _, status := range []int{500, 502, 503, 408, 429} {
		e := newEnv(t)
		e.fake.FailNext(1, status)
		_, err := e.client.FindIncident(context.Background(), "HCA-0020")
		re := responseError(t, err)
		if re.Status != status || !re.Retryable || re.Op != "find incident" {
			t.Errorf("FailNext(1, %d): %+v, want retryable", status, re)
		}
		if _, err := e.client.FindIncident(context.Background(), "HCA-0020"); !errors.Is(err, servicedesk.ErrNotFound) {
			t.Errorf("after the failure: %v, want ErrNotFound", err)
		}
	}
}

func TestClientErrorsAreNotRetryable(t *testing.T) {
	for _, status := range []int{400, 403, 404} {
		e := newEnv(t)
		inc := e.ensure(t, "HCA-0021")
		e.fake.FailNext(1, status)
		err := e.client.UpdateIncident(context.Background(), inc.ID, servicedesk.Update{Priority: new(ticket.PriorityLow)})
		re := responseError(t, err)
		if re.Status != status || re.Retryable || re.Op != "update incident" {
			t.Errorf("FailNext(1, %d): %+v, want not retryable", status, re)
		}
		want := fmt.Sprintf("dynamics update incident: HTTP %d: injected failure", status)
		if !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error text %q", err)
		}
	}
}

func TestMalformedAnswer(t *testing.T) {
	e := newEnv(t)
	e.fake.Malformed(1)
	_, err := e.client.FindIncident(context.Background(), "HCA-0022")
	re := responseError(t, err)
	if !strings.Contains(re.Msg, "malformed JSON response") || re.Op != "find incident" || !re.Retryable {
		t.Errorf("error = %+v, want a retryable malformed JSON response", re)
	}
}

func TestTitleTooLong(t *testing.T) {
	e := newEnv(t)
	in := newIncident("HCA-0023")
	in.Summary = strings.Repeat("secret title ", 16)[:201]
	_, err := e.client.EnsureIncident(context.Background(), in)
	re := responseError(t, err)
	if re.Op != "create incident" || re.Status != http.StatusBadRequest || re.Retryable ||
		!strings.Contains(re.Msg, "title is longer than 200 characters") {
		t.Errorf("error = %+v", re)
	}
	if strings.Contains(err.Error(), "secret title") {
		t.Errorf("error %q shows the title", err)
	}
	if n := len(e.fake.Incidents()); n != 0 {
		t.Errorf("fake holds %d incidents, want 0", n)
	}
}

func TestTitleRequired(t *testing.T) {
	e := newEnv(t)
	in := newIncident("HCA-0024")
	in.Summary = ""
	_, err := e.client.EnsureIncident(context.Background(), in)
	if got, want := err.Error(), "dynamics create incident: HTTP 400: title is required (0x80040203)"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestServerMessageQuotingTextIsRedacted(t *testing.T) {
	body := []byte(`{"error":{"code":"0x80040203","message":"The value 'Caller John Doe SSN' is not valid"}}`)
	err := httpError("add note", 400, body, "Caller John Doe SSN")
	if strings.Contains(err.Error(), "John") || !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("error = %q", err)
	}
}

func TestUnreachableServerIsRetryable(t *testing.T) {
	e := newEnv(t)
	e.server.Close()
	_, err := e.client.FindIncident(context.Background(), "HCA-0025")
	if re := responseError(t, err); !re.Retryable || re.Status != 0 {
		t.Errorf("error = %+v, want retryable with no status", re)
	}
}

func TestCancelledContextIsReturned(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.client.FindIncident(ctx, "HCA-0026"); !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

func TestBadArgumentsAreRefusedLocally(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	errs := map[string]error{
		"bad id":       e.client.UpdateIncident(ctx, "in:400001", servicedesk.Update{Priority: new(ticket.PriorityLow)}),
		"path in id":   e.client.AddComment(ctx, "00000000-0000-0000-0000-000000000000)/x", "k", "t"),
		"no key":       e.client.AddComment(ctx, "00000000-0000-0000-0000-000000000000", "", "t"),
		"bad priority": e.client.UpdateIncident(ctx, "00000000-0000-0000-0000-000000000000", servicedesk.Update{Priority: new(ticket.Priority("Whenever"))}),
		"bad status":   e.client.UpdateIncident(ctx, "00000000-0000-0000-0000-000000000000", servicedesk.Update{Status: new(servicedesk.Status("limbo"))}),
		"no ref":       func() error { _, err := e.client.EnsureIncident(ctx, newIncident("")); return err }(),
	}
	for name, err := range errs {
		if re := responseError(t, err); re.Retryable {
			t.Errorf("%s: %+v is retryable", name, re)
		}
	}
	if reqs := e.fake.Requests(); len(reqs) != 0 {
		t.Errorf("requests sent for bad arguments: %+v", reqs)
	}
}

func TestUpdateUnknownIncident(t *testing.T) {
	e := newEnv(t)
	err := e.client.UpdateIncident(context.Background(), "00000000-0000-4000-8000-000000000000",
		servicedesk.Update{Priority: new(ticket.PriorityLow)})
	if re := responseError(t, err); re.Status != http.StatusNotFound || re.Retryable {
		t.Errorf("error = %+v, want a non-retryable 404", re)
	}
	if n := len(e.fake.Incidents()); n != 0 {
		t.Errorf("PATCH created %d incidents", n)
	}
}

func TestNewClientChecksConfig(t *testing.T) {
	good := Config{
		BaseURL: "https://org.crm9.dynamics.com/", TokenURL: "https://login.microsoftonline.us/t/oauth2/v2.0/token",
		ClientID: "id", ClientSecret: "secret", CustomerAccountID: testAccount,
	}
	c, err := NewClient(good)
	if err != nil {
		t.Fatal(err)
	}
	if c.api != "https://org.crm9.dynamics.com/api/data/v9.2/" || c.cfg.HTTPClient.Timeout != 15*time.Second ||
		c.cfg.RenewBefore != 5*time.Minute || c.cfg.Now == nil {
		t.Errorf("defaults not applied: api %q cfg %+v", c.api, c.cfg)
	}
	for name, mutate := range map[string]func(*Config){
		"no base URL":     func(c *Config) { c.BaseURL = "" },
		"relative URL":    func(c *Config) { c.TokenURL = "/token" },
		"no secret":       func(c *Config) { c.ClientSecret = "" },
		"account no GUID": func(c *Config) { c.CustomerAccountID = "Veterans Health Administration" },
	} {
		cfg := good
		mutate(&cfg)
		if _, err := NewClient(cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestTokenEndpoint401IsNotRetryable(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}`))
	}))
	defer srv.Close()
	c, err := NewClient(Config{
		BaseURL: srv.URL, TokenURL: srv.URL + "/tenant/oauth2/v2.0/token",
		ClientID: testClientID, ClientSecret: testSecret, CustomerAccountID: testAccount,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.FindIncident(context.Background(), "HCA-0027")
	re := responseError(t, err)
	if re.Op != "get token" || re.Status != http.StatusUnauthorized || re.Retryable || !strings.Contains(re.Msg, "AADSTS7000215") {
		t.Errorf("error = %+v", re)
	}
}

func TestMalformedAnswerToUpdate(t *testing.T) {
	e := newEnv(t)
	inc := e.ensure(t, "HCA-0028")
	e.fake.Malformed(1)
	err := e.client.UpdateIncident(context.Background(), inc.ID, servicedesk.Update{Priority: new(ticket.PriorityLow)})
	if re := responseError(t, err); !strings.Contains(re.Msg, "malformed JSON response") || re.Op != "update incident" {
		t.Errorf("error = %+v, want a malformed JSON response", re)
	}
}
