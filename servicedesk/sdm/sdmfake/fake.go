// Package sdmfake is an in-memory CA Service Desk Manager for tests and local runs,
// written from SDM's REST API documentation. It shares no code with the client in
// package sdm, so the client's tests against it check the client against the
// protocol, not against itself. Production programs never import it.
package sdmfake

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fake is an in-memory SDM speaking the REST wire protocol hcaops's client uses, for
// tests (httptest.NewServer(fake.Handler())) and for running hcaops locally
// without an SDM. It keeps what it received and can inject faults.
//
// It serves, below /caisd-rest/:
//
//	POST rest_access       access key for HTTP Basic credentials
//	GET  in                list incidents (WC, SORT, start, size)
//	POST in                create an incident
//	GET  in/{id}           read an incident
//	PUT  in/{id}           change an incident
//	GET  alg               list activity log entries (WC, SORT, start, size)
//	POST alg               add an activity log entry
//
// and, without an access key, controls that are not SDM's, for a person
// running hcaops against the fake:
//
//	GET  _fake/incidents              every incident with its log: what SDM received
//	GET  _fake/requests               every call answered so far
//	POST _fake/fail?n=1&status=500    FailNext
//	POST _fake/malformed?n=1          Malformed
//	POST _fake/expire_keys            ExpireKeys
//	*    _fake/as/{userid}/in...       the object calls as that user (AddUser), no key:
//	                                  a person working in SDM, e.g. from curl
//
// e.g. curl http://localhost:8050/caisd-rest/_fake/incidents.
//
// Every call but rest_access and _fake needs a valid X-AccessKey. Answers are
// JSON with scalars as strings; X-Obj-Attrs selects attributes ("*" for all;
// without it only @id, @REL_ATTR, @COMMON_NAME and link come back). Where
// clauses support attr='value' and attr=number joined by AND, compared without
// regard to case. Status is referenced by code (@REL_ATTR "WIP") or symbol
// (@COMMON_NAME "Work in Progress"), priority by name ("1".."5"), group,
// category and customer by @COMMON_NAME. zhcaops_ref is unique, as hcaops
// asks of the SDM schema. Status changes add an ST entry to the log, as SDM does.
//
// Set KeyLifetime and Now before serving. The methods are safe for concurrent use.
type Fake struct {
	// KeyLifetime is how long an access key is valid; default 168 h.
	KeyLifetime time.Duration
	// Now is the fake's clock; default time.Now.
	Now func() time.Time

	username, password string

	mu        sync.Mutex
	keys      map[string]time.Time // access key -> expiry
	keyUsers  map[string]string    // access key -> userid
	users     map[string]string    // userid -> password, the integration user's included
	rules     siteRules
	keyIDs    int
	incidents []*FakeIncident          // ascending ID
	byRef     map[string]*FakeIncident // lower-case zhcaops_ref → incident (fake_index.go)
	byNumber  map[string]*FakeIncident // lower-case ref_num → incident
	refSeq    int
	algSeq    int
	requests  []FakeRequest
	failN     int
	failCode  int
	failSkip  int
	garbleN   int
}

// FakeIncident is an incident as the fake holds it.
type FakeIncident struct {
	ID          int            `json:"id"`      // @id; the persistent id is "cr:"+ID
	RefNum      string         `json:"ref_num"` // HRC0001, HRC0002, ...
	HcaopsRef   string         `json:"zhcaops_ref,omitempty"`
	Summary     string         `json:"summary"`
	Description string         `json:"description"`
	Status      string         `json:"status"`   // code: OP, WIP, ...
	Priority    string         `json:"priority"` // "1".."5", "" if none
	Group       string         `json:"group"`
	Category    string         `json:"category"`
	Customer    string         `json:"customer"`
	Urgency     string         `json:"urgency,omitempty"`
	Impact      string         `json:"impact,omitempty"`
	LogAgent    string         `json:"log_agent"`   // userid of who opened it
	LastModBy   string         `json:"last_mod_by"` // userid of who changed it last
	LastModDate time.Time      `json:"last_mod_dt"`
	Escalated   bool           `json:"zescalated"`
	Parent      string         `json:"parent"` // "cr:400001" or ""
	OpenDate    time.Time      `json:"open_date"`
	CloseDate   time.Time      `json:"close_date,omitzero"`
	Log         []FakeLogEntry `json:"act_log"`
}

// FakeLogEntry is an activity log (alg) entry.
type FakeLogEntry struct {
	ID          int       `json:"id"`
	Type        string    `json:"type"` // LOG, RE, CL, ST, INIT, ...
	Description string    `json:"description"`
	Analyst     string    `json:"analyst"` // userid of who wrote it
	Time        time.Time `json:"time_stamp"`
}

// FakeRequest is one call the fake answered.
type FakeRequest struct {
	Method string
	Path   string // URL path, e.g. /caisd-rest/rest_access
	Status int    // HTTP status of the answer
}

// NewFake returns an empty SDM that accepts the given credentials.
func NewFake(username, password string) *Fake {
	return &Fake{username: username, password: password, keys: map[string]time.Time{},
		keyUsers: map[string]string{}, users: map[string]string{username: password}}
}

// AddUser lets another person log in (an HRC agent, a vets.gov engineer): what they
// change is stamped with their userid in last_mod_by and the activity log.
func (f *Fake) AddUser(userid, password string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[userid] = password
}

// Handler serves the SDM REST API.
func (f *Fake) Handler() http.Handler { return http.HandlerFunc(f.serveHTTP) }

// Incidents returns a copy of every incident, by ascending ID.
func (f *Fake) Incidents() []FakeIncident {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]FakeIncident, len(f.incidents))
	for i, inc := range f.incidents {
		out[i] = *inc
		out[i].Log = slices.Clone(inc.Log)
	}
	return out
}

// Requests returns every call answered so far, oldest first.
func (f *Fake) Requests() []FakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

// ExpireKeys revokes every access key, so the next call answers 401.
func (f *Fake) ExpireKeys() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.keys)
}

// FailNext makes the next n calls other than rest_access and _fake/ answer
// status with an SDM error body, without acting on them. It acts before the
// access key is checked, as a failing server would.
func (f *Fake) FailNext(n, status int) { f.FailAfter(0, n, status) }

// FailAfter lets skip calls through, then fails n as FailNext does: an outage that
// starts in the middle of a paged read.
func (f *Fake) FailAfter(skip, n, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failSkip, f.failN, f.failCode = skip, n, status
}

// Malformed makes the next n answers to calls other than rest_access and _fake/
// that pass the access key check invalid JSON. The calls are still carried out,
// as when an answer is garbled on the way back: a create creates.
func (f *Fake) Malformed(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.garbleN = n
}

// garbled is the body of a Malformed answer: a proxy's page where JSON belongs.
var garbled = []byte("<html><body>Fake.Malformed: this is not JSON</body></html>")

// answer is what a route returns: a status and a JSON-encodable body, or raw bytes.
type answer struct {
	status int
	body   any
}

func sdmError(status int, format string, args ...any) answer {
	return answer{status, map[string]any{"error": map[string]string{"error_message": fmt.Sprintf(format, args...)}}}
}

func (f *Fake) serveHTTP(w http.ResponseWriter, r *http.Request) {
	a := f.route(r)
	raw, ok := a.body.([]byte)
	if !ok {
		var err error
		if raw, err = json.Marshal(a.body); err != nil {
			a, raw = answer{status: http.StatusInternalServerError}, []byte(`{"error":{"error_message":"fake: cannot encode answer"}}`)
		}
	}
	// Recorded before answering, so that a caller who has the answer sees the call.
	f.mu.Lock()
	f.requests = append(f.requests, FakeRequest{Method: r.Method, Path: r.URL.Path, Status: a.status})
	f.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	w.Write(raw)
}

func (f *Fake) route(r *http.Request) answer {
	rest, ok := strings.CutPrefix(r.URL.Path, "/caisd-rest/")
	if !ok {
		return sdmError(http.StatusNotFound, "not an SDM REST path: %s", r.URL.Path)
	}
	if rest == "rest_access" {
		if r.Method != http.MethodPost {
			return sdmError(http.StatusMethodNotAllowed, "rest_access: use POST")
		}
		return f.restAccess(r)
	}
	if control, ok := strings.CutPrefix(rest, "_fake/"); ok {
		if as, ok := strings.CutPrefix(control, "as/"); ok {
			// A person's change without the key dance, for curl in the local run.
			user, objRest, _ := strings.Cut(as, "/")
			f.mu.Lock()
			defer f.mu.Unlock()
			if _, known := f.users[user]; !known {
				return sdmError(http.StatusNotFound, "fake: unknown user %q (AddUser)", user)
			}
			return f.objects(r, objRest, user)
		}
		return f.control(r, control)
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failSkip > 0 && f.failN > 0 {
		f.failSkip--
	} else if f.failN > 0 {
		f.failN--
		return sdmError(f.failCode, "fault injected by Fake.FailNext (HTTP %d)", f.failCode)
	}
	key := r.Header.Get("X-AccessKey")
	if !f.validKey(key) {
		return sdmError(http.StatusUnauthorized, "Access key is invalid or expired")
	}
	a := f.objects(r, rest, f.keyUsers[key])
	if f.garbleN > 0 {
		f.garbleN--
		a.body = garbled
	}
	return a
}

// objects routes the object calls of user; f.mu is held.
func (f *Fake) objects(r *http.Request, rest, user string) answer {
	factory, id, _ := strings.Cut(rest, "/")
	attrs, err := objAttrs(r.Header.Get("X-Obj-Attrs"))
	if err != nil {
		return sdmError(http.StatusBadRequest, "%v", err)
	}
	v := view{base: baseURL(r), attrs: attrs, noCustom: f.rules.noCustom}
	switch {
	case factory == "in" && id == "" && r.Method == http.MethodGet:
		return f.listIncidents(r, v)
	case factory == "in" && id == "" && r.Method == http.MethodPost:
		return f.createIncident(r, v, user)
	case factory == "in" && id != "" && r.Method == http.MethodGet:
		inc, a := f.incidentAt(id)
		if inc == nil {
			return a
		}
		return f.incidentAnswer(http.StatusOK, v, inc)
	case factory == "in" && id != "" && r.Method == http.MethodPut:
		return f.updateIncident(r, v, id, user)
	case factory == "alg" && id == "" && r.Method == http.MethodGet:
		return f.listActivities(r, v)
	case factory == "alg" && id == "" && r.Method == http.MethodPost:
		return f.createActivity(r, v, user)
	case factory == "in" || factory == "alg":
		return sdmError(http.StatusMethodNotAllowed, "%s %s is not supported by the fake", r.Method, r.URL.Path)
	default:
		return sdmError(http.StatusNotFound, "unknown factory %q", factory)
	}
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// restAccess issues an access key for valid Basic credentials.
func (f *Fake) restAccess(r *http.Request) answer {
	user, pass, ok := r.BasicAuth()
	f.mu.Lock()
	defer f.mu.Unlock()
	want, known := f.users[user]
	if !ok || !known || subtle.ConstantTimeCompare([]byte(pass), []byte(want)) != 1 {
		return sdmError(http.StatusUnauthorized, "Authentication failed: invalid username or password")
	}
	lifetime := f.KeyLifetime
	if lifetime <= 0 {
		lifetime = defaultKeyLifetime
	}
	key := strconv.Itoa(100000000 + rand.IntN(900000000))
	for f.keys[key] != (time.Time{}) {
		key = strconv.Itoa(100000000 + rand.IntN(900000000))
	}
	expires := f.now().Add(lifetime)
	f.keys[key] = expires
	f.keyUsers[key] = user
	f.keyIDs++
	id := strconv.Itoa(400000 + f.keyIDs)
	return answer{http.StatusCreated, map[string]any{"rest_access": map[string]any{
		"@id":             id,
		"@REL_ATTR":       id,
		"@COMMON_NAME":    key,
		"link":            link(baseURL(r), "rest_access/"+id),
		"access_key":      key,
		"expiration_date": strconv.FormatInt(expires.Unix(), 10),
	}}}
}

// validKey reports whether key was issued and has not expired; f.mu is held.
func (f *Fake) validKey(key string) bool {
	expires, ok := f.keys[key]
	return ok && f.now().Before(expires)
}

func baseURL(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

func link(base, path string) map[string]string {
	return map[string]string{"@href": base + "/caisd-rest/" + path, "@rel": "self"}
}
