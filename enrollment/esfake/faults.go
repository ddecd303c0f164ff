package esfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

// Faults are the failures the fake ES injects. Counts ("next N calls") go down as they
// fire; a negative count means "until turned off". Set them from Go with SetFaults or
// over HTTP:
//
//	curl -X POST localhost:8052/_fake/faults -d '{"unavailable503": -1}'   # ES down
//	curl -X POST localhost:8052/_fake/faults -d '{"unavailable503": 0}'    # ES back
//	curl localhost:8052/_fake/faults                                       # show
//	curl -X DELETE localhost:8052/_fake/faults                             # clear all
//
// A POST changes only the fields it names. Latency is a Go duration string in JSON ("2s").
type Faults struct {
	// SOAP calls, checked in this order (Latency delays the answer after ES did its work).
	Latency         time.Duration `json:"latency"`         // added to every SOAP answer
	Unavailable503  int           `json:"unavailable503"`  // next N calls (SOAP and report) answer HTTP 503
	HealthDown      bool          `json:"healthDown"`      // status of HealthCheckID answers HTTP 503
	ProxyError      int           `json:"proxyError"`      // next N SOAP calls answer an HTML page with ProxyStatus
	ProxyStatus     int           `json:"proxyStatus"`     // 502 (default), 504, 403, 404, 302 (ES's maintenance page), ...
	ErrorRate       float64       `json:"errorRate"`       // 0..1 of SOAP calls answer HTTP 500 with a soap:Server fault
	Seed            int64         `json:"seed"`            // seeds ErrorRate's PRNG (0 means 1); reseeded on every change
	Malformed       int           `json:"malformed"`       // next N SOAP calls answer HTTP 200 with broken XML
	ClientFault     int           `json:"clientFault"`     // next N SOAP calls answer a soap:Client fault
	ValidationFault int           `json:"validationFault"` // next N saveSubmitForm answer formSubmissionException ValidationCode
	ValidationCode  string        `json:"validationCode"`  // default VOA_0010
	RetryableFault  int           `json:"retryableFault"`  // next N saveSubmitForm answer formSubmissionException VOA_0240
	AnswerLost      int           `json:"answerLost"`      // next N accepted saveSubmitForm: record made, connection dropped before the answer

	// Status progression.
	StuckInProcessing int     `json:"stuckInProcessing"` // next N new submissions never leave StuckStatus
	StuckIDs          []int64 `json:"stuckIds"`          // submissions with these formSubmissionIds never leave StuckStatus
	StuckStatus       int     `json:"stuckStatus"`       // 102 (default) or 103

	// Daily report.
	ReportLate           bool     `json:"reportLate"`           // every report answers 404
	ReportMissing        []string `json:"reportMissing"`        // these dates answer 404
	ReportDrop           int      `json:"reportDrop"`           // omit the last N rows of each report
	ReportExtra          int      `json:"reportExtra"`          // add N rows vets.gov never sent
	ReportStatusMismatch int      `json:"reportStatusMismatch"` // report the first N rows with a wrong status
}

// voaFaultMessages are the texts the fake sends with its fault codes; like ES's, they
// describe the rule and never echo a form value.
var voaFaultMessages = map[string]string{
	"VOA_0010":                         "Invalid SSN format",
	"VOA_0020":                         "Invalid date of birth",
	"VOA_0030":                         "Invalid preferred facility",
	enrollment.CodeRetryableSubmission: "Unable to process the form submission at this time",
}

func (x *Faults) validationCode() string {
	if x.ValidationCode == "" {
		return "VOA_0010"
	}
	return x.ValidationCode
}

func (x *Faults) stuckStatus() int {
	if x.StuckStatus == 0 {
		return enrollment.StatusProcessingInProgress
	}
	return x.StuckStatus
}

func (x *Faults) check() error {
	var errs []error
	if x.ErrorRate < 0 || x.ErrorRate > 1 {
		errs = append(errs, errors.New("errorRate must be between 0 and 1"))
	}
	if x.Latency < 0 {
		errs = append(errs, errors.New("latency must not be negative"))
	}
	if x.StuckStatus != 0 && x.StuckStatus != enrollment.StatusProcessingInProgress && x.StuckStatus != enrollment.StatusProcessingPending {
		errs = append(errs, errors.New("stuckStatus must be 102 or 103"))
	}
	if x.ValidationCode == enrollment.CodeRetryableSubmission {
		errs = append(errs, errors.New("validationCode VOA_0240 is retryable: use retryableFault"))
	}
	for _, d := range x.ReportMissing {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			errs = append(errs, fmt.Errorf("reportMissing %q is not YYYY-MM-DD", d))
		}
	}
	if x.ProxyStatus != 0 && (x.ProxyStatus < 300 || x.ProxyStatus > 599) {
		errs = append(errs, errors.New("proxyStatus must be a 3xx, 4xx or 5xx HTTP status"))
	}
	if x.ReportDrop < 0 || x.ReportExtra < 0 || x.ReportStatusMismatch < 0 {
		errs = append(errs, errors.New("reportDrop, reportExtra and reportStatusMismatch must not be negative"))
	}
	if x.ReportExtra > 999 {
		errs = append(errs, errors.New("reportExtra must be at most 999")) // ids are numbered per day
	}
	return errors.Join(errs...)
}

// faultsJSON has Faults' fields without its JSON methods.
type faultsJSON Faults

// MarshalJSON writes Latency as a duration string.
func (x Faults) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		faultsJSON
		Latency string `json:"latency"`
	}{faultsJSON(x), x.Latency.String()})
}

// UnmarshalJSON reads Latency as a duration string and leaves absent fields as they
// are, which is what makes a POST a partial update.
func (x *Faults) UnmarshalJSON(b []byte) error {
	aux := struct {
		*faultsJSON
		Latency *string `json:"latency"`
	}{faultsJSON: (*faultsJSON)(x)}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields() // a misspelt fault must not be silently ignored
	if err := dec.Decode(&aux); err != nil {
		return err
	}
	if aux.Latency != nil {
		d, err := time.ParseDuration(*aux.Latency)
		if err != nil {
			return fmt.Errorf("latency: %w", err)
		}
		x.Latency = d
	}
	return nil
}

// Faults returns the faults in force, with counts as far as they have gone down.
func (f *Fake) Faults() Faults {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.faults
}

// SetFaults replaces all faults and reseeds the ErrorRate PRNG.
func (f *Fake) SetFaults(x Faults) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.setFaultsLocked(x)
}

func (f *Fake) setFaultsLocked(x Faults) error {
	if err := x.check(); err != nil {
		return err
	}
	f.faults = x
	f.rng = newFaultRNG(x.Seed)
	return nil
}

func newFaultRNG(seed int64) *rand.Rand {
	if seed == 0 {
		seed = 1
	}
	return rand.New(rand.NewPCG(uint64(seed), 0x1010e2))
}

// take reports whether a "next N" fault fires, counting it down.
func take(n *int) bool {
	switch {
	case *n < 0:
		return true
	case *n > 0:
		*n--
		return true
	}
	return false
}

// sleepLatency waits for Faults.Latency, or until the client gives up.
func (f *Fake) sleepLatency(r *http.Request) bool {
	f.mu.Lock()
	d := f.faults.Latency
	f.mu.Unlock()
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// injectFault answers the SOAP call with the first fault that fires, if any. op is the
// request element. Called with f.mu held; a fired fault makes no record.
func (f *Fake) injectFault(op string, statusID int64) (answer, bool) {
	x := &f.faults
	submit := op == "submitFormRequest"
	var a answer
	switch {
	case take(&x.Unavailable503):
		a = proxyPage(http.StatusServiceUnavailable)
	case x.HealthDown && !submit && statusID == f.HealthCheckID:
		a = proxyPage(http.StatusServiceUnavailable)
	case take(&x.ProxyError):
		status := x.ProxyStatus
		if status == 0 {
			status = http.StatusBadGateway
		}
		a = proxyPage(status)
	case x.ErrorRate > 0 && f.rng.Float64() < x.ErrorRate:
		a = fault("S:Server", "Internal Server Error", nil)
	case take(&x.Malformed):
		a = answer{status: http.StatusOK, body: envelopeStart + `<submitFormResponse xmlns="` + voaNS + `"><status>10`}
	case take(&x.ClientFault):
		a = clientFault("Unmarshalling Error: unexpected element")
	case submit && take(&x.ValidationFault):
		code := x.validationCode()
		a = validationFault(code, voaFaultMessages[code])
	case submit && take(&x.RetryableFault):
		a = validationFault(enrollment.CodeRetryableSubmission, voaFaultMessages[enrollment.CodeRetryableSubmission])
	default:
		return answer{}, false
	}
	f.refused++
	return a, true
}

func (f *Fake) serveGetFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, f.Faults())
}

func (f *Fake) servePostFaults(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<16))
	if err != nil {
		http.Error(w, "faults: "+err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	x := f.faults
	// Decoding must not write into the live slices.
	x.StuckIDs = slices.Clone(x.StuckIDs)
	x.ReportMissing = slices.Clone(x.ReportMissing)
	err = json.Unmarshal(body, &x)
	if err == nil {
		err = f.setFaultsLocked(x)
	}
	f.mu.Unlock()
	if err != nil {
		http.Error(w, "faults: "+err.Error(), http.StatusBadRequest)
		return
	}
	writeJSON(w, f.Faults())
}

func (f *Fake) serveDeleteFaults(w http.ResponseWriter, _ *http.Request) {
	_ = f.SetFaults(Faults{})
	writeJSON(w, f.Faults())
}

func (f *Fake) serveSubmissions(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, f.Submissions())
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
