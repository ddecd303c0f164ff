// Package esfake is a fake Enrollment System for tests and the local run: the VOA SOAP
// service (saveSubmitForm, getFormSubmissionStatus) as its WSDL and XSDs define it, ES's
// daily report in hcaops' format, and fault injection. It is never compiled into the worker,
// starter or esctl.
//
// It reads requests as strictly as the schemas say (schema.go): a wrong namespace, an
// unknown, missing, repeated or out-of-order element, or a SOAPAction other than the
// WSDL's "" gets a soap:Client fault and creates no record. Like ES, it does not recognise
// a repeated submission: every accepted saveSubmitForm is a new record.
package esfake

import (
	"crypto/hmac"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // ES's local day must not depend on the host having zoneinfo

	"github.com/hcaops/hcaops/enrollment"
)

// FirstFormSubmissionID is the first id the fake assigns (a real ES id from 2016).
const FirstFormSubmissionID = 40124668140

// esLocation is ES's local time zone: its timestamps and report days use it.
var esLocation = func() *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic("esfake: load America/New_York: " + err.Error())
	}
	return loc
}()

// Fake is an in-memory Enrollment System: the VOA SOAP endpoint at /voa/voaSvc, the daily
// report at /reports/daily/{date}.csv, and controls at /_fake/faults and
// /_fake/submissions. It keeps ids, statuses and an applicant token, never the form.
type Fake struct {
	// Now is ES's clock. Set the exported fields before serving.
	Now func() time.Time
	// HealthCheckID is the known submission the health check asks about; it always
	// answers 104 unless Faults.HealthDown.
	HealthCheckID int64
	// Steps are the statuses a submission goes through: it starts at Steps[0] and moves
	// one step on each getFormSubmissionStatus call, staying at the last.
	Steps []int

	mu      sync.Mutex
	nextID  int64
	records []*record // in id order
	byID    map[int64]*record
	refused int // requests answered with a fault, for tests: none of them made a record
	faults  Faults
	rng     *rand.Rand
	key     []byte // keys the applicant token
}

// Submission is what the fake remembers of one record.
type Submission struct {
	FormSubmissionID int64     `json:"formSubmissionId"`
	Status           int       `json:"status"`
	ReceivedAt       time.Time `json:"receivedAt"`
	StatusAt         time.Time `json:"statusAt"`
	StatusChecks     int       `json:"statusChecks"` // getFormSubmissionStatus calls for it
	// Applicant is a keyed hash of the Veteran's SSN and date of birth: two records with the
	// same Applicant are the same Veteran (a duplicate), without the fake keeping PII.
	Applicant string `json:"applicant"`
}

type record struct {
	Submission
	step  int // index into Steps
	stuck int // 0, or the status it stays in
}

// New returns a fake ES with the default clock, health check id 1, steps
// 100 → 102 → 104, and no faults.
func New() *Fake {
	f := &Fake{
		Now:           time.Now,
		HealthCheckID: 1,
		Steps:         []int{enrollment.StatusSubmitted, enrollment.StatusProcessingInProgress, enrollment.StatusProcessed},
		nextID:        FirstFormSubmissionID,
		byID:          map[int64]*record{},
		key:           make([]byte, 32),
	}
	_, _ = crand.Read(f.key)
	f.rng = newFaultRNG(0)
	return f
}

// Handler serves the fake's endpoints.
func (f *Fake) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /voa/voaSvc", f.serveSOAP)
	mux.HandleFunc("GET /reports/daily/{file}", f.serveReport)
	mux.HandleFunc("GET /_fake/faults", f.serveGetFaults)
	mux.HandleFunc("POST /_fake/faults", f.servePostFaults)
	mux.HandleFunc("DELETE /_fake/faults", f.serveDeleteFaults)
	mux.HandleFunc("GET /_fake/submissions", f.serveSubmissions)
	return mux
}

// Submissions returns every record, in id order.
func (f *Fake) Submissions() []Submission {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Submission, len(f.records))
	for i, r := range f.records {
		out[i] = r.Submission
	}
	return out
}

// Refused counts the requests answered with a fault (structural or injected).
func (f *Fake) Refused() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refused
}

func (f *Fake) steps() []int {
	if len(f.Steps) == 0 {
		return []int{enrollment.StatusSubmitted}
	}
	return f.Steps
}

func (f *Fake) now() time.Time { return f.Now().In(esLocation) }

// answer is what the fake decided to send back.
type answer struct {
	status int    // HTTP status
	body   string // the document
	html   bool   // a page from a proxy, not SOAP
	lost   bool   // the record was made, then the connection dropped before the answer
}

func (f *Fake) serveSOAP(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		return // the client went away
	}
	a := f.handle(r.Header, raw)
	// Latency comes after ES did its work, as with a slow ES: a client that gives up
	// meanwhile does not know whether a record was made.
	if !f.sleepLatency(r) {
		return
	}
	if a.lost {
		dropConnection(w)
		return
	}
	if a.html {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	}
	w.WriteHeader(a.status)
	_, _ = io.WriteString(w, a.body)
}

// dropConnection closes the connection without an HTTP answer.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

func (f *Fake) handle(h http.Header, raw []byte) answer {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ct, _, err := mime.ParseMediaType(h.Get("Content-Type")); err != nil || ct != "text/xml" {
		f.refused++
		return answer{status: http.StatusUnsupportedMediaType, body: "Unsupported Content-Type: a SOAP 1.1 request is text/xml", html: true}
	}
	if action, ok := h["Soapaction"]; !ok || (action[0] != `""` && action[0] != "") {
		f.refused++
		return clientFault(`SOAPAction must be "" as the WSDL declares for both operations`)
	}
	req, err := parseRequest(raw)
	if err != nil {
		f.refused++
		if mu, ok := err.(*mustUnderstandError); ok {
			return fault("S:MustUnderstand", mu.Error(), nil)
		}
		return clientFault(err.Error())
	}
	op := req.name.Local
	var statusID int64
	if op == "retrieveFormSubmissionStatusRequest" {
		statusID, _ = strconv.ParseInt(req.path("formSubmissionId"), 10, 64)
	}
	if a, ok := f.injectFault(op, statusID); ok {
		return a
	}
	if op == "submitFormRequest" {
		return f.saveSubmitForm(req)
	}
	return f.getFormSubmissionStatus(statusID)
}

// saveSubmitForm makes a new record for an accepted form. Called with f.mu held.
func (f *Fake) saveSubmitForm(req *node) answer {
	form := req.child("form")
	if form.path("formIdentifier", "type") != "100" || form.path("formIdentifier", "value") != "1010EZ" {
		f.refused++
		return validationFault("VOA_0001", "Unsupported form identifier: this service takes 1010EZ (type 100)")
	}
	p := form.child("summary").child("personInfo")
	if p == nil {
		f.refused++
		return validationFault("VOA_0100", "Missing Required Field: personInfo.")
	}
	for _, m := range []struct{ el, what string }{
		{"firstName", "Veteran first name"}, {"lastName", "Veteran last name"}, {"ssnText", "Veteran SSN"},
		{"dob", "Veteran date of birth"}, {"gender", "Veteran gender"},
	} {
		if p.path(m.el) == "" {
			f.refused++
			return validationFault("VOA_0101", "Missing Required Field: "+m.what+".")
		}
	}
	if !nineDigits(p.path("ssnText")) {
		f.refused++
		return validationFault("VOA_0010", "Invalid SSN format.")
	}
	if _, err := time.Parse("01/02/2006", p.path("dob")); err != nil {
		f.refused++
		return validationFault("VOA_0020", "Invalid date of birth format.")
	}
	now := f.now()
	rec := &record{Submission: Submission{
		FormSubmissionID: f.nextID,
		Status:           f.steps()[0],
		ReceivedAt:       now,
		StatusAt:         now,
		Applicant:        f.applicant(p.path("ssnText"), p.path("dob")),
	}}
	f.nextID++
	f.records = append(f.records, rec)
	f.byID[rec.FormSubmissionID] = rec
	if take(&f.faults.AnswerLost) {
		return answer{lost: true} // nobody will follow this record: the stuck fault waits for the next
	}
	if take(&f.faults.StuckInProcessing) {
		rec.stuck = f.faults.stuckStatus()
	}
	return f.result("submitFormResponse", rec.Status, rec.FormSubmissionID)
}

// getFormSubmissionStatus moves a record one step and answers its status. Called with
// f.mu held.
func (f *Fake) getFormSubmissionStatus(id int64) answer {
	if id == f.HealthCheckID {
		return f.result("retrieveFormSubmissionStatusResponse", enrollment.StatusProcessed, id)
	}
	rec := f.byID[id]
	if rec == nil {
		f.refused++
		return validationFault("VOA_0200", "Form submission not found.")
	}
	rec.StatusChecks++
	next := rec.Status
	switch stuck := f.stuckStatusOf(rec); {
	case stuck != 0:
		next = stuck
	case rec.step < len(f.steps())-1:
		rec.step++
		next = f.steps()[rec.step]
	}
	if next != rec.Status {
		rec.Status, rec.StatusAt = next, f.now()
	}
	return f.result("retrieveFormSubmissionStatusResponse", rec.Status, id)
}

func (f *Fake) stuckStatusOf(rec *record) int {
	if rec.stuck != 0 {
		return rec.stuck
	}
	for _, id := range f.faults.StuckIDs {
		if id == rec.FormSubmissionID {
			return f.faults.stuckStatus()
		}
	}
	return 0
}

func (f *Fake) applicant(ssn, dob string) string {
	m := hmac.New(sha256.New, f.key)
	m.Write([]byte(ssn + "|" + dob))
	return hex.EncodeToString(m.Sum(nil))[:16]
}

func nineDigits(s string) bool {
	if len(s) != 9 {
		return false
	}
	return strings.Trim(s, "0123456789") == ""
}
