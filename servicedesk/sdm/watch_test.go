package sdm

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/servicedesk/sdm/sdmfake"
	"github.com/hcaops/hcaops/ticket"
)

// asPerson makes a change in the fake SDM as a person would, through the fake's
// per-user door (the object calls without the key dance).
func asPerson(t *testing.T, e *env, method, path, body string) {
	t.Helper()
	req, err := http.NewRequest(method, e.url+"/caisd-rest/_fake/as/jdoe/"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s as jdoe: %d %s", method, path, resp.StatusCode, b)
	}
}

func TestChangesReadsFromTheWatermarkWithOverlap(t *testing.T) {
	e := newEnv(t, nil)
	e.fake.AddUser("jdoe", "pw")
	ctx := context.Background()
	asPerson(t, e, "POST", "in", `{"in":{"summary":"Cannot sign in","group":{"@COMMON_NAME":"HRC Tier 1"},"priority":{"@COMMON_NAME":"2"}}}`)
	feed, err := e.client.Changes(ctx, "", e.clock.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(feed.Incidents) != 1 {
		t.Fatalf("first poll: %+v", feed)
	}
	got := feed.Incidents[0]
	if got.ID != "cr:400001" || got.Number != "HRC0001" || got.Status != servicedesk.StatusOpen || got.Group != servicedesk.GroupHRC ||
		got.Priority != ticket.PriorityHigh || got.OpenedBy != "jdoe" || got.Ref != "" || got.Summary != "Cannot sign in" {
		t.Errorf("snapshot %+v", got)
	}
	if feed.Cursor != "1772442000" { // 2026-03-02 09:00 UTC, SDM's own stamp
		t.Errorf("cursor %q", feed.Cursor)
	}
	// Within the overlap the same incident is read again; past it, only what changed.
	e.clock.Advance(time.Minute)
	again, _ := e.client.Changes(ctx, feed.Cursor, time.Time{})
	if len(again.Incidents) != 1 || again.Cursor != feed.Cursor {
		t.Errorf("within the overlap: %+v", again)
	}
	e.clock.Advance(10 * time.Minute)
	later, _ := e.client.Changes(ctx, feed.Cursor, time.Time{})
	if len(later.Incidents) != 1 {
		t.Errorf("an incident changed %v ago is still in the overlap of its own stamp: %+v", 11*time.Minute, later)
	}
	asPerson(t, e, "PUT", "in/400001", `{"in":{"status":{"@REL_ATTR":"WIP"}}}`)
	changed, _ := e.client.Changes(ctx, later.Cursor, time.Time{})
	if len(changed.Incidents) != 1 || changed.Incidents[0].Status != servicedesk.StatusInProgress || changed.Cursor == later.Cursor {
		t.Errorf("after a change: %+v", changed)
	}
	// The newest change stays in its own overlap until a newer one moves the cursor.
	e.clock.Advance(10 * time.Minute)
	asPerson(t, e, "POST", "in", `{"in":{"summary":"Another caller","group":{"@COMMON_NAME":"HRC Tier 1"}}}`)
	next, _ := e.client.Changes(ctx, changed.Cursor, time.Time{})
	if len(next.Incidents) != 2 {
		t.Errorf("the newest and the new: %+v", next)
	}
	e.clock.Advance(time.Minute)
	quiet, _ := e.client.Changes(ctx, next.Cursor, time.Time{})
	if len(quiet.Incidents) != 1 || quiet.Incidents[0].Number != "HRC0002" || quiet.Cursor != next.Cursor {
		t.Errorf("past the overlap only the newest: %+v", quiet)
	}
}

func TestChangesReadsEveryPageAndStopsAtTheBound(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	for i := range 520 {
		_ = i
		if _, err := e.client.EnsureIncident(ctx, newIncident(strings.Repeat("x", 3)+"-"+string(rune('a'+i%26))+itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	feed, err := e.client.Changes(ctx, "", e.clock.Now().Add(-time.Hour))
	if err != nil || len(feed.Incidents) != 520 {
		t.Fatalf("%d incidents, %v", len(feed.Incidents), err)
	}
	for _, s := range feed.Incidents {
		if s.Ref == "" {
			t.Fatalf("hcaops's incident without its reference: %+v", s)
		}
	}
	e.fake.FailAfter(1, 1, http.StatusServiceUnavailable) // page 2 fails
	if _, err := e.client.Changes(ctx, "", e.clock.Now().Add(-time.Hour)); err == nil || !responseError(t, err).Retryable {
		t.Fatalf("an outage on page 2: %v", err)
	}
}

func itoa(i int) string {
	return strings.TrimLeft(time.Duration(i).String(), "ns") + string(rune('0'+i%10))
}

func TestReadIncidentKeepsPeoplesNotesOnly(t *testing.T) {
	e := newEnv(t, nil)
	e.fake.AddUser("jdoe", "pw")
	ctx := context.Background()
	inc, _ := e.client.EnsureIncident(ctx, newIncident("HCA-N1"))
	if err := e.client.AddComment(ctx, inc.ID, "HCA-N1#0", "opened by hcaops"); err != nil {
		t.Fatal(err)
	}
	asPerson(t, e, "PUT", "in/400001", `{"in":{"status":{"@REL_ATTR":"RE"}}}`)
	asPerson(t, e, "POST", "alg", `{"alg":{"call_req_id":{"@REL_ATTR":"cr:400001"},"type":{"@REL_ATTR":"LOG"},"description":"cleared the browser cache"}}`)
	snap, err := e.client.ReadIncident(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Status != servicedesk.StatusResolved || snap.Ref != "HCA-N1" || len(snap.Notes) != 1 ||
		snap.Notes[0].Text != "cleared the browser cache" || snap.Notes[0].Author != "jdoe" || snap.Notes[0].ID == "" {
		t.Errorf("snapshot %+v", snap)
	}
}

// Without the schema change the reference rides in the description: found again by a
// LIKE, and EnsureIncident still makes one incident per ticket.
func TestWithoutTheSchemaChangeTheDescriptionCarriesTheReference(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	fake := sdmfake.NewFake(testUser, testPassword)
	fake.Now = clk.Now
	fake.WithoutCustomAttributes()
	fake.AddUser("jdoe", "pw")
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	c, err := NewClient(Config{BaseURL: srv.URL, Username: testUser, Password: testPassword, Now: clk.Now, NoCustomAttributes: true})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{client: c, fake: fake, clock: clk, url: srv.URL}
	ctx := context.Background()
	first, err := c.EnsureIncident(ctx, newIncident("HCA_77"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.EnsureIncident(ctx, newIncident("HCA_77"))
	if err != nil || again != first {
		t.Fatalf("second ensure %+v %v, want %+v", again, err, first)
	}
	if _, err := c.FindIncident(ctx, "HCA-77"); err == nil {
		t.Error("_ in LIKE matched another reference") // the exact check after the LIKE
	}
	if err := c.UpdateIncident(ctx, first.ID, servicedesk.Update{Escalated: ptr(true)}); err != nil {
		t.Fatalf("escalate without zescalated: %v", err)
	}
	asPerson(t, e, "POST", "in", `{"in":{"summary":"opened by a person","description":"form freezes"}}`)
	if err := c.LinkIncident(ctx, "cr:400002", "SDM-HRC0002"); err != nil {
		t.Fatal(err)
	}
	if err := c.LinkIncident(ctx, "cr:400002", "SDM-HRC0002"); err != nil {
		t.Fatal(err)
	}
	incs := fake.Incidents()
	if incs[1].Description != "form freezes\n[hcaops:ref=SDM-HRC0002]" || len(logOfType(incs[0], "ESC")) != 1 {
		t.Errorf("incidents %+v", incs)
	}
	if found, err := c.FindIncident(ctx, "SDM-HRC0002"); err != nil || found.ID != "cr:400002" {
		t.Errorf("find the linked incident: %+v %v", found, err)
	}
}

func ptr[T any](v T) *T { return &v }

// A strict site: the configured customer, category, urgency and impact are sent.
func TestNewIncidentsCarryTheSitesRequiredFields(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	fake := sdmfake.NewFake(testUser, testPassword)
	fake.Now = clk.Now
	fake.Require("customer", "category", "urgency", "impact")
	uuid := fake.AddContact("Caller, HCA")
	fake.AddCategory("10-10EZ.Application")
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	ctx := context.Background()
	bare, _ := NewClient(Config{BaseURL: srv.URL, Username: testUser, Password: testPassword, Now: clk.Now})
	uncategorised := newIncident("HCA-R1")
	uncategorised.Category = ""
	_, err := bare.EnsureIncident(ctx, uncategorised)
	if err == nil || responseError(t, err).Retryable || !strings.Contains(err.Error(), "Required attribute customer is missing") {
		t.Fatalf("without the site's fields: %v", err)
	}
	c, _ := NewClient(Config{BaseURL: srv.URL, Username: testUser, Password: testPassword, Now: clk.Now,
		Customer: uuid, Category: "10-10EZ.Application", Urgency: "2", Impact: "5"})
	if _, err := c.EnsureIncident(ctx, newIncident("HCA-R1")); err != nil {
		t.Fatal(err)
	}
	inc := fake.Incidents()[0]
	if inc.Customer != "caller, hca" || inc.Category != "10-10EZ.Application" || inc.Urgency != "2" || inc.Impact != "5" {
		t.Errorf("incident %+v", inc)
	}
}
