package enrollment_test

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/hcaops/hcaops/enrollment"
)

// The health check against ES as vets-api recorded it (spec/support/vcr_cassettes/hca/
// health_check.yml and hca/voa/health_check.yml): ES answers retrieveFormSubmissionStatus
// for the known id with formSubmissionId, an empty message and timeStamp, and no status,
// although voa-voaSvc-xsd-2.xml declares status required. vets-api reads only
// formSubmissionId and timeStamp. The request is checked against the XSD, element by
// element, with names written here (not the client's types).
func TestHealthCheckAgainstESRecordedAnswer(t *testing.T) {
	const recorded = `<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><retrieveFormSubmissionStatusResponse xmlns:ns2="http://jaxws.webservices.esr.med.va.gov/schemas" xmlns="http://va.gov/schema/esr/voa/v1"><formSubmissionId>377609264</formSubmissionId><message/><timeStamp>2016-12-12T08:06:08.423-06:00</timeStamp></retrieveFormSubmissionStatusResponse></S:Body></S:Envelope>`
	const (
		soapNS = "http://schemas.xmlsoap.org/soap/envelope/"
		voaNS  = "http://va.gov/schema/esr/voa/v1"
	)
	// voa.wsdl: document/literal, soapAction=""; xsd-2 (elementFormDefault qualified):
	// retrieveFormSubmissionStatusRequest = formSubmissionId (xs:integer), identity
	// (veteranIdentifier optional, authenticationLevel required: type 100 = Anonymous).
	wantRequest := []string{
		soapNS + " Envelope",
		soapNS + " Envelope/" + soapNS + " Body",
		soapNS + " Envelope/" + soapNS + " Body/" + voaNS + " retrieveFormSubmissionStatusRequest",
	}
	req := soapNS + " Envelope/" + soapNS + " Body/" + voaNS + " retrieveFormSubmissionStatusRequest"
	wantRequest = append(wantRequest,
		req+"/"+voaNS+" formSubmissionId=377609264",
		req+"/"+voaNS+" identity",
		req+"/"+voaNS+" identity/"+voaNS+" authenticationLevel",
		req+"/"+voaNS+" identity/"+voaNS+" authenticationLevel/"+voaNS+" type=100",
		req+"/"+voaNS+" identity/"+voaNS+" authenticationLevel/"+voaNS+" value=anonymous",
	)

	var gotRequest []string
	var gotHeader http.Header
	var gotMethod string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotMethod, gotHeader = r.Method, r.Header.Clone()
		body, _ := io.ReadAll(r.Body)
		var err error
		if gotRequest, err = elementPaths(string(body)); err != nil {
			t.Errorf("request is not XML: %v", err)
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		io.WriteString(w, recorded)
	}))
	t.Cleanup(srv.Close)
	c, err := enrollment.NewClient(enrollment.Config{Endpoint: srv.URL + "/voa/voaSvc"})
	if err != nil {
		t.Fatal(err)
	}

	if err := c.HealthCheck(context.Background(), 377609264); err != nil {
		t.Fatalf("HealthCheck against ES's recorded answer: %v", err)
	}
	if gotMethod != http.MethodPost || gotHeader.Get("SOAPAction") != `""` || !strings.HasPrefix(gotHeader.Get("Content-Type"), "text/xml") {
		t.Errorf("request %s, SOAPAction %q, Content-Type %q; want POST, \"\" and text/xml",
			gotMethod, gotHeader.Get("SOAPAction"), gotHeader.Get("Content-Type"))
	}
	if !slices.Equal(gotRequest, wantRequest) {
		t.Errorf("request elements:\n%s\nwant:\n%s", strings.Join(gotRequest, "\n"), strings.Join(wantRequest, "\n"))
	}

	// The same answer about another id is not a healthy ES.
	err = c.HealthCheck(context.Background(), 1)
	if e, ok := errors.AsType[*enrollment.Error](err); !ok || !e.Retryable() {
		t.Errorf("HealthCheck(1) answered about 377609264 = %v, want a retryable error", err)
	}
}

// elementPaths lists every element of doc as its path of "namespace local" names, with
// "=text" for a leaf that has text.
func elementPaths(doc string) ([]string, error) {
	dec := xml.NewDecoder(strings.NewReader(doc))
	var (
		out   []string
		stack []string
		text  strings.Builder
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tok.Name.Space+" "+tok.Name.Local)
			out = append(out, strings.Join(stack, "/"))
			text.Reset()
		case xml.CharData:
			text.Write(tok)
		case xml.EndElement:
			if s := strings.TrimSpace(text.String()); s != "" {
				out[len(out)-1] += "=" + s
			}
			text.Reset()
			stack = stack[:len(stack)-1]
		}
	}
}
