package sdm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/servicedesk/sdm/sdmfake"
	"github.com/hcaops/hcaops/ticket"
)

// clock is a settable clock shared by a test's client and fake.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	client *Client
	fake   *sdmfake.Fake
	clock  *clock
	url    string
}

const (
	testUser     = "hcaops"
	testPassword = "s3cret"
)

// newEnv starts a fake SDM and a client of it sharing one clock. wrap, if not
// nil, wraps the fake's handler.
func newEnv(t *testing.T, wrap func(*sdmfake.Fake, http.Handler) http.Handler) *env {
	t.Helper()
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	fake := sdmfake.NewFake(testUser, testPassword)
	fake.Now = clk.Now
	var h http.Handler = fake.Handler()
	if wrap != nil {
		h = wrap(fake, h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	client, err := NewClient(Config{BaseURL: srv.URL, Username: testUser, Password: testPassword, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &env{client: client, fake: fake, clock: clk, url: srv.URL}
}

// seedLog adds n Log Comment entries to the incident id ("cr:NNN") through SDM's REST
// API, as other SDM users would, with an access key of its own.
func seedLog(t *testing.T, e *env, id string, n int, text func(i int) string) {
	t.Helper()
	call := func(method, path, key, body string) []byte {
		t.Helper()
		req, err := http.NewRequest(method, e.url+"/caisd-rest/"+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Content-Type", "application/json")
		if key == "" {
			req.SetBasicAuth(testUser, testPassword)
		} else {
			req.Header.Set("X-AccessKey", key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		return b
	}
	var access struct {
		RestAccess struct {
			AccessKey string `json:"access_key"`
		} `json:"rest_access"`
	}
	if err := json.Unmarshal(call(http.MethodPost, "rest_access", "", `{"rest_access":{}}`), &access); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		desc, _ := json.Marshal(text(i))
		call(http.MethodPost, "alg", access.RestAccess.AccessKey,
			`{"alg":{"call_req_id":{"@REL_ATTR":"`+id+`"},"type":{"@REL_ATTR":"LOG"},"description":`+string(desc)+`}}`)
	}
}

func newIncident(ref string) servicedesk.NewIncident {
	return servicedesk.NewIncident{
		Ref:         ref,
		Summary:     "10-10EZ submission fails at signature step",
		Description: "Caller reports the online form errors on submit.",
		Category:    "10-10EZ",
		Channel:     ticket.ChannelPhone,
		Priority:    ticket.PriorityHigh,
		Group:       servicedesk.GroupHRC,
	}
}

// count returns how many calls the fake answered for method and path.
func count(f *sdmfake.Fake, method, path string) int {
	n := 0
	for _, r := range f.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

func logins(f *sdmfake.Fake) int { return count(f, http.MethodPost, "/caisd-rest/rest_access") }

func onlyIncident(t *testing.T, f *sdmfake.Fake) sdmfake.FakeIncident {
	t.Helper()
	incs := f.Incidents()
	if len(incs) != 1 {
		t.Fatalf("fake holds %d incidents, want 1: %+v", len(incs), incs)
	}
	return incs[0]
}

func logOfType(inc sdmfake.FakeIncident, kind string) []sdmfake.FakeLogEntry {
	var out []sdmfake.FakeLogEntry
	for _, e := range inc.Log {
		if e.Type == kind {
			out = append(out, e)
		}
	}
	return out
}

func responseError(t *testing.T, err error) *servicedesk.ResponseError {
	t.Helper()
	var rerr *servicedesk.ResponseError
	if !errors.As(err, &rerr) {
		t.Fatalf("error %v (%T) is not a *servicedesk.ResponseError", err, err)
	}
	if rerr.System != "sdm" {
		t.Errorf("System = %q, want sdm", rerr.System)
	}
	return rerr
}

func TestName(t *testing.T) {
	e := newEnv(t, nil)
	if got := e.client.Name(); got != "sdm" {
		t.Errorf("Name() = %q", got)
	}
}

func TestCreateThenFind(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	created, err := e.client.EnsureIncident(ctx, newIncident("HCA-0001"))
	if err != nil {
		t.Fatal(err)
	}
	if created.ID != "cr:400001" || created.Number != "HRC0001" {
		t.Errorf("created %+v, want cr:400001 / HRC0001", created)
	}
	found, err := e.client.FindIncident(ctx, "HCA-0001")
	if err != nil {
		t.Fatal(err)
	}
	if found != created {
		t.Errorf("found %+v, want %+v", found, created)
	}
	inc := onlyIncident(t, e.fake)
	want := sdmfake.FakeIncident{
		HcaopsRef: "HCA-0001", Summary: newIncident("").Summary, Description: newIncident("").Description,
		Status: "OP", Priority: "2", Group: "HRC Tier 1", Category: "10-10EZ",
	}
	if inc.HcaopsRef != want.HcaopsRef || inc.Summary != want.Summary || inc.Description != want.Description ||
		inc.Status != want.Status || inc.Priority != want.Priority || inc.Group != want.Group || inc.Category != want.Category {
		t.Errorf("fake holds %+v\nwant fields of %+v", inc, want)
	}
	if inc.OpenDate.IsZero() {
		t.Error("open_date not set")
	}
}

func TestFindUnknownRefIsNotFound(t *testing.T) {
	e := newEnv(t, nil)
	_, err := e.client.FindIncident(context.Background(), "HCA-404")
	if !errors.Is(err, servicedesk.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

func TestFindQuotesTheReference(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	if _, err := e.client.EnsureIncident(ctx, newIncident("O'Brien AND x='1")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.FindIncident(ctx, "O'Brien AND x='1"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.FindIncident(ctx, "O'Brien"); !errors.Is(err, servicedesk.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

func TestEnsureIncidentTwiceMakesOne(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	first, err := e.client.EnsureIncident(ctx, newIncident("HCA-0002"))
	if err != nil {
		t.Fatal(err)
	}
	again := newIncident("HCA-0002")
	again.Summary = "a different summary"
	second, err := e.client.EnsureIncident(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Errorf("second call returned %+v, want %+v", second, first)
	}
	if inc := onlyIncident(t, e.fake); inc.Summary == "a different summary" {
		t.Error("EnsureIncident updated the existing incident")
	}
	if n := count(e.fake, http.MethodPost, "/caisd-rest/in"); n != 1 {
		t.Errorf("%d creates, want 1", n)
	}
}

func TestEnsureIncidentConcurrentAttemptsMakeOne(t *testing.T) {
	e := newEnv(t, nil)
	// A second client stands for another worker process: only SDM's unique
	// zhcaops_ref and the look-again after a failed create protect it.
	other, err := NewClient(Config{BaseURL: e.url, Username: testUser, Password: testPassword, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]servicedesk.Incident, 12)
	errs := make([]error, len(results))
	for i := range results {
		c := e.client
		if i%2 == 1 {
			c = other
		}
		wg.Go(func() { results[i], errs[i] = c.EnsureIncident(context.Background(), newIncident("HCA-RACE")) })
	}
	wg.Wait()
	for i := range results {
		if errs[i] != nil {
			t.Fatalf("attempt %d: %v", i, errs[i])
		}
		if results[i] != results[0] {
			t.Errorf("attempt %d got %+v, attempt 0 got %+v", i, results[i], results[0])
		}
	}
	onlyIncident(t, e.fake)
}

func TestEnsureIncidentLostCreateAnswer(t *testing.T) {
	// SDM creates the incident but the answer arrives garbled: the client must
	// find it rather than fail, and certainly not create another.
	var once sync.Once
	e := newEnv(t, func(f *sdmfake.Fake, h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && r.URL.Path == "/caisd-rest/in" {
				once.Do(func() { f.Malformed(1) })
			}
			h.ServeHTTP(w, r)
		})
	})
	ctx := context.Background()
	got, err := e.client.EnsureIncident(ctx, newIncident("HCA-LOST"))
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "cr:400001" {
		t.Errorf("got %+v", got)
	}
	if _, err := e.client.EnsureIncident(ctx, newIncident("HCA-LOST")); err != nil {
		t.Fatal(err)
	}
	onlyIncident(t, e.fake)
}

func TestAccessKeyIsReused(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	inc, err := e.client.EnsureIncident(ctx, newIncident("HCA-0003"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := e.client.FindIncident(ctx, "HCA-0003"); err != nil {
			t.Fatal(err)
		}
		if err := e.client.AddComment(ctx, inc.ID, fmt.Sprint("k", i), "note"); err != nil {
			t.Fatal(err)
		}
	}
	if n := logins(e.fake); n != 1 {
		t.Errorf("%d rest_access calls, want 1", n)
	}
}

func TestAccessKeyRenewedBeforeExpiry(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	find := func() {
		t.Helper()
		if _, err := e.client.FindIncident(ctx, "HCA-X"); !errors.Is(err, servicedesk.ErrNotFound) {
			t.Fatalf("find: %v", err)
		}
	}
	find()
	e.clock.Advance(100 * time.Hour)
	find()
	if n := logins(e.fake); n != 1 {
		t.Fatalf("%d rest_access calls after 100 h, want 1", n)
	}
	// 30 minutes before the 168 h expiry: within the default 1 h margin.
	e.clock.Advance(67*time.Hour + 30*time.Minute)
	find()
	if n := logins(e.fake); n != 2 {
		t.Errorf("%d rest_access calls near expiry, want 2", n)
	}
	for _, r := range e.fake.Requests() {
		if r.Status == http.StatusUnauthorized {
			t.Errorf("%s %s answered 401: the key should have been renewed before use", r.Method, r.Path)
		}
	}
}

func TestRevokedKeyIsRenewedAndRequestRetried(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	if _, err := e.client.EnsureIncident(ctx, newIncident("HCA-0004")); err != nil {
		t.Fatal(err)
	}
	e.fake.ExpireKeys()
	got, err := e.client.FindIncident(ctx, "HCA-0004")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "cr:400001" {
		t.Errorf("got %+v", got)
	}
	if n := logins(e.fake); n != 2 {
		t.Errorf("%d rest_access calls, want 2", n)
	}
	unauthorized := 0
	for _, r := range e.fake.Requests() {
		if r.Status == http.StatusUnauthorized {
			unauthorized++
		}
	}
	if unauthorized != 1 {
		t.Errorf("%d answers were 401, want 1", unauthorized)
	}
}

func TestRepeated401IsRetryableError(t *testing.T) {
	e := newEnv(t, nil)
	e.fake.FailNext(2, http.StatusUnauthorized)
	_, err := e.client.FindIncident(context.Background(), "HCA-0005")
	rerr := responseError(t, err)
	if rerr.Status != http.StatusUnauthorized || !rerr.Retryable {
		t.Errorf("got %+v, want retryable 401", rerr)
	}
	if n := logins(e.fake); n != 2 {
		t.Errorf("%d rest_access calls, want 2 (one renewal, one retry)", n)
	}
}

func TestBadCredentials(t *testing.T) {
	e := newEnv(t, nil)
	bad, err := NewClient(Config{BaseURL: e.url, Username: testUser, Password: "wrong"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.FindIncident(context.Background(), "HCA-0006")
	rerr := responseError(t, err)
	if rerr.Status != http.StatusUnauthorized || rerr.Retryable {
		t.Errorf("got %+v, want non-retryable 401", rerr)
	}
	want := "sdm find incident: access key: HTTP 401: Authentication failed: invalid username or password"
	if err.Error() != want {
		t.Errorf("error %q\nwant      %q", err, want)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Error("error reveals the password")
	}
}

func TestUpdateIncidentFields(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	inc, err := e.client.EnsureIncident(ctx, newIncident("HCA-0007"))
	if err != nil {
		t.Fatal(err)
	}
	status, priority, group, escalated := servicedesk.StatusInProgress, ticket.PriorityUrgent, servicedesk.GroupES, true
	err = e.client.UpdateIncident(ctx, inc.ID, servicedesk.Update{Status: &status, Priority: &priority, Group: &group, Escalated: &escalated})
	if err != nil {
		t.Fatal(err)
	}
	got := onlyIncident(t, e.fake)
	if got.Status != "WIP" || got.Priority != "1" || got.Group != "ES Tier 2/3" || !got.Escalated {
		t.Errorf("fake holds status %q priority %q group %q escalated %v", got.Status, got.Priority, got.Group, got.Escalated)
	}
	if st := logOfType(got, "ST"); len(st) != 1 {
		t.Errorf("status change log entries: %+v", st)
	}

	escalated = false
	hold := servicedesk.StatusOnHold
	if err := e.client.UpdateIncident(ctx, "in:400001", servicedesk.Update{Status: &hold, Escalated: &escalated}); err != nil {
		t.Fatal(err)
	}
	got = onlyIncident(t, e.fake)
	if got.Status != "PNDCHG" || got.Escalated || got.Priority != "1" {
		t.Errorf("after second update: status %q escalated %v priority %q", got.Status, got.Escalated, got.Priority)
	}
}

func TestUpdateNothingSendsNothing(t *testing.T) {
	e := newEnv(t, nil)
	if err := e.client.UpdateIncident(context.Background(), "cr:400001", servicedesk.Update{}); err != nil {
		t.Fatal(err)
	}
	if n := len(e.fake.Requests()); n != 0 {
		t.Errorf("%d requests for an empty update", n)
	}
}

func TestEveryStatusIsAccepted(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	inc, err := e.client.EnsureIncident(ctx, newIncident("HCA-0008"))
	if err != nil {
		t.Fatal(err)
	}
	for s, code := range statusCodes {
		if err := e.client.UpdateIncident(ctx, inc.ID, servicedesk.Update{Status: &s}); err != nil {
			t.Fatalf("status %s: %v", s, err)
		}
		if got := onlyIncident(t, e.fake).Status; got != code {
			t.Errorf("status %s: fake holds %q, want %q", s, got, code)
		}
	}
	for _, p := range ticket.Priorities {
		if err := e.client.UpdateIncident(ctx, inc.ID, servicedesk.Update{Priority: &p}); err != nil {
			t.Fatalf("priority %s: %v", p, err)
		}
	}
}

func TestResolutionIsLoggedOnce(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	inc, err := e.client.EnsureIncident(ctx, newIncident("HCA-0009"))
	if err != nil {
		t.Fatal(err)
	}
	resolved := servicedesk.StatusResolved
	u := servicedesk.Update{Status: &resolved, Resolution: "Caller re-submitted after cache clear."}
	for range 2 {
		if err := e.client.UpdateIncident(ctx, inc.ID, u); err != nil {
			t.Fatal(err)
		}
	}
	got := onlyIncident(t, e.fake)
	if got.Status != "RE" {
		t.Errorf("status %q, want RE", got.Status)
	}
	re := logOfType(got, "RE")
	if len(re) != 1 {
		t.Fatalf("RE log entries: %+v, want 1", re)
	}
	if !strings.HasPrefix(re[0].Description, u.Resolution) || !strings.HasSuffix(re[0].Description, "[hcaops:resolution:RE]") {
		t.Errorf("RE entry %q", re[0].Description)
	}

	closed := servicedesk.StatusClosed
	if err := e.client.UpdateIncident(ctx, inc.ID, servicedesk.Update{Status: &closed, Resolution: "Closed after 3 days."}); err != nil {
		t.Fatal(err)
	}
	got = onlyIncident(t, e.fake)
	if cl := logOfType(got, "CL"); got.Status != "CL" || len(cl) != 1 || got.CloseDate.IsZero() {
		t.Errorf("status %q, CL entries %+v, close date %v", got.Status, cl, got.CloseDate)
	}
}

func TestDuplicateIsCancelledWithParent(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	master, err := e.client.EnsureIncident(ctx, newIncident("HCA-0010"))
	if err != nil {
		t.Fatal(err)
	}
	dup, err := e.client.EnsureIncident(ctx, newIncident("HCA-0011"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.client.UpdateIncident(ctx, dup.ID, servicedesk.Update{DuplicateOf: master.ID, Resolution: "Duplicate of HRC0001."}); err != nil {
		t.Fatal(err)
	}
	got := e.fake.Incidents()[1]
	if got.Parent != master.ID || got.Status != "CNCL" {
		t.Errorf("duplicate has parent %q status %q, want %s CNCL", got.Parent, got.Status, master.ID)
	}
	if cl := logOfType(got, "CL"); len(cl) != 1 {
		t.Errorf("CL entries %+v", cl)
	}

	inProgress := servicedesk.StatusInProgress
	if err := e.client.UpdateIncident(ctx, dup.ID, servicedesk.Update{Status: &inProgress, DuplicateOf: master.ID}); err == nil {
		t.Error("a duplicate in progress was accepted")
	}
}

func TestAddCommentOncePerKey(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	inc, err := e.client.EnsureIncident(ctx, newIncident("HCA-0012"))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := e.client.AddComment(ctx, inc.ID, "sla-warning-1", "Response SLA at 80%."); err != nil {
			t.Fatal(err)
		}
	}
	comments := logOfType(onlyIncident(t, e.fake), "LOG")
	if len(comments) != 1 {
		t.Fatalf("comments %+v, want 1", comments)
	}
	if want := "Response SLA at 80%.\n[hcaops:sla-warning-1]"; comments[0].Description != want {
		t.Errorf("comment %q, want %q", comments[0].Description, want)
	}
	if err := e.client.AddComment(ctx, inc.ID, "sla-warning-2", "Response SLA at 80%."); err != nil {
		t.Fatal(err)
	}
	if comments := logOfType(onlyIncident(t, e.fake), "LOG"); len(comments) != 2 {
		t.Errorf("comments %+v, want 2", comments)
	}
	for _, bad := range []string{"bad]key", "bad[key"} {
		if err := e.client.AddComment(ctx, inc.ID, bad, "x"); err == nil {
			t.Errorf("the key %q was accepted", bad)
		}
	}
}

// SDM picks the log entries that may carry the marker: on a long log, the check reads one
// short page, not the whole log.
func TestAddCommentReadsOnlyEntriesThatMayMatch(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	inc, err := e.client.EnsureIncident(ctx, newIncident("HCA-0012"))
	if err != nil {
		t.Fatal(err)
	}
	seedLog(t, e, inc.ID, 1200, func(i int) string { return fmt.Sprintf("entry %d\n[hcaops:old-%d]", i, i) })
	before := count(e.fake, http.MethodGet, "/caisd-rest/alg")
	if err := e.client.AddComment(ctx, inc.ID, "old-1150", "again"); err != nil {
		t.Fatal(err)
	}
	if n := len(logOfType(onlyIncident(t, e.fake), "LOG")); n != 1200 {
		t.Errorf("%d comments, want 1200 (no new one)", n)
	}
	if n := count(e.fake, http.MethodGet, "/caisd-rest/alg") - before; n != 1 {
		t.Errorf("%d log pages read, want 1", n)
	}
}

// When more entries match the pattern than a page holds (LIKE reads _ as any character),
// the check reads every page and matches the marker exactly.
func TestAddCommentReadsEveryLogPage(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	inc, err := e.client.EnsureIncident(ctx, newIncident("HCA-0013"))
	if err != nil {
		t.Fatal(err)
	}
	// 1200 entries the pattern of key old_1 matches; the marker itself is on the third page.
	seedLog(t, e, inc.ID, 1200, func(i int) string {
		if i == 1150 {
			return "entry 1150\n[hcaops:old_1]"
		}
		return fmt.Sprintf("entry %d\n(hcaops:old%c1]", i, 'A'+i%26)
	})
	before := count(e.fake, http.MethodGet, "/caisd-rest/alg")
	if err := e.client.AddComment(ctx, inc.ID, "old_1", "again"); err != nil {
		t.Fatal(err)
	}
	if n := len(logOfType(onlyIncident(t, e.fake), "LOG")); n != 1200 {
		t.Errorf("%d comments, want 1200 (no new one)", n)
	}
	if n := count(e.fake, http.MethodGet, "/caisd-rest/alg") - before; n != 3 {
		t.Errorf("%d log pages read, want 3", n)
	}
	// A key only the wildcard matches is not taken for written.
	if err := e.client.AddComment(ctx, inc.ID, "oldZ1", "new"); err != nil {
		t.Fatal(err)
	}
	if n := len(logOfType(onlyIncident(t, e.fake), "LOG")); n != 1201 {
		t.Errorf("%d comments, want 1201 (oldZ1 written)", n)
	}
}

func TestAddCommentToUnknownIncident(t *testing.T) {
	e := newEnv(t, nil)
	err := e.client.AddComment(context.Background(), "cr:499999", "k", "text")
	rerr := responseError(t, err)
	if rerr.Status != http.StatusBadRequest || rerr.Retryable || !strings.Contains(rerr.Msg, "cr:499999") {
		t.Errorf("got %+v", rerr)
	}
}

func TestUpdateUnknownIncident(t *testing.T) {
	e := newEnv(t, nil)
	s := servicedesk.StatusInProgress
	err := e.client.UpdateIncident(context.Background(), "cr:499999", servicedesk.Update{Status: &s})
	rerr := responseError(t, err)
	if rerr.Status != http.StatusNotFound || rerr.Retryable || rerr.Op != "update incident" {
		t.Errorf("got %+v", rerr)
	}
	if want := `sdm update incident: HTTP 404: no incident with id "499999"`; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestInvalidIDIsRejected(t *testing.T) {
	e := newEnv(t, nil)
	s := servicedesk.StatusInProgress
	if err := e.client.UpdateIncident(context.Background(), "INC-1", servicedesk.Update{Status: &s}); err == nil {
		t.Error("an id without a number was accepted")
	}
}

func TestServerErrorIsRetryable(t *testing.T) {
	e := newEnv(t, nil)
	e.fake.FailNext(1, http.StatusInternalServerError)
	_, err := e.client.FindIncident(context.Background(), "HCA-0014")
	rerr := responseError(t, err)
	if rerr.Status != 500 || !rerr.Retryable || rerr.Op != "find incident" {
		t.Errorf("got %+v", rerr)
	}
	if !strings.Contains(err.Error(), "HTTP 500: fault injected") {
		t.Errorf("error %q does not carry SDM's message", err)
	}
	if _, err := e.client.FindIncident(context.Background(), "HCA-0014"); !errors.Is(err, servicedesk.ErrNotFound) {
		t.Errorf("after the fault: %v", err)
	}
}

func TestBadRequestIsNotRetryable(t *testing.T) {
	e := newEnv(t, nil)
	e.fake.FailNext(1, http.StatusBadRequest)
	_, err := e.client.EnsureIncident(context.Background(), newIncident("HCA-0015"))
	rerr := responseError(t, err)
	if rerr.Status != 400 || rerr.Retryable {
		t.Errorf("got %+v", rerr)
	}
}

func TestThrottlingIsRetryable(t *testing.T) {
	e := newEnv(t, nil)
	e.fake.FailNext(1, http.StatusTooManyRequests)
	_, err := e.client.FindIncident(context.Background(), "HCA-0016")
	if rerr := responseError(t, err); !rerr.Retryable {
		t.Errorf("got %+v", rerr)
	}
}

func TestMalformedAnswer(t *testing.T) {
	e := newEnv(t, nil)
	e.fake.Malformed(1)
	_, err := e.client.FindIncident(context.Background(), "HCA-0017")
	rerr := responseError(t, err)
	if !rerr.Retryable || !strings.HasPrefix(err.Error(), "sdm find incident: malformed JSON response: ") {
		t.Errorf("got %v (%+v)", err, rerr)
	}
}

func TestNetworkErrorIsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens any more
	c, err := NewClient(Config{BaseURL: srv.URL, Username: testUser, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.FindIncident(context.Background(), "HCA-0018")
	if rerr := responseError(t, err); !rerr.Retryable || rerr.Status != 0 {
		t.Errorf("got %+v", rerr)
	}
}

func TestCancelledContext(t *testing.T) {
	e := newEnv(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.client.FindIncident(ctx, "HCA-0019")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestNewClientChecksConfig(t *testing.T) {
	for _, cfg := range []Config{
		{BaseURL: "", Username: "u"},
		{BaseURL: "sdm.example.gov", Username: "u"},
		{BaseURL: "https://sdm.example.gov"},
	} {
		if _, err := NewClient(cfg); err == nil {
			t.Errorf("NewClient(%+v) accepted", cfg)
		}
	}
	c, err := NewClient(Config{BaseURL: "https://sdm.example.gov:8050/caisd-rest/", Username: "u"})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.url("in", nil); got != "https://sdm.example.gov:8050/caisd-rest/in" {
		t.Errorf("url = %q", got)
	}
}

func TestNumericScalarsInAnswers(t *testing.T) {
	// Some SDM releases send numbers where others send strings.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/caisd-rest/rest_access":
			fmt.Fprintf(w, `{"rest_access":{"@id":406101,"@REL_ATTR":406101,"@COMMON_NAME":796354189,"access_key":796354189,"expiration_date":%d}}`,
				time.Now().Add(time.Hour*24).Unix())
		case "/caisd-rest/in":
			if r.Header.Get("X-AccessKey") != "796354189" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			fmt.Fprint(w, `{"collection_in":{"@COUNT":1,"@START":1,"@TOTAL_COUNT":1,"in":{"@id":400123,"@REL_ATTR":"cr:400123","@COMMON_NAME":"777","ref_num":777,"zhcaops_ref":"HCA-N"}}}`)
		}
	}))
	defer srv.Close()
	c, err := NewClient(Config{BaseURL: srv.URL, Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.FindIncident(context.Background(), "HCA-N")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "cr:400123" || got.Number != "777" {
		t.Errorf("got %+v", got)
	}
}
