package dynamicsfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Tests of the fake's wire protocol, spoken directly (raw JSON, Dataverse's own names),
// for the rules the client relies on.

const (
	testClientID = "hcaops-test"
	testSecret   = "s3cret-value"
	testAccount  = "a1b2c3d4-0000-4000-8000-000000000001"
)

// testClock is a settable clock for the fake.
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

// accessToken reads access_token out of a token endpoint answer.
func accessToken(t *testing.T, body string) string {
	t.Helper()
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(body), &tr); err != nil || tr.AccessToken == "" {
		t.Fatalf("token answer %s: %v", body, err)
	}
	return tr.AccessToken
}

type rawFake struct {
	t     *testing.T
	fake  *Fake
	srv   *httptest.Server
	token string
}

func newRawFake(t *testing.T) *rawFake {
	fake := NewFake(testClientID, testSecret)
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	f := &rawFake{t: t, fake: fake, srv: srv}
	status, body := f.tokenRequest(testClientID, testSecret)
	if status != http.StatusOK {
		t.Fatalf("token: %d %s", status, body)
	}
	f.token = accessToken(t, body)
	return f
}

func (f *rawFake) tokenRequest(id, secret string) (int, string) {
	resp, err := http.PostForm(f.srv.URL+"/tenant-guid"+FakeTokenPath, url.Values{
		"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret},
		"scope": {f.srv.URL + "/.default"},
	})
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// do sends a Web API request and returns the status, body and response headers.
func (f *rawFake) do(method, path, body string, header ...string) (int, string, http.Header) {
	f.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.srv.URL+"/api/data/v9.2/"+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+f.token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (f *rawFake) want(status int, contains string, method, path, body string, header ...string) string {
	f.t.Helper()
	got, b, _ := f.do(method, path, body, header...)
	if got != status || !strings.Contains(b, contains) {
		f.t.Errorf("%s %s: %d %s, want %d containing %q", method, path, got, b, status, contains)
	}
	return b
}

// guidForm is the 8-4-4-4-12 hex form of Dataverse keys.
var guidForm = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

const rawIncident = `{"title":"t","hcaops_reference":"R-1","customerid_account@odata.bind":"/accounts(` + testAccount + `)"}`

// create posts rawIncident and returns the new incident's ID.
func (f *rawFake) create() string {
	f.t.Helper()
	b := f.want(http.StatusCreated, `"ticketnumber":"CAS-01001-`, "POST", "incidents", rawIncident, "Prefer", "return=representation")
	var rec struct {
		ID string `json:"incidentid"`
	}
	if err := json.Unmarshal([]byte(b), &rec); err != nil || !guidForm.MatchString(rec.ID) {
		f.t.Fatalf("created incident %s: %v", b, err)
	}
	return rec.ID
}

func TestFakeTokenEndpoint(t *testing.T) {
	f := newRawFake(t)
	status, body := f.tokenRequest(testClientID, "nope")
	if status != http.StatusBadRequest || !strings.Contains(body, `"error":"invalid_client"`) {
		t.Errorf("wrong secret: %d %s", status, body)
	}
	status, body = f.tokenRequest(testClientID, testSecret)
	if status != http.StatusOK || !strings.Contains(body, `"token_type":"Bearer","expires_in":3600`) {
		t.Errorf("token: %d %s", status, body)
	}
}

func TestFakeAuthentication(t *testing.T) {
	f := newRawFake(t)
	f.want(http.StatusOK, `"value":[]`, "GET", "incidents", "")

	good := f.token
	f.token = "forged"
	f.want(http.StatusUnauthorized, `"code":"0x80072560"`, "GET", "incidents", "")

	f.token = good
	f.fake.ExpireTokens()
	f.want(http.StatusUnauthorized, "expired", "GET", "incidents", "")
}

func TestFakeTokensExpire(t *testing.T) {
	clock := &testClock{now: time.Now()}
	fake := NewFake(testClientID, testSecret)
	fake.SetNow(clock.Now)
	srv := httptest.NewServer(fake.Handler())
	defer srv.Close()
	f := &rawFake{t: t, fake: fake, srv: srv}
	_, body := f.tokenRequest(testClientID, testSecret)
	f.token = accessToken(t, body)
	clock.Advance(time.Hour - time.Second)
	f.want(http.StatusOK, `"value":[]`, "GET", "incidents", "")
	clock.Advance(time.Second)
	f.want(http.StatusUnauthorized, "expired", "GET", "incidents", "")
}

func TestFakeCreateRules(t *testing.T) {
	f := newRawFake(t)
	bind := `"customerid_account@odata.bind":"/accounts(` + testAccount + `)"`
	f.want(http.StatusBadRequest, "customerid is required", "POST", "incidents", `{"title":"t"}`)
	f.want(http.StatusBadRequest, "must be /accounts(GUID)", "POST", "incidents", `{"title":"t","customerid_account@odata.bind":"/accounts(x)"}`)
	f.want(http.StatusBadRequest, "title is required", "POST", "incidents", `{"title":" ",`+bind+`}`)
	f.want(http.StatusBadRequest, "Invalid property 'titel'", "POST", "incidents", `{"titel":"t",`+bind+`}`)
	f.want(http.StatusBadRequest, "prioritycode 9 is not valid", "POST", "incidents", `{"title":"t","prioritycode":9,`+bind+`}`)
	f.want(http.StatusBadRequest, "caseorigincode 7 is not valid", "POST", "incidents", `{"title":"t","caseorigincode":7,`+bind+`}`)
	f.want(http.StatusBadRequest, "ticketnumber cannot be set", "POST", "incidents", `{"title":"t","ticketnumber":"X",`+bind+`}`)
	f.want(http.StatusBadRequest, "must be a string", "POST", "incidents", `{"title":5,`+bind+`}`)
	f.want(http.StatusUnsupportedMediaType, "", "POST", "incidents", rawIncident, "Content-Type", "text/plain")

	status, body, h := f.do("POST", "incidents", rawIncident)
	if status != http.StatusNoContent || body != "" || !strings.HasPrefix(h.Get("OData-EntityId"), f.srv.URL+"/api/data/v9.2/incidents(") {
		t.Errorf("create without Prefer: %d %q OData-EntityId %q", status, body, h.Get("OData-EntityId"))
	}
	f.want(http.StatusPreconditionFailed, `"code":"0x80060892","message":"A record with matching key values already exists."`,
		"POST", "incidents", strings.Replace(rawIncident, "R-1", "r-1", 1))
	if n := len(f.fake.Incidents()); n != 1 {
		t.Errorf("%d incidents, want 1", n)
	}
}

func TestFakeQueries(t *testing.T) {
	f := newRawFake(t)
	id := f.create()
	f.want(http.StatusOK, `"incidentid":"`+id+`","ticketnumber":"CAS-01001-`, "GET",
		"incidents?$select=incidentid,ticketnumber&$filter=hcaops_reference%20eq%20'R-1'%20and%20statecode%20eq%200", "")
	b := f.want(http.StatusOK, `"value":[]`, "GET", "incidents?$filter=hcaops_reference%20eq%20'R-2'", "")
	if strings.Contains(b, "incidentid") {
		t.Errorf("filter matched: %s", b)
	}
	f.want(http.StatusBadRequest, "could not find a property named 'hcaops_ref'", "GET", "incidents?$filter=hcaops_ref%20eq%20'R-1'", "")
	f.want(http.StatusBadRequest, "only the eq operator", "GET", "incidents?$filter=statecode%20ne%200", "")
	f.want(http.StatusBadRequest, "could not find a property named 'nope'", "GET", "incidents("+id+")?$select=nope", "")
	f.want(http.StatusOK, `"statecode":0`, "GET", "incidents("+id+")?$select=statecode", "")
	f.want(http.StatusNotFound, "Does Not Exist", "GET", "incidents(00000000-0000-4000-8000-000000000000)", "")
	f.want(http.StatusNotFound, "Resource not found for the segment 'contacts'", "GET", "contacts", "")
}

func TestParseFilter(t *testing.T) {
	got, err := parseFilter("_objectid_value eq 0a1b2c3d-0000-4000-8000-000000000001 and subject eq 'hcaops:it''s' and isescalated eq true")
	want := []filterClause{
		{prop: "_objectid_value", value: "0a1b2c3d-0000-4000-8000-000000000001"},
		{prop: "subject", value: "hcaops:it's", quoted: true},
		{prop: "isescalated", value: "true"},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("parseFilter = %+v, %v", got, err)
	}
	for _, bad := range []string{"title eq 'open", "title", "title eq", "a eq 1 or b eq 2", "a gt 1"} {
		if _, err := parseFilter(bad); err == nil {
			t.Errorf("parseFilter(%q): no error", bad)
		}
	}
}

func TestFakeInactiveIncidentIsReadOnly(t *testing.T) {
	f := newRawFake(t)
	id := f.create()
	f.want(http.StatusBadRequest, "CloseIncident action", "PATCH", "incidents("+id+")", `{"statecode":1,"statuscode":5}`)
	f.want(http.StatusBadRequest, "Merge action", "PATCH", "incidents("+id+")", `{"statecode":2,"statuscode":2000}`)
	f.want(http.StatusBadRequest, "statuscode 5 is not valid for statecode 0", "PATCH", "incidents("+id+")", `{"statuscode":5}`)
	f.want(http.StatusNoContent, "", "POST", "CloseIncident",
		`{"IncidentResolution":{"subject":"s","incidentid@odata.bind":"/incidents(`+id+`)","description":"d"},"Status":5}`)
	f.want(http.StatusBadRequest, "already resolved", "POST", "CloseIncident",
		`{"IncidentResolution":{"subject":"s","incidentid@odata.bind":"/incidents(`+id+`)"},"Status":5}`)
	f.want(http.StatusBadRequest, "reactivate it first", "PATCH", "incidents("+id+")", `{"prioritycode":1}`)
	f.want(http.StatusBadRequest, "reactivate it first", "PATCH", "incidents("+id+")", `{"statecode":2,"statuscode":6}`)
	f.want(http.StatusNoContent, "", "PATCH", "incidents("+id+")", `{"statecode":0,"statuscode":1}`)
	f.want(http.StatusNoContent, "", "PATCH", "incidents("+id+")", `{"statecode":2}`)
	inc := f.fake.Incidents()[0]
	if inc.StateCode != 2 || inc.StatusCode != 6 || inc.Resolution != (FakeResolution{"s", "d"}) {
		t.Errorf("incident %+v", inc)
	}
}

func TestFakeMergeRules(t *testing.T) {
	f := newRawFake(t)
	master := f.create()
	_, _, h := f.do("POST", "incidents", strings.Replace(rawIncident, "R-1", "R-2", 1))
	// OData-EntityId: {service root}incidents(GUID)
	entity := h.Get("OData-EntityId")
	dup := strings.TrimSuffix(entity[strings.LastIndex(entity, "(")+1:], ")")
	if !guidForm.MatchString(dup) {
		t.Fatalf("OData-EntityId %q", entity)
	}
	merge := func(update string) string {
		return `{"Target":{"incidentid":"` + master + `","@odata.type":"Microsoft.Dynamics.CRM.incident"},` +
			`"Subordinate":{"incidentid":"` + dup + `","@odata.type":"Microsoft.Dynamics.CRM.incident"},` +
			`"UpdateContent":` + update + `,"PerformParentingChecks":false}`
	}
	// The body the brief of this package suggested: it would blank the master's title.
	f.want(http.StatusBadRequest, "title is required", "POST", "Merge", merge(`{"title":"","@odata.type":"Microsoft.Dynamics.CRM.incident"}`))
	f.want(http.StatusBadRequest, "Target must have", "POST", "Merge", strings.Replace(merge(`{}`), `,"@odata.type":"Microsoft.Dynamics.CRM.incident"}`, `}`, 1))
	f.want(http.StatusNoContent, "", "POST", "Merge", merge(`{"@odata.type":"Microsoft.Dynamics.CRM.incident"}`))
	f.want(http.StatusBadRequest, "subordinate incident is cancelled", "POST", "Merge", merge(`{"@odata.type":"Microsoft.Dynamics.CRM.incident"}`))
	for _, inc := range f.fake.Incidents() {
		if inc.ID == dup && (inc.StateCode != 2 || inc.StatusCode != 2000 || inc.MasterID != master) {
			t.Errorf("subordinate %+v", inc)
		}
		if inc.ID == master && (inc.StateCode != 0 || inc.Title != "t") {
			t.Errorf("master %+v", inc)
		}
	}
}

func TestFakeNotes(t *testing.T) {
	f := newRawFake(t)
	id := f.create()
	note := `{"subject":"hcaops:k","notetext":"text","objectid_incident@odata.bind":"/incidents(` + id + `)"}`
	f.want(http.StatusNoContent, "", "POST", "annotations", note)
	f.want(http.StatusNotFound, "Does Not Exist", "POST", "annotations", strings.Replace(note, id, "00000000-0000-4000-8000-000000000000", 1))
	f.want(http.StatusBadRequest, "Invalid property 'isdocument'", "POST", "annotations", `{"isdocument":true}`)
	filter := "annotations?$select=annotationid&$filter=" + strings.ReplaceAll(url.QueryEscape("_objectid_value eq "+strings.ToUpper(id)+" and subject eq 'hcaops:k'"), "+", "%20")
	b := f.want(http.StatusOK, `"annotationid":"`, "GET", filter, "")
	if strings.Contains(b, "notetext") {
		t.Errorf("$select ignored: %s", b)
	}
	f.want(http.StatusOK, `"value":[]`, "GET", strings.Replace(filter, "hcaops%3Ak", "hcaops%3Aother", 1), "")
}

// A PATCH to annotations(id) is an upsert (Update and delete table rows, "Upsert a table
// row"): it creates the note with the id the caller chose, or updates it. If-None-Match: *
// stops the update, with 412 "A record with matching key values already exists.", and
// If-Match: * stops the create, with 404 (Perform conditional operations, "Limit upsert
// operations"). Both answers of success are 204 No Content.
func TestFakeNoteUpsert(t *testing.T) {
	f := newRawFake(t)
	inc := f.create()
	const noteID = "0b7e2f4c-3a51-5d6e-8f90-123456789abc"
	note := `{"subject":"hcaops:k","notetext":"first","objectid_incident@odata.bind":"/incidents(` + inc + `)"}`
	f.want(http.StatusNotFound, "Does Not Exist", "PATCH", "annotations("+noteID+")", note, "If-Match", "*")
	f.want(http.StatusNoContent, "", "PATCH", "annotations("+noteID+")", note, "If-None-Match", "*")
	f.want(http.StatusPreconditionFailed, "A record with matching key values already exists.", "PATCH", "annotations("+noteID+")",
		strings.Replace(note, "first", "second", 1), "If-None-Match", "*")
	f.want(http.StatusNoContent, "", "PATCH", "annotations("+strings.ToUpper(noteID)+")", `{"notetext":"edited"}`, "If-Match", "*")
	f.want(http.StatusNotFound, "Does Not Exist", "PATCH", "annotations(00000000-0000-4000-8000-000000000001)",
		strings.Replace(note, inc, "00000000-0000-4000-8000-000000000000", 1))
	f.want(http.StatusBadRequest, "Invalid property 'isdocument'", "PATCH", "annotations("+noteID+")", `{"isdocument":true}`)
	var notes []FakeNote
	for _, i := range f.fake.Incidents() {
		notes = append(notes, i.Notes...)
	}
	if len(notes) != 1 || notes[0].ID != noteID || notes[0].Subject != "hcaops:k" || notes[0].Text != "edited" {
		t.Errorf("notes %+v, want the one created with id %s, its text edited", notes, noteID)
	}
	filter := "annotations?$select=annotationid&$filter=" + strings.ReplaceAll(url.QueryEscape("_objectid_value eq "+inc), "+", "%20")
	f.want(http.StatusOK, `"annotationid":"`+noteID+`"`, "GET", filter, "")
}

func TestFakeFaultInjection(t *testing.T) {
	f := newRawFake(t)
	f.fake.FailNext(2, http.StatusTooManyRequests)
	f.want(http.StatusTooManyRequests, "injected failure", "POST", "incidents", rawIncident)
	f.want(http.StatusTooManyRequests, "injected failure", "GET", "incidents", "")
	f.fake.Malformed(1)
	status, body, _ := f.do("POST", "incidents", rawIncident)
	if status != http.StatusOK || json.Valid([]byte(body)) {
		t.Errorf("Malformed: %d %s", status, body)
	}
	if n := len(f.fake.Incidents()); n != 0 {
		t.Errorf("injected faults changed state: %d incidents", n)
	}
	f.create()
	reqs := f.fake.Requests()
	if len(reqs) != 5 || reqs[0].Path != "/tenant-guid"+FakeTokenPath || reqs[4] != (FakeRequest{Method: "POST", Path: "/api/data/v9.2/incidents"}) {
		t.Errorf("requests %+v", reqs)
	}
}

func TestFakeDump(t *testing.T) {
	f := newRawFake(t)
	id := f.create()
	resp, err := http.Get(f.srv.URL + FakeIncidentsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var incs []FakeIncident
	if err := json.NewDecoder(resp.Body).Decode(&incs); err != nil || len(incs) != 1 || incs[0].ID != id || incs[0].Reference != "R-1" {
		t.Errorf("dump: %+v, %v", incs, err)
	}
}

// Change tracking, from "Use change tracking to synchronize data with external systems"
// (Microsoft Learn, Dataverse developer guide): Prefer: odata.track-changes on the first
// GET returns every row and an @odata.deltaLink carrying a $deltatoken, with the header
// Preference-Applied: odata.track-changes; a GET of the delta link returns only the rows
// created or changed since, under a "$delta" context, and another delta link; $filter,
// $orderby, $expand and $top are refused with "The "$filter" query parameter isn't
// supported when Change Tracking is enabled."
func TestFakeChangeTracking(t *testing.T) {
	f := newRawFake(t)
	first := f.create()
	status, body, header := f.do("GET", "incidents?$select=title,statecode", "", "Prefer", "odata.track-changes")
	if status != http.StatusOK || header.Get("Preference-Applied") != "odata.track-changes" {
		t.Fatalf("first read: %d %s %v", status, body, header)
	}
	var page struct {
		Context   string           `json:"@odata.context"`
		DeltaLink string           `json:"@odata.deltaLink"`
		Value     []map[string]any `json:"value"`
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil || len(page.Value) != 1 || !strings.Contains(page.DeltaLink, "$deltatoken=") {
		t.Fatalf("first read %s: %v", body, err)
	}
	delta := strings.TrimPrefix(page.DeltaLink, f.srv.URL+"/api/data/v9.2/")
	_, body, _ = f.do("GET", delta, "")
	page.Value = nil
	if json.Unmarshal([]byte(body), &page); len(page.Value) != 0 || !strings.HasSuffix(page.Context, "/$delta") {
		t.Errorf("nothing changed: %s", body)
	}
	f.want(http.StatusNoContent, "", "PATCH", "incidents("+first+")", `{"statuscode":2}`, "If-Match", "*")
	_, body, _ = f.do("GET", delta, "")
	page.Value = nil
	if json.Unmarshal([]byte(body), &page); len(page.Value) != 1 || page.Value[0]["incidentid"] != first || page.DeltaLink == "" {
		t.Errorf("after a change: %s", body)
	}
	f.want(http.StatusBadRequest, `The \"$filter\" query parameter isn't supported when Change Tracking is enabled.`,
		"GET", "incidents?$filter=statecode%20eq%200", "", "Prefer", "odata.track-changes")
}

// Without hcaops's columns an organisation answers as Dataverse does for any property its
// entity lacks: "Invalid property 'hcaops_reference' was found in entity
// 'Microsoft.Dynamics.CRM.incident'." (400, 0x80060888); contains() in $filter is
// OData's substring function, which Dataverse supports on string columns.
func TestFakeWithoutCustomColumns(t *testing.T) {
	f := newRawFake(t)
	f.fake.WithoutCustomColumns()
	f.want(http.StatusBadRequest, `Invalid property 'hcaops_reference' was found in entity 'Microsoft.Dynamics.CRM.incident'.`,
		"POST", "incidents", rawIncident)
	f.want(http.StatusCreated, `"ticketnumber"`, "POST", "incidents",
		`{"title":"t","description":"form\n[hcaops:ref=R-9]","customerid_account@odata.bind":"/accounts(`+testAccount+`)"}`,
		"Prefer", "return=representation")
	f.want(http.StatusOK, `"ticketnumber"`, "GET", "incidents?$select=ticketnumber&$filter="+url.QueryEscape("contains(description,'HCAOPS:REF=R-9]')"), "")
	body := f.want(http.StatusOK, `"value"`, "GET", "incidents?$select=ticketnumber&$filter="+url.QueryEscape("contains(description,'ref=R-10]')"), "")
	if strings.Contains(body, "ticketnumber") {
		t.Errorf("contains matched another reference: %s", body)
	}
	f.want(http.StatusBadRequest, "could not find a property named 'hcaops_reference'", "GET", "incidents?$select=hcaops_reference", "")
}
