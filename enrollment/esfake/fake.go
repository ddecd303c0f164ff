package enrollment

import (
	"bytes"
	"encoding/xml"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // ES's local day must not depend on the host having zoneinfo
)

// FakeFirstFormSubmissionID is the first id the fake assigns (a real ES id from 2016).
const FakeFirstFormSubmissionID = 40124668140

// esLocation is ES's local time zone: its timestamps and report days use it.
var esLocation = func() *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic("enrollment: load America/New_York: " + err.Error())
	}
	return loc
}()

// esTimestampLayout is how ES writes timeStamp, e.g. 2016-08-24T14:49:22.066-05:00.
const esTimestampLayout = "2006-01-02T15:04:05.000-07:00"

// Fake is an in-memory Enrollment System for tests and local runs: the VOA SOAP
// endpoint at /voa/voaSvc, the daily report at /reports/daily/{date}.csv, and fault
// controls at /_fake/faults and /_fake/submissions. It keeps only ids, keys and statuses:
// the form itself is decoded to check it and then dropped with the request.
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
	records []*fakeRecord // in id order
	byID    map[int64]*fakeRecord
	byKey   map[string]*fakeRecord
	faults  Faults
	rng     *rand.Rand
}

// FakeSubmission is what the fake remembers of one submission.
type FakeSubmission struct {
	FormSubmissionID int64     `json:"formSubmissionId"`
	Key              string    `json:"key"` // submissionKey header (our ApplicationID)
	Status           int       `json:"status"`
	ReceivedAt       time.Time `json:"receivedAt"`
	StatusAt         time.Time `json:"statusAt"`
	Calls            int       `json:"calls"`        // saveSubmitForm calls answered with this record
	StatusChecks     int       `json:"statusChecks"` // getFormSubmissionStatus calls for it
}

type fakeRecord struct {
	FakeSubmission
	step  int // index into Steps
	stuck int // 0, or the status it stays in
}

// NewFake returns a fake ES with the default clock, health check id 1 and steps
// 100 → 102 → 104, and no faults.
func NewFake() *Fake {
	f := &Fake{
		Now:           time.Now,
		HealthCheckID: 1,
		Steps:         []int{StatusSubmitted, StatusProcessingInProgress, StatusProcessed},
		nextID:        FakeFirstFormSubmissionID,
		byID:          map[int64]*fakeRecord{},
		byKey:         map[string]*fakeRecord{},
	}
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

// Submissions returns every submission received, in id order.
func (f *Fake) Submissions() []FakeSubmission {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]FakeSubmission, len(f.records))
	for i, r := range f.records {
		out[i] = r.FakeSubmission
	}
	return out
}

func (f *Fake) steps() []int {
	if len(f.Steps) == 0 {
		return []int{StatusSubmitted}
	}
	return f.Steps
}

func (f *Fake) now() time.Time { return f.Now().In(esLocation) }

func (f *Fake) serveSOAP(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return // the client went away
	}
	// After reading the body, so that the server notices a client that gives up.
	if !f.sleepLatency(r) {
		return
	}
	var env requestEnvelope
	if err := xml.Unmarshal(raw, &env); err != nil {
		writeFaultResponse(w, http.StatusInternalServerError, "soap:Client", "request is not a SOAP 1.1 envelope", nil)
		return
	}
	op := strings.Trim(r.Header.Get("SOAPAction"), `"`)
	if op == "" {
		switch {
		case env.Body.SubmitForm != nil:
			op = opSaveSubmitForm
		case env.Body.Status != nil:
			op = opGetFormSubmissionStatus
		}
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case op == opSaveSubmitForm && env.Body.SubmitForm != nil:
		if !f.injectFault(w, op, 0) {
			f.saveSubmitForm(w, env.Header.SubmissionKey, &env.Body.SubmitForm.FormSubmission)
		}
	case op == opGetFormSubmissionStatus && env.Body.Status != nil:
		id := env.Body.Status.FormSubmissionID
		if !f.injectFault(w, op, id) {
			f.getFormSubmissionStatus(w, id)
		}
	default:
		writeFaultResponse(w, http.StatusInternalServerError, "soap:Client", "unknown operation or missing request element for SOAPAction "+op, nil)
	}
}

// saveSubmitForm records a submission once per submissionKey. Called with f.mu held.
func (f *Fake) saveSubmitForm(w http.ResponseWriter, key string, form *formSubmission) {
	if form.FormIdentifier.Type != FormType1010EZ || form.FormIdentifier.Value != formIdentifierValue1010EZ {
		writeFaultResponse(w, http.StatusInternalServerError, "soap:Server", FaultFormSubmission,
			[]faultException{{Code: "VOA_0001", Message: "Unsupported form identifier"}})
		return
	}
	rec := f.byKey[key] // never found for an empty key: without one, ES cannot dedupe
	if rec == nil {
		now := f.now()
		rec = &fakeRecord{FakeSubmission: FakeSubmission{
			FormSubmissionID: f.nextID,
			Key:              key,
			Status:           f.steps()[0],
			ReceivedAt:       now,
			StatusAt:         now,
		}}
		f.nextID++
		if take(&f.faults.StuckInProcessing) {
			rec.stuck = f.faults.stuckStatus()
		}
		f.records = append(f.records, rec)
		f.byID[rec.FormSubmissionID] = rec
		if key != "" {
			f.byKey[key] = rec
		}
	}
	rec.Calls++
	f.writeResult(w, elemSubmitFormResponse, rec.Status, rec.FormSubmissionID, "Form Submitted Successfully")
}

// getFormSubmissionStatus moves a submission one step and answers its status. Called
// with f.mu held.
func (f *Fake) getFormSubmissionStatus(w http.ResponseWriter, id int64) {
	if id == f.HealthCheckID {
		f.writeResult(w, elemStatusResponse, StatusProcessed, id, "")
		return
	}
	rec := f.byID[id]
	if rec == nil {
		writeFaultResponse(w, http.StatusInternalServerError, "soap:Client", "formSubmissionId not found", nil)
		return
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
	f.writeResult(w, elemStatusResponse, rec.Status, id, StatusText(rec.Status))
}

func (f *Fake) stuckStatusOf(rec *fakeRecord) int {
	if rec.stuck != 0 {
		return rec.stuck
	}
	for _, k := range f.faults.StuckKeys {
		if k != "" && k == rec.Key {
			return f.faults.stuckStatus()
		}
	}
	return 0
}

func (f *Fake) writeResult(w http.ResponseWriter, elem string, status int, id int64, text string) {
	res := formResult{
		XMLName:          xml.Name{Space: voaServiceNS, Local: elem},
		Status:           status,
		FormSubmissionID: id,
		TimeStamp:        f.now().Format(esTimestampLayout),
	}
	if text != "" {
		res.Message = &resultMessage{Type: "INFO", Text: text}
	}
	var b bytes.Buffer
	if err := writeEnvelope(&b, "", res); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write(b.Bytes())
}

func writeFaultResponse(w http.ResponseWriter, status int, code, text string, exceptions []faultException) {
	var b bytes.Buffer
	if err := writeFault(&b, code, text, exceptions); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}
