package enrollment

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
)

// The VOA service as its WSDL publishes it (vets-api config/health_care_application/wsdl/
// voa.wsdl and voa-voaSvc-xsd-2.xml): SOAP 1.1, document/literal, soapAction "" for both
// operations, which ES tells apart by the body element. Every element on the wire is in
// the schema namespace; the WSDL's own namespace (http://va.gov/service/esr/voa/v1) names
// only the service and never appears in a message.
const (
	soapEnvNS = "http://schemas.xmlsoap.org/soap/envelope/"
	voaNS     = "http://va.gov/schema/esr/voa/v1"

	// soapAction is the SOAPAction header of both operations (the WSDL's soapAction="").
	soapAction = `""`
)

// Operation names, for errors and logs.
const (
	opSaveSubmitForm          = "saveSubmitForm"
	opGetFormSubmissionStatus = "getFormSubmissionStatus"
	opFetchDailyReport        = "fetchDailyReport"
)

// submitFormRequest is the saveSubmitForm input: form, then identity.
type submitFormRequest struct {
	XMLName  xml.Name    `xml:"http://va.gov/schema/esr/voa/v1 submitFormRequest"`
	Form     voaForm     `xml:"form"`
	Identity voaIdentity `xml:"identity"`
}

// voaForm: formIdentifier, summary, (attachments, which hcaops never sends), applications.
type voaForm struct {
	FormIdentifier voaFormIdentifier `xml:"formIdentifier"`
	Summary        *eeSummary        `xml:"summary"`
	Applications   voaApplications   `xml:"applications"`
}

type voaFormIdentifier struct {
	Type    string `xml:"type"`
	Value   string `xml:"value"`
	Version string `xml:"version"`
}

type voaApplications struct {
	ApplicationInfo []voaApplicationInfo `xml:"applicationInfo"`
}

// voaApplicationInfo: benefitType (not sent, as vets-api), appDate, appMethod.
type voaApplicationInfo struct {
	AppDate   string `xml:"appDate"`
	AppMethod string `xml:"appMethod"`
}

// voaIdentity: an optional veteranIdentifier, then the required authenticationLevel.
type voaIdentity struct {
	VeteranIdentifier   *voaVeteranIdentifier  `xml:"veteranIdentifier,omitempty"`
	AuthenticationLevel voaAuthenticationLevel `xml:"authenticationLevel"`
}

type voaVeteranIdentifier struct {
	Type  string `xml:"type"`
	Value string `xml:"value"`
}

type voaAuthenticationLevel struct {
	Type  string `xml:"type"`
	Value string `xml:"value"`
}

// retrieveFormSubmissionStatusRequest is the getFormSubmissionStatus input.
type retrieveFormSubmissionStatusRequest struct {
	XMLName          xml.Name    `xml:"http://va.gov/schema/esr/voa/v1 retrieveFormSubmissionStatusRequest"`
	FormSubmissionID int64       `xml:"formSubmissionId"`
	Identity         voaIdentity `xml:"identity"`
}

// anonymous is the identity of a request made on no one's behalf (status checks).
var anonymous = voaIdentity{AuthenticationLevel: voaAuthenticationLevel{Type: authLevelAnonymous, Value: authLevelAnonymousValue}}

// identityOf is the identity of an application: anonymous, or a signed-in Veteran at
// assurance level 2 with the ICN or EDIPI (as vets-api sends it).
func identityOf(a *Application) voaIdentity {
	id := a.VeteranIdentifier
	if id == nil || id.Value == "" {
		return anonymous
	}
	return voaIdentity{
		VeteranIdentifier:   &voaVeteranIdentifier{Type: strconv.Itoa(id.Type), Value: id.Value},
		AuthenticationLevel: voaAuthenticationLevel{Type: authLevelTwo, Value: authLevelTwoValue},
	}
}

// newSubmitFormRequest is the whole saveSubmitForm input for an application; appDate is the
// date vets.gov received it, in Central time (YYYY-MM-DD), as vets-api writes it.
func newSubmitFormRequest(a *Application, appDate string) submitFormRequest {
	return submitFormRequest{
		Form: voaForm{
			FormIdentifier: voaFormIdentifier{Type: strconv.Itoa(FormType1010EZ), Value: formIdentifierValue1010EZ, Version: formIdentifierVersion},
			Summary:        newSummary(&a.Form, appDate),
			Applications: voaApplications{ApplicationInfo: []voaApplicationInfo{{
				AppDate: appDate, AppMethod: strconv.Itoa(ApplicationMethodOnline),
			}}},
		},
		Identity: identityOf(a),
	}
}

// formResult is the body of both answers, submitFormResponse and
// retrieveFormSubmissionStatusResponse: status, formSubmissionId, message, timeStamp.
type formResult struct {
	Status           string      `xml:"http://va.gov/schema/esr/voa/v1 status"`
	FormSubmissionID string      `xml:"http://va.gov/schema/esr/voa/v1 formSubmissionId"`
	Message          *voaMessage `xml:"http://va.gov/schema/esr/voa/v1 message"`
	TimeStamp        string      `xml:"http://va.gov/schema/esr/voa/v1 timeStamp"`
}

type voaMessage struct {
	Type   string `xml:"http://va.gov/schema/esr/voa/v1 type"`
	Detail string `xml:"http://va.gov/schema/esr/voa/v1 detail"`
}

// responseEnvelope is what the client reads: an answer or a SOAP 1.1 fault.
type responseEnvelope struct {
	XMLName xml.Name `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
	Body    struct {
		Fault  *soapFault  `xml:"http://schemas.xmlsoap.org/soap/envelope/ Fault"`
		Submit *formResult `xml:"http://va.gov/schema/esr/voa/v1 submitFormResponse"`
		Status *formResult `xml:"http://va.gov/schema/esr/voa/v1 retrieveFormSubmissionStatusResponse"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

// soapFault is a SOAP 1.1 fault; faultcode, faultstring and detail are unqualified. ES puts
// a VoaFaultException in the detail.
type soapFault struct {
	Code   string `xml:"faultcode"`
	String string `xml:"faultstring"`
	Detail struct {
		VoaFault *voaFaultException `xml:"http://va.gov/schema/esr/voa/v1 VoaFaultException"`
	} `xml:"detail"`
}

type voaFaultException struct {
	Exceptions []struct {
		Code    string `xml:"http://va.gov/schema/esr/voa/v1 code"`
		Message string `xml:"http://va.gov/schema/esr/voa/v1 message"`
	} `xml:"http://va.gov/schema/esr/voa/v1 faultExceptions>faultException"`
}

// codes and messages of the fault's VoaFaultException, if any.
func (f *soapFault) codes() (codes, messages []string) {
	if f.Detail.VoaFault == nil {
		return nil, nil
	}
	for _, e := range f.Detail.VoaFault.Exceptions {
		codes = append(codes, strings.TrimSpace(e.Code))
		if m := strings.TrimSpace(e.Message); m != "" {
			messages = append(messages, m)
		}
	}
	return codes, messages
}

// writeEnvelope wraps body in a SOAP 1.1 envelope. encoding/xml cannot choose prefixes, so
// the envelope is written by hand with the conventional soap: prefix and the body is
// encoded with default namespaces. No SOAP header: the VOA contract defines none.
func writeEnvelope(b *bytes.Buffer, body any) error {
	b.WriteString(xml.Header)
	b.WriteString(`<soap:Envelope xmlns:soap="` + soapEnvNS + `"><soap:Body>`)
	if err := xml.NewEncoder(b).Encode(body); err != nil {
		return err
	}
	b.WriteString(`</soap:Body></soap:Envelope>`)
	return nil
}
