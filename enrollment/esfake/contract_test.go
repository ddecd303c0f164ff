package esfake_test

// Contract tests of the VOA interface, stated on their own terms: the names, namespaces,
// order and cardinality below are written from voa.wsdl, voa-voaSvc-xsd-2.xml and
// voa-voaSvc-xsd-1.xml (vets-api config/health_care_application/wsdl/), not taken from
// the client's types or the fake's schema table. The client's documents must fit this
// description, and the fake must refuse hand-written documents that do not: a client and a
// fake that drift together away from the WSDL fail here.

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/enrollmenttest"
	"github.com/hcaops/hcaops/enrollment/esfake"
)

const (
	nsSOAP11  = "http://schemas.xmlsoap.org/soap/envelope/"
	nsVOA     = "http://va.gov/schema/esr/voa/v1"
	nsEE      = "http://jaxws.webservices.esr.med.va.gov/schemas"
	nsService = "http://va.gov/service/esr/voa/v1" // the WSDL's own namespace: never on the wire
)

// submitFormRequestXSD describes the saveSubmitForm input: one element per line, indented
// by two spaces per level, "name occurs [seq|all]" (occurs: 1 required, ? optional,
// * repeated). Elements below summary are in the eeSummary namespace, all others in the
// VOA schema namespace. The eeSummary part lists the elements a 10-10EZ can fill.
const submitFormRequestXSD = `
submitFormRequest 1 seq
  form 1 seq
    formIdentifier 1 seq
      type 1
      value ?
      version ?
    summary 1 all
      associations ? seq
        association * all
          address ? all
            city ?
            country ?
            line1 ?
            line2 ?
            line3 ?
            postalCode ?
            provinceCode ?
            state ?
            zipCode ?
            zipPlus4 ?
          contactType ?
          familyName ?
          givenName ?
          middleName ?
          relationship ?
          suffix ?
      demographics ? all
        appointmentRequestResponse ?
        contactInfo ? all
          addresses ? seq
            address * all
              city ?
              country ?
              line1 ?
              line2 ?
              line3 ?
              postalCode ?
              provinceCode ?
              state ?
              zipCode ?
              zipPlus4 ?
              addressTypeCode ?
          emails ? seq
            email * all
              address ?
              type ?
          phones ? seq
            phone * all
              phoneNumber ?
              type ?
        ethnicity ?
        maritalStatus ?
        preferredFacility ?
        races ? seq
          race *
        acaIndicator ?
      enrollmentDeterminationInfo ? all
        eligibleForMedicaid ?
        noseThroatRadiumInfo ? all
          receivingTreatment ?
        serviceConnectionAward ? all
          serviceConnectedIndicator ?
        specialFactors ? all
          agentOrangeInd ?
          envContaminantsInd ?
          campLejeuneInd ?
          radiationExposureInd ?
      financialsInfo ? all
        financialStatement ? all
          expenses ? seq
            expense * all
              amount ?
              expenseType ?
          incomes ? seq
            income * all
              amount ?
              type ?
          dependentFinancialsList ? seq
            dependentFinancials * all
              expenses ? seq
                expense * all
                  amount ?
                  expenseType ?
              incomes ? seq
                income * all
                  amount ?
                  type ?
              livedWithPatient ?
              attendedSchool ?
              contributedToSupport ?
              dependentInfo ? all
                dob ?
                familyName ?
                givenName ?
                middleName ?
                relationship ?
                ssns ? seq
                  ssn * all
                    ssnText ?
                startDate ?
                suffix ?
              incapableOfSelfSupport ?
          marriedLastCalendarYear ?
          numberOfDependentChildren ?
          spouseFinancialsList ? seq
            spouseFinancials * all
              incomes ? seq
                income * all
                  amount ?
                  type ?
              livedWithPatient ?
              spouse ? all
                dob ?
                familyName ?
                givenName ?
                middleName ?
                relationship ?
                ssns ? seq
                  ssn * all
                    ssnText ?
                startDate ?
                address ? all
                  city ?
                  country ?
                  line1 ?
                  line2 ?
                  line3 ?
                  postalCode ?
                  provinceCode ?
                  state ?
                  zipCode ?
                  zipPlus4 ?
                  phoneNumber ?
                suffix ?
              contributedToSpouseInd ?
        incomeTest ? all
          discloseFinancialInformation ?
      insuranceList ? seq
        insurance * all
          companyName ?
          enrolledInPartA ?
          groupNumber ?
          insuranceMappingTypeName ?
          partAEffectiveDate ?
          policyHolderName ?
          policyNumber ?
      militaryServiceInfo ? all
        dischargeDueToDisability ?
        militaryServiceSiteRecords ? seq
          militaryServiceSiteRecord * all
            militaryServiceEpisodes ? seq
              militaryServiceEpisode * all
                endDate ?
                serviceBranch ?
                startDate ?
                dischargeType ?
            site ?
      prisonerOfWarInfo ? all
        powIndicator ?
      purpleHeart ? all
        indicator ?
      relations ? seq
        relation * seq
          dob ?
          endDate ?
          familyName ?
          gender ?
          givenName ?
          middleName ?
          relationship ?
          ssns ? seq
            ssn * all
              ssnText ?
          startDate ?
      personInfo ? seq
        firstName ?
        middleName ?
        lastName ?
        prefix ?
        suffix ?
        ssnText ?
        gender ?
        dob ?
        ssaVerificationStatus ?
        ssaVerificationDate ?
        mothersMaidenName ?
        placeOfBirthCity ?
        placeOfBirthState ?
      consentInfo ? seq
        consentAuthCode ?
        consentImagingSite ?
        consentImageIndexNumber ?
        consentReportDate ?
        consentLastUpdateDate ?
    attachments ? seq
      document * seq
        name 1
        format 1
        type ?
        content 1
    applications 1 seq
      applicationInfo * seq
        benefitType ?
        appDate ?
        appMethod 1
  identity 1 seq
    veteranIdentifier ? seq
      type 1
      value 1
    authenticationLevel 1 seq
      type 1
      value ?
`

// retrieveFormSubmissionStatusRequestXSD describes the getFormSubmissionStatus input.
const retrieveFormSubmissionStatusRequestXSD = `
retrieveFormSubmissionStatusRequest 1 seq
  formSubmissionId 1
  identity 1 seq
    veteranIdentifier ? seq
      type 1
      value 1
    authenticationLevel 1 seq
      type 1
      value ?
`

type decl struct {
	name, ns string
	occurs   byte // '1', '?', '*'
	kind     string
	children []*decl
}

func parseDecl(t *testing.T, outline string) *decl {
	t.Helper()
	var stack []*decl
	var root *decl
	for _, line := range strings.Split(strings.Trim(outline, "\n"), "\n") {
		depth := (len(line) - len(strings.TrimLeft(line, " "))) / 2
		f := strings.Fields(line)
		d := &decl{name: f[0], occurs: f[1][0], ns: nsVOA}
		if len(f) > 2 {
			d.kind = f[2]
		}
		stack = stack[:depth]
		if depth == 0 {
			root = d
		} else {
			parent := stack[depth-1]
			if parent.name == "summary" || parent.ns == nsEE {
				d.ns = nsEE
			}
			parent.children = append(parent.children, d)
		}
		stack = append(stack, d)
	}
	return root
}

// conform checks n and its descendants element by element against d, and returns how
// many elements it checked.
func conform(t *testing.T, n *enrollmenttest.Element, d *decl, path string) int {
	t.Helper()
	if n.Name.Space != d.ns || n.Name.Local != d.name {
		t.Errorf("%s: element {%s}%s, want {%s}%s", path, n.Name.Space, n.Name.Local, d.ns, d.name)
		return 0
	}
	checked := 1
	if len(d.children) == 0 {
		if len(n.Children) > 0 {
			t.Errorf("%s: a simple value holds elements", path)
		}
		return checked
	}
	last, seen := -1, map[int]int{}
	for _, c := range n.Children {
		k := -1
		for i, dc := range d.children {
			if dc.name == c.Name.Local && dc.ns == c.Name.Space {
				k = i
			}
		}
		if k < 0 {
			t.Errorf("%s: element {%s}%s is not declared here", path, c.Name.Space, c.Name.Local)
			continue
		}
		seen[k]++
		if d.children[k].occurs != '*' && seen[k] > 1 {
			t.Errorf("%s: %s repeated", path, c.Name.Local)
		}
		if d.kind == "seq" && k < last {
			t.Errorf("%s: %s out of order (after %s)", path, c.Name.Local, d.children[last].name)
		}
		last = k
		checked += conform(t, c, d.children[k], path+"/"+c.Name.Local)
	}
	for i, dc := range d.children {
		if dc.occurs == '1' && seen[i] == 0 {
			t.Errorf("%s: required %s missing", path, dc.name)
		}
	}
	return checked
}

// envelopeBody checks the SOAP 1.1 framing every request must have and returns the one
// request element: an Envelope in the SOAP 1.1 namespace, no Header (the VOA contract
// defines none), one Body with one element, SOAPAction "" and text/xml.
func envelopeBody(t *testing.T, x enrollmenttest.Exchange) *enrollmenttest.Element {
	t.Helper()
	if got := x.Header.Get("SOAPAction"); got != `""` {
		t.Errorf(`SOAPAction = %q, want "" (voa.wsdl: soapAction="" for both operations)`, got)
	}
	if ct := x.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
		t.Errorf("Content-Type = %q, want text/xml (SOAP 1.1)", ct)
	}
	for _, banned := range []string{nsService, "urn:hcaops", "submissionKey"} {
		if bytes.Contains(x.Body, []byte(banned)) {
			t.Errorf("request contains %q", banned)
		}
	}
	env := enrollmenttest.ParseXML(t, x.Body)
	if env.Name != (xml.Name{Space: nsSOAP11, Local: "Envelope"}) || len(env.Children) != 1 {
		t.Fatalf("root = %v with %d children, want a SOAP 1.1 Envelope holding only a Body", env.Name, len(env.Children))
	}
	body := env.Children[0]
	if body.Name != (xml.Name{Space: nsSOAP11, Local: "Body"}) || len(body.Children) != 1 {
		t.Fatalf("%v with %d children, want a SOAP 1.1 Body with one request", body.Name, len(body.Children))
	}
	return body.Children[0]
}

func TestSubmitFormRequestConformsToTheXSD(t *testing.T) {
	xsd := parseDecl(t, submitFormRequestXSD)
	for _, name := range enrollmenttest.ValidForms {
		t.Run(name, func(t *testing.T) {
			fake, c, seen := enrollmenttest.RecordingES(t)
			app := enrollmenttest.Named(name, "0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c11")
			app.VeteranIdentifier = &enrollment.VeteranIdentifier{Type: enrollment.VeteranIdentifierICN, Value: "1012667145V762142"}
			if _, err := c.Submit(context.Background(), &app, time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
			req := envelopeBody(t, (*seen)[0])
			n := conform(t, req, xsd, "submitFormRequest")
			if n < 40 {
				t.Errorf("checked only %d elements", n)
			}
			// The fixed values of a va.gov 10-10EZ.
			form := req.Children[0]
			id := form.Children[0]
			if got := id.Children[0].Text + "/" + id.Children[1].Text; got != "100/1010EZ" {
				t.Errorf("formIdentifier type/value = %s, want 100/1010EZ", got)
			}
			if len(fake.Submissions()) != 1 {
				t.Errorf("the fake made %d records", len(fake.Submissions()))
			}
		})
	}
}

func TestStatusRequestsConformToTheXSD(t *testing.T) {
	xsd := parseDecl(t, retrieveFormSubmissionStatusRequestXSD)
	_, c, seen := enrollmenttest.RecordingES(t)
	if err := c.HealthCheck(context.Background(), 1); err != nil {
		t.Fatalf("HealthCheck: %v", err)
	}
	if _, err := c.Status(context.Background(), 1); err != nil {
		t.Fatalf("Status: %v", err)
	}
	for _, x := range *seen {
		req := envelopeBody(t, x)
		conform(t, req, xsd, "retrieveFormSubmissionStatusRequest")
		if got := req.Children[0].Text; got != "1" {
			t.Errorf("formSubmissionId = %q", got)
		}
		level := req.Children[1].Children[0]
		if level.Name.Local != "authenticationLevel" || level.Children[0].Text != "100" {
			t.Errorf("identity = %v, want an anonymous authenticationLevel (type 100)", level.Name)
		}
	}
}

// A request that fits the XSDs, written by hand.
const goodRequest = `<?xml version="1.0" encoding="UTF-8"?>` +
	`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
	`<va:submitFormRequest xmlns:va="http://va.gov/schema/esr/voa/v1" xmlns:ee="http://jaxws.webservices.esr.med.va.gov/schemas">` +
	`<va:form><va:formIdentifier><va:type>100</va:type><va:value>1010EZ</va:value></va:formIdentifier>` +
	`<va:summary><ee:demographics><ee:preferredFacility>528A6</ee:preferredFacility></ee:demographics>` +
	`<ee:personInfo><ee:firstName>JANE</ee:firstName><ee:lastName>DOE</ee:lastName><ee:ssnText>123456789</ee:ssnText>` +
	`<ee:gender>F</ee:gender><ee:dob>01/31/1970</ee:dob></ee:personInfo></va:summary>` +
	`<va:applications><va:applicationInfo><va:appDate>2026-03-02</va:appDate><va:appMethod>1</va:appMethod></va:applicationInfo></va:applications>` +
	`</va:form><va:identity><va:authenticationLevel><va:type>100</va:type><va:value>anonymous</va:value></va:authenticationLevel></va:identity>` +
	`</va:submitFormRequest></soap:Body></soap:Envelope>`

const goodStatusRequest = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
	`<retrieveFormSubmissionStatusRequest xmlns="http://va.gov/schema/esr/voa/v1"><formSubmissionId>1</formSubmissionId>` +
	`<identity><authenticationLevel><type>100</type></authenticationLevel></identity></retrieveFormSubmissionStatusRequest>` +
	`</soap:Body></soap:Envelope>`

func post(t *testing.T, h http.Handler, body, action, contentType string, withAction bool) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", "/voa/voaSvc", strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if withAction {
		req.Header.Set("SOAPAction", action)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// The fake answers a conforming request as ES does: submitFormResponse in the VOA schema
// namespace with status, formSubmissionId, message/type and timeStamp, in that order.
func TestFakeAnswersAConformingRequest(t *testing.T) {
	fake := esfake.New()
	for _, tt := range []struct {
		body, answer string
		status       string
	}{
		{goodRequest, "submitFormResponse", "100"},
		{goodStatusRequest, "retrieveFormSubmissionStatusResponse", "104"},
	} {
		rec := post(t, fake.Handler(), tt.body, `""`, "text/xml; charset=utf-8", true)
		if rec.Code != 200 {
			t.Fatalf("%s: HTTP %d %s", tt.answer, rec.Code, rec.Body)
		}
		env := enrollmenttest.ParseXML(t, rec.Body.Bytes())
		ans := env.Children[0].Children[0]
		if ans.Name != (xml.Name{Space: nsVOA, Local: tt.answer}) {
			t.Fatalf("answer element %v, want {%s}%s", ans.Name, nsVOA, tt.answer)
		}
		var names []string
		for _, c := range ans.Children {
			names = append(names, c.Name.Local)
			if c.Name.Space != nsVOA {
				t.Errorf("%s in %q", c.Name.Local, c.Name.Space)
			}
		}
		if strings.Join(names, ",") != "status,formSubmissionId,message,timeStamp" {
			t.Errorf("answer children %v", names)
		}
		if ans.Children[0].Text != tt.status || ans.Children[2].Children[0].Name.Local != "type" {
			t.Errorf("status %q, message %v", ans.Children[0].Text, ans.Children[2].Children[0].Name)
		}
		if _, err := time.Parse("2006-01-02T15:04:05.000-07:00", ans.Children[3].Text); err != nil {
			t.Errorf("timeStamp %q is not xs:dateTime as ES writes it", ans.Children[3].Text)
		}
	}
	if got := len(fake.Submissions()); got != 1 {
		t.Errorf("records = %d, want 1", got)
	}
}

// ES ignores a SOAP header it does not know (unless told it must understand it): a header
// cannot carry an idempotency key.
func TestFakeIgnoresAnUnknownHeader(t *testing.T) {
	fake := esfake.New()
	withHeader := strings.Replace(goodRequest, `<soap:Body>`,
		`<soap:Header><k:submissionKey xmlns:k="urn:hcaops">0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c11</k:submissionKey></soap:Header><soap:Body>`, 1)
	for range 2 {
		if rec := post(t, fake.Handler(), withHeader, `""`, "text/xml", true); rec.Code != 200 {
			t.Fatalf("HTTP %d %s", rec.Code, rec.Body)
		}
	}
	if got := len(fake.Submissions()); got != 2 {
		t.Errorf("the same key twice made %d records, want 2: ES does not deduplicate", got)
	}
}

// Documents that break the WSDL or the XSDs, each written by hand: the fake refuses every
// one with a fault and keeps no record.
func TestFakeRefusesNonConformingRequests(t *testing.T) {
	replace := func(old, new string) string {
		if !strings.Contains(goodRequest, old) {
			t.Fatalf("test bug: %q not in the good request", old)
		}
		return strings.Replace(goodRequest, old, new, 1)
	}
	identity := `<va:identity><va:authenticationLevel><va:type>100</va:type><va:value>anonymous</va:value></va:authenticationLevel></va:identity>`
	person := `<ee:personInfo><ee:firstName>JANE</ee:firstName><ee:lastName>DOE</ee:lastName><ee:ssnText>123456789</ee:ssnText><ee:gender>F</ee:gender><ee:dob>01/31/1970</ee:dob></ee:personInfo>`
	tests := []struct {
		name        string
		body        string
		action      string
		noAction    bool
		contentType string
		httpStatus  int
		faultcode   string // local part
	}{
		{name: "request in the WSDL's service namespace", body: replace(`xmlns:va="http://va.gov/schema/esr/voa/v1"`, `xmlns:va="http://va.gov/service/esr/voa/v1"`)},
		{name: "the old invented shape", body: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><submitFormRequest xmlns="http://va.gov/service/esr/voa/v1"><formSubmission><formIdentifier><type>100</type><value>1010EZ</value></formIdentifier></formSubmission></submitFormRequest></soap:Body></soap:Envelope>`},
		{name: "an invented status request", body: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><getFormSubmissionStatusRequest xmlns="http://va.gov/schema/esr/voa/v1"><formSubmissionId>1</formSubmissionId></getFormSubmissionStatusRequest></soap:Body></soap:Envelope>`},
		{name: "identity missing", body: replace(identity, ``)},
		{name: "identity before form", body: replace(`<va:form>`, identity+`<va:form>`)},
		{name: "unknown element in form", body: replace(`</va:formIdentifier>`, `</va:formIdentifier><va:formSubmission/>`)},
		{name: "summary before formIdentifier", body: replace(`<va:formIdentifier><va:type>100</va:type><va:value>1010EZ</va:value></va:formIdentifier><va:summary>`, `<va:summary>`) + ``},
		{name: "eeSummary element in the VOA namespace", body: replace(`<ee:demographics><ee:preferredFacility>528A6</ee:preferredFacility></ee:demographics>`, `<va:demographics><va:preferredFacility>528A6</va:preferredFacility></va:demographics>`)},
		{name: "personInfo out of order (ssnText last)", body: replace(person, `<ee:personInfo><ee:firstName>JANE</ee:firstName><ee:lastName>DOE</ee:lastName><ee:gender>F</ee:gender><ee:dob>01/31/1970</ee:dob><ee:ssnText>123456789</ee:ssnText></ee:personInfo>`)},
		{name: "unknown eeSummary element", body: replace(`<va:summary>`, `<va:summary><ee:veteranEmail>x@example.com</ee:veteranEmail>`)},
		{name: "unknown element in an xs:all type", body: replace(`<ee:preferredFacility>528A6</ee:preferredFacility>`, `<ee:preferredFacility>528A6</ee:preferredFacility><ee:facility>528A6</ee:facility>`)},
		{name: "element repeated in an xs:all type", body: replace(`<va:summary>`, `<va:summary><ee:demographics/>`)},
		{name: "formIdentifier type outside its enumeration", body: replace(`<va:type>100</va:type><va:value>1010EZ</va:value>`, `<va:type>99</va:type><va:value>1010EZ</va:value>`)},
		{name: "authenticationLevel type outside its enumeration", body: replace(`<va:type>100</va:type><va:value>anonymous</va:value>`, `<va:type>105</va:type><va:value>anonymous</va:value>`)},
		{name: "appDate not an xs:date", body: replace(`<va:appDate>2026-03-02</va:appDate>`, `<va:appDate>03/02/2026</va:appDate>`)},
		{name: "appMethod missing", body: replace(`<va:appMethod>1</va:appMethod>`, ``)},
		{name: "applications missing", body: replace(`<va:applications><va:applicationInfo><va:appDate>2026-03-02</va:appDate><va:appMethod>1</va:appMethod></va:applicationInfo></va:applications>`, ``)},
		{name: "text in an element-only type", body: replace(`<va:form>`, `<va:form>hello`)},
		{name: "a boolean that is not xs:boolean", body: replace(`<ee:preferredFacility>`, `<ee:acaIndicator>yes</ee:acaIndicator><ee:preferredFacility>`)},
		{name: "formSubmissionId not an integer", body: strings.Replace(goodStatusRequest, `<formSubmissionId>1</formSubmissionId>`, `<formSubmissionId>one</formSubmissionId>`, 1)},
		{name: "status request without identity", body: strings.Replace(goodStatusRequest, `<identity><authenticationLevel><type>100</type></authenticationLevel></identity>`, ``, 1)},
		{name: "two requests in the Body", body: replace(`</va:submitFormRequest>`, `</va:submitFormRequest><va:submitFormRequest/>`)},
		{name: "a SOAP 1.2 envelope", body: strings.ReplaceAll(goodRequest, nsSOAP11, "http://www.w3.org/2003/05/soap-envelope"), contentType: "text/xml"},
		{name: "not XML", body: `<html><body>hello</body>`},
		{name: "SOAPAction naming the operation", body: goodRequest, action: `"saveSubmitForm"`},
		{name: "no SOAPAction", body: goodRequest, noAction: true},
		{name: "a header ES must understand", body: replace(`<soap:Body>`, `<soap:Header><k:submissionKey xmlns:k="urn:hcaops" soap:mustUnderstand="1">k</k:submissionKey></soap:Header><soap:Body>`), faultcode: "MustUnderstand"},
		{name: "SOAP 1.2 content type", body: goodRequest, contentType: "application/soap+xml", httpStatus: 415},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := esfake.New()
			ct, action := tt.contentType, tt.action
			if ct == "" {
				ct = "text/xml; charset=utf-8"
			}
			if action == "" {
				action = `""`
			}
			rec := post(t, fake.Handler(), tt.body, action, ct, !tt.noAction)
			want, code := tt.httpStatus, tt.faultcode
			if want == 0 {
				want = 500
			}
			if code == "" {
				code = "Client"
			}
			if rec.Code != want {
				t.Errorf("HTTP %d, want %d: %s", rec.Code, want, rec.Body)
			}
			if want == 500 {
				env := enrollmenttest.ParseXML(t, rec.Body.Bytes())
				f := env.Children[0].Children[0]
				if f.Name != (xml.Name{Space: nsSOAP11, Local: "Fault"}) || f.Children[0].Name.Local != "faultcode" {
					t.Fatalf("answer is not a SOAP fault: %s", rec.Body)
				}
				if got := f.Children[0].Text; got[strings.Index(got, ":")+1:] != code {
					t.Errorf("faultcode %q, want %s: %s", got, code, rec.Body)
				}
			}
			if n := len(fake.Submissions()); n != 0 {
				t.Errorf("a refused request made %d records", n)
			}
		})
	}
}
