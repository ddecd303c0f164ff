package sdm

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hcaops/hcaops/servicedesk"
)

// These tests speak to the fake directly, as SDM's other clients would.

type rawEnv struct {
	t    *testing.T
	fake *Fake
	url  string
	key  string
}

func newRawEnv(t *testing.T) *rawEnv {
	t.Helper()
	fake := NewFake(testUser, testPassword)
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	e := &rawEnv{t: t, fake: fake, url: srv.URL}
	status, body := e.call(http.MethodPost, "rest_access", `{"rest_access":{}}`, func(r *http.Request) {
		r.SetBasicAuth(testUser, testPassword)
	})
	if status != http.StatusCreated {
		t.Fatalf("rest_access: %d %s", status, body)
	}
	ra, err := decodeObject[restAccess]([]byte(body), "rest_access")
	if err != nil || ra.AccessKey == "" || ra.ExpirationDate == "" {
		t.Fatalf("rest_access answer %s: %v", body, err)
	}
	e.key = string(ra.AccessKey)
	return e
}

// call sends a request below /caisd-rest/ with the access key and X-Obj-Attrs: *.
func (e *rawEnv) call(method, path, body string, edit ...func(*http.Request)) (int, string) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+"/caisd-rest/"+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-AccessKey", e.key)
	req.Header.Set("X-Obj-Attrs", "*")
	for _, f := range edit {
		f(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (e *rawEnv) mustCreate(summary, ref string) {
	e.t.Helper()
	body := `{"in":{"summary":` + quoteJSON(summary) + `,"zhcaops_ref":` + quoteJSON(ref) + `,"status":{"@REL_ATTR":"OP"}}}`
	if status, answer := e.call(http.MethodPost, "in", body); status != http.StatusCreated {
		e.t.Fatalf("create: %d %s", status, answer)
	}
}

func quoteJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestFakeValidatesIncidents(t *testing.T) {
	e := newRawEnv(t)
	cases := []struct {
		name, method, path, body, want string
	}{
		{"priority", "POST", "in", `{"in":{"summary":"s","priority":{"@COMMON_NAME":"9"}}}`, `invalid priority "9"`},
		{"status", "POST", "in", `{"in":{"summary":"s","status":{"@REL_ATTR":"XYZ"}}}`, `invalid status "XYZ"`},
		{"status code as name", "POST", "in", `{"in":{"summary":"s","status":{"@COMMON_NAME":"WIP"}}}`, `invalid status "WIP"`},
		{"summary", "POST", "in", `{"in":{"description":"d"}}`, "summary is required"},
		{"unknown attribute", "POST", "in", `{"in":{"summary":"s","zfoo":"x"}}`, `unknown attribute "zfoo"`},
		{"reference shape", "POST", "in", `{"in":{"summary":"s","group":"HRC Tier 1"}}`, "group must be a reference"},
		{"not JSON", "POST", "in", `<in/>`, "body is not JSON"},
		{"unknown incident", "PUT", "in/123", `{"in":{"summary":"s"}}`, `no incident with id "123"`},
		{"activity type", "POST", "alg", `{"alg":{"call_req_id":{"@REL_ATTR":"cr:400001"},"type":{"@REL_ATTR":"NOPE"},"description":"d"}}`, `invalid activity type "NOPE"`},
	}
	e.mustCreate("first", "REF-1")
	for _, c := range cases {
		status, body := e.call(c.method, c.path, c.body)
		if status/100 != 4 || errorMessage([]byte(body)) == "" || !strings.Contains(errorMessage([]byte(body)), c.want) {
			t.Errorf("%s: %d %s, want 4xx with %q", c.name, status, body, c.want)
		}
	}
	if n := len(e.fake.Incidents()); n != 1 {
		t.Errorf("%d incidents after rejected creates, want 1", n)
	}
}

func TestFakeAcceptsStatusBySymbol(t *testing.T) {
	e := newRawEnv(t)
	e.mustCreate("s", "REF-1")
	status, body := e.call(http.MethodPut, "in/400001", `{"in":{"status":{"@COMMON_NAME":"Work in Progress"}}}`)
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	if got := e.fake.Incidents()[0].Status; got != "WIP" {
		t.Errorf("status %q", got)
	}
}

func TestFakeZhcaopsRefIsUnique(t *testing.T) {
	e := newRawEnv(t)
	e.mustCreate("s", "REF-1")
	status, body := e.call(http.MethodPost, "in", `{"in":{"summary":"t","zhcaops_ref":"ref-1"}}`)
	if status != http.StatusBadRequest || !strings.Contains(body, "zhcaops_ref") {
		t.Errorf("%d %s", status, body)
	}
}

func TestFakeNeedsAccessKey(t *testing.T) {
	e := newRawEnv(t)
	status, body := e.call(http.MethodGet, "in", "", func(r *http.Request) { r.Header.Del("X-AccessKey") })
	if status != http.StatusUnauthorized || errorMessage([]byte(body)) != "Access key is invalid or expired" {
		t.Errorf("%d %s", status, body)
	}
	status, _ = e.call(http.MethodPost, "rest_access", `{"rest_access":{}}`, func(r *http.Request) { r.SetBasicAuth(testUser, "nope") })
	if status != http.StatusUnauthorized {
		t.Errorf("rest_access with a wrong password: %d", status)
	}
}

func TestFakeCollectionShapes(t *testing.T) {
	e := newRawEnv(t)
	get := func(wc string) (page[incidentRead], string) {
		t.Helper()
		req := "in?WC=" + strings.ReplaceAll(wc, " ", "%20")
		status, body := e.call(http.MethodGet, req, "")
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", req, status, body)
		}
		p, err := decodeCollection[incidentRead]([]byte(body), "in")
		if err != nil {
			t.Fatalf("GET %s: %v in %s", req, err, body)
		}
		return p, body
	}
	if p, body := get("zhcaops_ref='none'"); p.Total != 0 || len(p.Items) != 0 || strings.Contains(body, `"in"`) {
		t.Errorf("empty collection: %s", body)
	}
	e.mustCreate("one", "REF-1")
	e.mustCreate("two", "REF-2")
	if p, body := get("zhcaops_ref='REF-1'"); len(p.Items) != 1 || !strings.Contains(body, `"in":{`) {
		t.Errorf("single item must be an object: %s", body)
	}
	if p, body := get("status='OP'"); len(p.Items) != 2 || !strings.Contains(body, `"in":[`) {
		t.Errorf("two items must be an array: %s", body)
	}
	if p, _ := get("status='OP' AND summary='two'"); len(p.Items) != 1 || p.Items[0].HcaopsRef != "REF-2" {
		t.Errorf("AND: %+v", p.Items)
	}
	if status, body := e.call(http.MethodGet, "in?WC=nosuch%3D'1'", ""); status != http.StatusBadRequest {
		t.Errorf("unknown attribute in WC: %d %s", status, body)
	}
}

func TestFakePaging(t *testing.T) {
	e := newRawEnv(t)
	for _, ref := range []string{"A", "B", "C"} {
		e.mustCreate("s", ref)
	}
	status, body := e.call(http.MethodGet, "in?SORT=id%20DESC&start=2&size=1", "")
	p, err := decodeCollection[incidentRead]([]byte(body), "in")
	if status != http.StatusOK || err != nil {
		t.Fatalf("%d %s %v", status, body, err)
	}
	if p.Total != 3 || p.Start != 2 || len(p.Items) != 1 || p.Items[0].HcaopsRef != "B" {
		t.Errorf("page %+v", p)
	}
}

func TestFakeObjAttrs(t *testing.T) {
	e := newRawEnv(t)
	e.mustCreate("s", "REF-1")
	status, body := e.call(http.MethodGet, "in/400001", "", func(r *http.Request) { r.Header.Del("X-Obj-Attrs") })
	if status != http.StatusOK || strings.Contains(body, "summary") || !strings.Contains(body, `"@COMMON_NAME":"HRC0001"`) {
		t.Errorf("without X-Obj-Attrs: %d %s", status, body)
	}
	status, body = e.call(http.MethodGet, "in/400001", "", func(r *http.Request) { r.Header.Set("X-Obj-Attrs", "ref_num, status") })
	if status != http.StatusOK || !strings.Contains(body, `"@REL_ATTR":"OP"`) || strings.Contains(body, "summary") {
		t.Errorf("with X-Obj-Attrs: %d %s", status, body)
	}
}

func TestFakeDump(t *testing.T) {
	e := newRawEnv(t)
	e.mustCreate("s", "REF-1")
	resp, err := http.Get(e.url + "/caisd-rest/_fake/incidents") // no access key
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got []FakeIncident
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || len(got) != 1 || got[0].HcaopsRef != "REF-1" || len(got[0].Log) != 1 {
		t.Errorf("%d %+v", resp.StatusCode, got)
	}
}

func TestFakeIncidentsIsACopy(t *testing.T) {
	e := newEnv(t, nil)
	inc, err := e.client.EnsureIncident(context.Background(), newIncident("HCA-COPY"))
	if err != nil {
		t.Fatal(err)
	}
	got := e.fake.Incidents()
	got[0].Summary = "changed"
	got[0].Log[0].Description = "changed"
	again := e.fake.Incidents()
	if again[0].Summary == "changed" || again[0].Log[0].Description == "changed" || inc.ID != "cr:400001" {
		t.Error("Incidents shares memory with the fake")
	}
}

func TestParseWhere(t *testing.T) {
	conds, err := parseWhere(`zhcaops_ref = 'it''s' and id=400001`)
	if err != nil {
		t.Fatal(err)
	}
	want := []condition{{"zhcaops_ref", "it's"}, {"id", "400001"}}
	if len(conds) != 2 || conds[0] != want[0] || conds[1] != want[1] {
		t.Errorf("got %+v, want %+v", conds, want)
	}
	for _, bad := range []string{`a='x`, `a<'x'`, `a='x' OR b='y'`, `='x'`, `a=x`} {
		if _, err := parseWhere(bad); err == nil {
			t.Errorf("parseWhere(%q) accepted", bad)
		}
	}
}

func TestFakeControlEndpoints(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	post := func(path string) {
		t.Helper()
		resp, err := http.Post(e.url+"/caisd-rest/_fake/"+path, "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("POST _fake/%s: %d", path, resp.StatusCode)
		}
	}
	post("fail?n=1&status=503")
	_, err := e.client.FindIncident(ctx, "HCA-CTL")
	if rerr := responseError(t, err); rerr.Status != 503 || !rerr.Retryable {
		t.Errorf("after _fake/fail: %+v", rerr)
	}
	post("malformed?n=1")
	if _, err := e.client.FindIncident(ctx, "HCA-CTL"); err == nil || !strings.Contains(err.Error(), "malformed JSON response") {
		t.Errorf("after _fake/malformed: %v", err)
	}
	post("expire_keys")
	if _, err := e.client.FindIncident(ctx, "HCA-CTL"); !errors.Is(err, servicedesk.ErrNotFound) {
		t.Errorf("after _fake/expire_keys: %v", err)
	}
	if n := logins(e.fake); n != 2 {
		t.Errorf("%d rest_access calls, want 2", n)
	}
	resp, err := http.Get(e.url + "/caisd-rest/_fake/requests")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var reqs []FakeRequest
	if err := json.NewDecoder(resp.Body).Decode(&reqs); err != nil || len(reqs) == 0 {
		t.Errorf("_fake/requests: %v %+v", err, reqs)
	}
}
