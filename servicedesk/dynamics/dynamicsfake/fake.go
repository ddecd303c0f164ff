// Package dynamicsfake is an in-memory Microsoft Dynamics 365 organisation for tests
// and local runs, written from the Dataverse Web API and Entra ID documentation. It
// shares no code with the client in package dynamics, so the client's tests against it
// check the client against the protocol, not against itself. Production programs never
// import it.
package dynamicsfake

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Fake is an in-memory Dynamics 365 organisation: the Entra ID token endpoint and the
// parts of the Dataverse Web API that hcaops's client uses, with the same URLs, bodies,
// status codes and rules (alternate key, read-only inactive incidents, CloseIncident,
// Merge). Serve Handler with httptest.NewServer in tests or with http.ListenAndServe for
// a local run; point the client's dynamics.Config.BaseURL at the server and
// Config.TokenURL at {server}/oauth2/v2.0/token. It is safe for concurrent use.
type Fake struct {
	clientID, clientSecret string

	mu            sync.Mutex
	now           func() time.Time
	tokenLifetime time.Duration
	tokens        map[string]time.Time     // access token → expiry
	incidents     map[string]*FakeIncident // by incidentid, lower case as newGUID writes it
	byNumber      map[string]*FakeIncident
	byRef         map[string]*FakeIncident
	noteOf        map[string]*FakeIncident // lower-case note id → the incident holding it
	nextTicket    int
	rowVersion    int64 // change tracking: bumped on every incident change
	// noCustomColumns: the organisation lacks hcaops_reference and hcaops_group.
	noCustomColumns bool
	requests        []FakeRequest
	failLeft        int
	failSkip        int
	failStatus      int
	malformedLeft   int
}

// FakeIncident is an incident as the fake holds it.
type FakeIncident struct {
	ID           string         `json:"incidentid"`
	TicketNumber string         `json:"ticketnumber"`
	Reference    string         `json:"hcaops_reference,omitempty"`
	Title        string         `json:"title"`
	Description  string         `json:"description,omitempty"`
	CaseOrigin   int            `json:"caseorigincode,omitempty"`
	PriorityCode int            `json:"prioritycode"`
	StateCode    int            `json:"statecode"`
	StatusCode   int            `json:"statuscode"`
	IsEscalated  bool           `json:"isescalated"`
	EscalatedOn  string         `json:"escalatedon,omitempty"`
	ResponseBy   string         `json:"responseby,omitempty"`
	ResolveBy    string         `json:"resolveby,omitempty"`
	Group        string         `json:"hcaops_group,omitempty"`
	CustomerID   string         `json:"customerid,omitempty"`
	MasterID     string         `json:"masterid,omitempty"`
	Resolution   FakeResolution `json:"resolution,omitzero"`
	Notes        []FakeNote     `json:"notes,omitempty"`
	CreatedOn    time.Time      `json:"createdon"`
	ModifiedOn   time.Time      `json:"modifiedon"`
	version      int64
}

// touch records a change of inc for change tracking; the caller holds f.mu.
func (f *Fake) touch(inc *FakeIncident) {
	f.rowVersion++
	inc.version = f.rowVersion
	f.index(inc)
}

// FakeResolution is the incident resolution CloseIncident was given.
type FakeResolution struct {
	Subject     string `json:"subject"`
	Description string `json:"description,omitempty"`
}

// FakeNote is an annotation on an incident.
type FakeNote struct {
	ID        string    `json:"annotationid"`
	Subject   string    `json:"subject"`
	Text      string    `json:"notetext"`
	CreatedOn time.Time `json:"createdon"`
}

// FakeRequest is a request the fake received, token requests included.
type FakeRequest struct {
	Method string
	Path   string // URL path, e.g. /api/data/v9.2/incidents(GUID)
	Query  string // raw query, e.g. $select=...&$filter=...
}

// Fake URLs, relative to the server root.
const (
	FakeTokenPath     = "/oauth2/v2.0/token"
	FakeIncidentsPath = "/_fake/incidents"
)

// NewFake returns an empty organisation that issues tokens to one client.
func NewFake(clientID, clientSecret string) *Fake {
	return &Fake{
		clientID:      clientID,
		clientSecret:  clientSecret,
		now:           time.Now,
		tokenLifetime: time.Hour,
		tokens:        map[string]time.Time{},
		incidents:     map[string]*FakeIncident{},
		nextTicket:    1001,
	}
}

// Handler serves the token endpoint at /oauth2/v2.0/token (and /{tenant}/oauth2/v2.0/token,
// like Entra ID), the Web API under /api/data/v9.2/, and GET /_fake/incidents, an
// unauthenticated JSON dump of Incidents() for whoever runs hcaops locally.
func (f *Fake) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+FakeTokenPath, f.serveToken)
	mux.HandleFunc("POST /{tenant}"+FakeTokenPath, f.serveToken)
	mux.HandleFunc(apiPath, f.serveAPI)
	mux.HandleFunc("GET "+FakeIncidentsPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(f.Incidents())
	})
	return mux
}

// WithoutCustomColumns is an organisation without hcaops's columns: hcaops_reference and
// hcaops_group are invalid properties, in bodies, $select and $filter.
func (f *Fake) WithoutCustomColumns() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.noCustomColumns = true
}

// SetNow replaces the clock that token expiry and timestamps use.
func (f *Fake) SetNow(now func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = now
}

// SetTokenLifetime sets the lifetime of tokens issued from now on (default 1 h).
func (f *Fake) SetTokenLifetime(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokenLifetime = d
}

// ExpireTokens revokes every token issued so far, so the next Web API call answers 401.
func (f *Fake) ExpireTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.tokens)
}

// FailNext makes the next n Web API requests answer status with an error body.
func (f *Fake) FailNext(n, status int) { f.FailAfter(0, n, status) }

// FailAfter lets skip Web API requests through, then fails n as FailNext does: an
// outage in the middle of a sequence of calls (a migration halfway through).
func (f *Fake) FailAfter(skip, n, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failSkip, f.failLeft, f.failStatus = skip, n, status
}

// Malformed makes the next n Web API requests answer 200 with a body that is not JSON.
// Fault injection happens before authentication and changes nothing.
func (f *Fake) Malformed(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.malformedLeft = n
}

// Incidents returns a copy of every incident, sorted by ticket number.
func (f *Fake) Incidents() []FakeIncident {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]FakeIncident, 0, len(f.incidents))
	for _, inc := range f.incidents {
		c := *inc
		c.Notes = slices.Clone(inc.Notes)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b FakeIncident) int { return strings.Compare(a.TicketNumber, b.TicketNumber) })
	return out
}

// Requests returns the requests received so far, oldest first.
func (f *Fake) Requests() []FakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

// serveToken is the OAuth 2 client-credentials grant of Entra ID.
func (f *Fake) serveToken(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record(r)
	refuse := func(code, desc string) {
		writeJSON(w, http.StatusBadRequest, tokenError{Error: code, Description: desc})
	}
	if err := r.ParseForm(); err != nil {
		refuse("invalid_request", "the body is not a form")
		return
	}
	switch {
	case r.PostForm.Get("grant_type") != "client_credentials":
		refuse("unsupported_grant_type", "only client_credentials is supported")
	case r.PostForm.Get("client_id") != f.clientID || r.PostForm.Get("client_secret") != f.clientSecret:
		refuse("invalid_client", "unknown client or wrong secret")
	case !strings.HasSuffix(r.PostForm.Get("scope"), "/.default"):
		refuse("invalid_scope", "scope must be {organisation URL}/.default")
	default:
		token := "fake-" + randomHex(16)
		f.tokens[token] = f.now().Add(f.tokenLifetime)
		writeJSON(w, http.StatusOK, tokenResponse{
			TokenType: "Bearer", ExpiresIn: int(f.tokenLifetime / time.Second), AccessToken: token,
		})
	}
}

// serveAPI is the Web API: fault injection, authentication, then routing.
func (f *Fake) serveAPI(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record(r)
	w.Header().Set("OData-Version", "4.0")
	switch {
	case f.failSkip > 0 && f.failLeft > 0:
		f.failSkip--
	case f.failLeft > 0:
		f.failLeft--
		if f.failStatus == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
		}
		writeAPIError(w, f.failStatus, "0x80040216", "injected failure")
		return
	case f.malformedLeft > 0:
		f.malformedLeft--
		w.Header().Set("Content-Type", "application/json; odata.metadata=minimal")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"value":[{"incidentid":`))
		return
	}
	if !f.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeAPIError(w, http.StatusUnauthorized, "0x80072560", "the access token is missing, invalid or expired")
		return
	}
	api := fakeAPI{f: f, w: w, r: r, root: serviceRoot(r)}
	api.route(strings.TrimPrefix(r.URL.Path, apiPath))
}

func (f *Fake) authorized(r *http.Request) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	expiry, ok := f.tokens[token]
	return ok && f.now().Before(expiry)
}

func (f *Fake) record(r *http.Request) {
	f.requests = append(f.requests, FakeRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery})
}

// serviceRoot is the Web API URL as the caller sees it, for OData-EntityId and @odata.context.
func serviceRoot(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + apiPath
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeAPIError(w http.ResponseWriter, status int, code, msg string) {
	var e apiError
	e.Error.Code, e.Error.Message = code, msg
	writeJSON(w, status, e)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x", b)
}

// newGUID returns a random (version 4) GUID.
func newGUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
