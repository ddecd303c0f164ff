package sdmfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// These tests speak to the fake directly, as SDM's other clients would: raw JSON in,
// SDM's element names read back by hand, nothing shared with hcaops's client.

const (
	testUser     = "hcaops"
	testPassword = "s3cret"
)

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
	var ra struct {
		RestAccess struct {
			AccessKey      string `json:"access_key"`
			ExpirationDate string `json:"expiration_date"`
		} `json:"rest_access"`
	}
	if err := json.Unmarshal([]byte(body), &ra); err != nil || ra.RestAccess.AccessKey == "" || ra.RestAccess.ExpirationDate == "" {
		t.Fatalf("rest_access answer %s: %v", body, err)
	}
	e.key = ra.RestAccess.AccessKey
	return e
}

// errorMessage is SDM's error text in an error answer {"error":{"error_message":"..."}}.
func errorMessage(body string) string {
	var top struct {
		Error struct {
			Message string `json:"error_message"`
		} `json:"error"`
	}
	if json.Unmarshal([]byte(body), &top) != nil {
		return ""
	}
	return top.Error.Message
}

// inPage is one page of incidents as SDM lists them:
// {"collection_in":{"@COUNT":"1","@START":"1","@TOTAL_COUNT":"1","in":{...} or [...]}}.
type inPage struct {
	Count, Start, Total int
	Refs                []string // zhcaops_ref of each item, in order
	Single              bool     // the items came as one bare object, not an array
}

func readInPage(t *testing.T, body string) inPage {
	t.Helper()
	var top struct {
		Collection map[string]json.RawMessage `json:"collection_in"`
	}
	if err := json.Unmarshal([]byte(body), &top); err != nil || top.Collection == nil {
		t.Fatalf("not a collection_in answer: %v in %s", err, body)
	}
	var p inPage
	for key, dst := range map[string]*int{"@COUNT": &p.Count, "@START": &p.Start, "@TOTAL_COUNT": &p.Total} {
		var s string
		if err := json.Unmarshal(top.Collection[key], &s); err != nil {
			t.Fatalf("%s is not a string: %v in %s", key, err, body)
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("%s = %q: %v", key, s, err)
		}
		*dst = n
	}
	type item struct {
		Ref string `json:"zhcaops_ref"`
	}
	raw, ok := top.Collection["in"]
	var items []item
	switch {
	case !ok:
	case strings.HasPrefix(strings.TrimSpace(string(raw)), "{"):
		var one item
		if err := json.Unmarshal(raw, &one); err != nil {
			t.Fatalf("in: %v", err)
		}
		items, p.Single = []item{one}, true
	default:
		if err := json.Unmarshal(raw, &items); err != nil {
			t.Fatalf("in: %v", err)
		}
	}
	for _, it := range items {
		p.Refs = append(p.Refs, it.Ref)
	}
	return p
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
		if status/100 != 4 || !strings.Contains(errorMessage(body), c.want) {
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
	if status != http.StatusUnauthorized || errorMessage(body) != "Access key is invalid or expired" {
		t.Errorf("%d %s", status, body)
	}
	status, _ = e.call(http.MethodPost, "rest_access", `{"rest_access":{}}`, func(r *http.Request) { r.SetBasicAuth(testUser, "nope") })
	if status != http.StatusUnauthorized {
		t.Errorf("rest_access with a wrong password: %d", status)
	}
}

func TestFakeCollectionShapes(t *testing.T) {
	e := newRawEnv(t)
	get := func(wc string) (inPage, string) {
		t.Helper()
		req := "in?WC=" + strings.ReplaceAll(wc, " ", "%20")
		status, body := e.call(http.MethodGet, req, "")
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", req, status, body)
		}
		return readInPage(t, body), body
	}
	if p, body := get("zhcaops_ref='none'"); p.Total != 0 || len(p.Refs) != 0 || strings.Contains(body, `"in"`) {
		t.Errorf("empty collection: %s", body)
	}
	e.mustCreate("one", "REF-1")
	e.mustCreate("two", "REF-2")
	if p, body := get("zhcaops_ref='REF-1'"); len(p.Refs) != 1 || !p.Single || !strings.Contains(body, `"in":{`) {
		t.Errorf("single item must be an object: %s", body)
	}
	if p, body := get("status='OP'"); len(p.Refs) != 2 || p.Single || !strings.Contains(body, `"in":[`) {
		t.Errorf("two items must be an array: %s", body)
	}
	if p, _ := get("status='OP' AND summary='two'"); len(p.Refs) != 1 || p.Refs[0] != "REF-2" {
		t.Errorf("AND: %+v", p.Refs)
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
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	if p := readInPage(t, body); p.Total != 3 || p.Start != 2 || p.Count != 1 || len(p.Refs) != 1 || p.Refs[0] != "B" {
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
	e := newRawEnv(t)
	e.mustCreate("s", "HCA-COPY")
	got := e.fake.Incidents()
	if len(got) != 1 || len(got[0].Log) == 0 {
		t.Fatalf("fake holds %+v, want one incident with a log", got)
	}
	got[0].Summary = "changed"
	got[0].Log[0].Description = "changed"
	again := e.fake.Incidents()
	if again[0].Summary == "changed" || again[0].Log[0].Description == "changed" {
		t.Error("Incidents shares memory with the fake")
	}
}

func TestParseWhere(t *testing.T) {
	conds, err := parseWhere(`zhcaops_ref = 'it''s' and id=400001`)
	if err != nil {
		t.Fatal(err)
	}
	want := []condition{{"zhcaops_ref", "=", "it's"}, {"id", "=", "400001"}}
	if len(conds) != 2 || conds[0] != want[0] || conds[1] != want[1] {
		t.Errorf("got %+v, want %+v", conds, want)
	}
	for _, bad := range []string{`a='x`, `a~'x'`, `a='x' OR b='y'`, `='x'`, `a=x`, `a LIKE 5`} {
		if _, err := parseWhere(bad); err == nil {
			t.Errorf("parseWhere(%q) accepted", bad)
		}
	}
}

func TestFakeControlEndpoints(t *testing.T) {
	e := newRawEnv(t)
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
	const find = "in?WC=zhcaops_ref%3D'HCA-CTL'"
	post("fail?n=1&status=503")
	if status, body := e.call(http.MethodGet, find, ""); status != http.StatusServiceUnavailable || errorMessage(body) == "" {
		t.Errorf("after _fake/fail: %d %s, want 503 with an SDM error", status, body)
	}
	if status, body := e.call(http.MethodGet, find, ""); status != http.StatusOK {
		t.Errorf("the failure outlived n=1: %d %s", status, body)
	}
	post("malformed?n=1")
	if status, body := e.call(http.MethodGet, find, ""); status != http.StatusOK || json.Valid([]byte(body)) {
		t.Errorf("after _fake/malformed: %d %s, want 200 with a body that is not JSON", status, body)
	}
	post("expire_keys")
	if status, body := e.call(http.MethodGet, find, ""); status != http.StatusUnauthorized {
		t.Errorf("after _fake/expire_keys: %d %s, want 401", status, body)
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

// The facts below are SDM's, from the CA SDM 14.1 Technical Reference ("REST Web
// Services": HTTP methods, WC where clauses, X-Obj-Attrs, paging) and the object
// reference of in (cr), alg and cnt; the fake must answer as SDM does.

// Dates are Unix seconds, and a where clause compares them as numbers: last_mod_dt >= N
// is how a client reads what changed since a watermark. Dotted attributes follow a
// reference (group.last_name, the group's name); IS NOT NULL and LIKE work as in SQL.
func TestFakeWhereClauseComparesDatesAndFollowsReferences(t *testing.T) {
	e := newRawEnv(t)
	base := time.Now().Unix()
	clock := time.Unix(base, 0)
	e.fake.Now = func() time.Time { return clock }
	at := func(secs int64) string { return strconv.FormatInt(base+secs, 10) }
	for i, ref := range []string{"A-1", "", "C-3"} {
		clock = clock.Add(10 * time.Second)
		body := `{"in":{"summary":"s` + strconv.Itoa(i) + `","group":{"@COMMON_NAME":"vets.gov"},"description":"line\n[hcaops:ref=X_1]"}}`
		if ref != "" {
			body = `{"in":{"summary":"s","zhcaops_ref":"` + ref + `","group":{"@COMMON_NAME":"HRC Tier 1"}}}`
		}
		if status, answer := e.call(http.MethodPost, "in", body); status != http.StatusCreated {
			t.Fatalf("create: %d %s", status, answer)
		}
	}
	count := func(wc string) int {
		t.Helper()
		status, body := e.call(http.MethodGet, "in?WC="+url.QueryEscape(wc), "")
		if status != http.StatusOK {
			t.Fatalf("WC %s: %d %s", wc, status, body)
		}
		return readInPage(t, body).Total
	}
	for wc, want := range map[string]int{
		"last_mod_dt >= " + at(20):                            2,
		"last_mod_dt > " + at(20):                             1,
		"last_mod_dt < " + at(20):                             1,
		"group.last_name = 'vets.gov'":                        1,
		"zhcaops_ref IS NOT NULL":                             2,
		"zhcaops_ref IS NULL AND last_mod_dt <= " + at(30):    1,
		"description LIKE '%hcaops:ref=X_1]%'":                1,
		"description LIKE 'line%' AND group.last_name <> 'x'": 1,
	} {
		if got := count(wc); got != want {
			t.Errorf("WC %s: %d incidents, want %d", wc, got, want)
		}
	}
}

// Who changed an incident last and when (last_mod_by, last_mod_dt), and who wrote each
// activity (analyst): a new activity log entry touches its incident too.
func TestFakeStampsWhoChangedWhat(t *testing.T) {
	e := newRawEnv(t)
	e.fake.AddUser("hrc-agent-7", "pw")
	base := time.Now().Unix()
	clock := time.Unix(base, 0)
	e.fake.Now = func() time.Time { return clock }
	e.mustCreate("s", "REF-1")
	clock = clock.Add(time.Minute)
	resp, err := http.Post(e.url+"/caisd-rest/_fake/as/hrc-agent-7/alg", "application/json",
		strings.NewReader(`{"alg":{"call_req_id":{"@REL_ATTR":"cr:400001"},"type":{"@REL_ATTR":"LOG"},"description":"caller called back"}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("log as a person: %d", resp.StatusCode)
	}
	status, body := e.call(http.MethodGet, "in/400001", "", func(r *http.Request) {
		r.Header.Set("X-Obj-Attrs", "last_mod_dt, last_mod_by, log_agent.userid")
	})
	var got struct {
		In struct {
			LastModDt string `json:"last_mod_dt"`
			LastModBy struct {
				Name string `json:"@COMMON_NAME"`
			} `json:"last_mod_by"`
			LogAgent struct {
				UserID string `json:"userid"`
			} `json:"log_agent"`
		} `json:"in"`
	}
	if status != http.StatusOK || json.Unmarshal([]byte(body), &got) != nil {
		t.Fatalf("%d %s", status, body)
	}
	if got.In.LastModDt != strconv.FormatInt(base+60, 10) || got.In.LastModBy.Name != "hrc-agent-7" || got.In.LogAgent.UserID != testUser {
		t.Errorf("stamps %+v in %s", got.In, body)
	}
	status, body = e.call(http.MethodGet, "alg?WC=analyst.userid%3D'hrc-agent-7'", "")
	if status != http.StatusOK || readAlgTotal(t, body) != 1 {
		t.Errorf("entries by the agent: %d %s", status, body)
	}
}

func readAlgTotal(t *testing.T, body string) int {
	t.Helper()
	var top struct {
		C struct {
			Total string `json:"@TOTAL_COUNT"`
		} `json:"collection_alg"`
	}
	if err := json.Unmarshal([]byte(body), &top); err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(top.C.Total)
	return n
}

// A site's incident form: SDM requires the affected end user (customer) by default, and
// sites add category, urgency and impact. A create without them is a 400 and creates
// nothing; references must name existing objects (a contact, an incident area, the urg
// and imp codes).
func TestFakeEnforcesTheSitesRequiredAttributes(t *testing.T) {
	e := newRawEnv(t)
	e.fake.Require("customer", "category", "urgency", "impact")
	uuid := e.fake.AddContact("Caller, HCA")
	e.fake.AddCategory("10-10EZ")
	ok := `"summary":"s","customer":{"@id":"` + uuid + `"},"category":{"@COMMON_NAME":"10-10EZ"},"urgency":{"@REL_ATTR":"2"},"impact":{"@REL_ATTR":"5"}`
	cases := []struct{ body, want string }{
		{`{"in":{"summary":"s"}}`, "Required attribute customer is missing"},
		{`{"in":{"summary":"s","customer":{"@COMMON_NAME":"Nobody, A"}}}`, `customer "Nobody, A" is not a contact`},
		{`{"in":{"summary":"s","customer":{"@COMMON_NAME":"caller, hca"}}}`, "Required attribute category is missing"},
		{`{"in":{"summary":"s","category":{"@COMMON_NAME":"Printers"}}}`, `category "Printers" is not an incident area`},
		{`{"in":{"summary":"s","urgency":{"@REL_ATTR":"9"}}}`, `invalid urgency "9"`},
		{`{"in":{"summary":"s","impact":{"@REL_ATTR":"0"}}}`, `invalid impact "0"`},
	}
	for _, c := range cases {
		status, body := e.call(http.MethodPost, "in", c.body)
		if status != http.StatusBadRequest || !strings.Contains(errorMessage(body), c.want) {
			t.Errorf("%s: %d %s, want 400 with %q", c.body, status, body, c.want)
		}
	}
	if n := len(e.fake.Incidents()); n != 0 {
		t.Fatalf("%d incidents after refused creates", n)
	}
	if status, body := e.call(http.MethodPost, "in", `{"in":{`+ok+`}}`); status != http.StatusCreated {
		t.Fatalf("complete create: %d %s", status, body)
	}
}

// Without hcaops's schema change the custom attributes do not exist: SDM refuses them
// like any unknown attribute, on write and in X-Obj-Attrs.
func TestFakeWithoutTheSchemaChange(t *testing.T) {
	e := newRawEnv(t)
	e.fake.WithoutCustomAttributes()
	status, body := e.call(http.MethodPost, "in", `{"in":{"summary":"s","zhcaops_ref":"R-1"}}`)
	if status != http.StatusBadRequest || !strings.Contains(errorMessage(body), `unknown attribute "zhcaops_ref"`) {
		t.Errorf("zhcaops_ref written: %d %s", status, body)
	}
	e.call(http.MethodPost, "in", `{"in":{"summary":"s"}}`)
	status, body = e.call(http.MethodGet, "in/400001", "", func(r *http.Request) { r.Header.Set("X-Obj-Attrs", "zescalated") })
	if status != http.StatusBadRequest {
		t.Errorf("zescalated read: %d %s", status, body)
	}
}
