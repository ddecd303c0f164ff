package sdmfake

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// control serves the fake's own endpoints below /caisd-rest/_fake/, which let a
// person running hcaops against the fake see what it received and inject the
// faults tests inject with FailNext, Malformed and ExpireKeys.
func (f *Fake) control(r *http.Request, what string) answer {
	intParam := func(name string, def int) (int, bool) {
		s := r.URL.Query().Get(name)
		if s == "" {
			return def, true
		}
		n, err := strconv.Atoi(s)
		return n, err == nil && n >= 0
	}
	switch {
	case what == "incidents" && r.Method == http.MethodGet:
		return indented(f.Incidents())
	case what == "requests" && r.Method == http.MethodGet:
		return indented(f.Requests())
	case what == "fail" && r.Method == http.MethodPost:
		n, okN := intParam("n", 1)
		status, okS := intParam("status", http.StatusInternalServerError)
		if !okN || !okS || status < 400 || status > 599 {
			return sdmError(http.StatusBadRequest, "want ?n=COUNT&status=4xx|5xx")
		}
		f.FailNext(n, status)
		return answer{http.StatusOK, map[string]int{"n": n, "status": status}}
	case what == "malformed" && r.Method == http.MethodPost:
		n, ok := intParam("n", 1)
		if !ok {
			return sdmError(http.StatusBadRequest, "want ?n=COUNT")
		}
		f.Malformed(n)
		return answer{http.StatusOK, map[string]int{"n": n}}
	case what == "expire_keys" && r.Method == http.MethodPost:
		f.ExpireKeys()
		return answer{http.StatusOK, map[string]bool{"expired": true}}
	default:
		return sdmError(http.StatusNotFound, "unknown fake control %s %s", r.Method, r.URL.Path)
	}
}

// indented answers v as indented JSON: these answers are read by people.
func indented(v any) answer {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return sdmError(http.StatusInternalServerError, "fake: %v", err)
	}
	return answer{http.StatusOK, append(b, '\n')}
}
