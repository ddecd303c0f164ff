package enrollment

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
)

// XML namespaces on the wire.
const (
	soapEnvNS    = "http://schemas.xmlsoap.org/soap/envelope/"
	voaServiceNS = "http://va.gov/service/esr/voa/v1" // operations and form sections
	voaSchemaNS  = "http://va.gov/schema/esr/voa/v1"  // VoaFault detail
	hcaopsNS     = "urn:hcaops"                       // our submissionKey header
)

// SOAP operations (also the SOAPAction header values).
const (
	opSaveSubmitForm          = "saveSubmitForm"
	opGetFormSubmissionStatus = "getFormSubmissionStatus"
	opFetchDailyReport        = "fetchDailyReport"
)

// Response element names: saveSubmitForm answers submitFormResponse,
// getFormSubmissionStatus answers retrieveFormSubmissionStatusResponse (as in vets-api's
// health check); both carry the formResult children.
const (
	elemSubmitFormResponse = "submitFormResponse"
	elemStatusResponse     = "retrieveFormSubmissionStatusResponse"
)

// formIdentifierValue1010EZ pairs with FormType1010EZ in formIdentifier.
const formIdentifierValue1010EZ = "1010EZ"

type submitFormRequest struct {
	XMLName        xml.Name       `xml:"http://va.gov/service/esr/voa/v1 submitFormRequest"`
	FormSubmission formSubmission `xml:"formSubmission"`
}

// formSubmission is the Application as ES reads it. ApplicationID is not in it: it
// travels in the submissionKey header.
type formSubmission struct {
	FormIdentifier              formIdentifier              `xml:"formIdentifier"`
	ApplicationMethod           int                         `xml:"applicationMethod"`
	VeteranIdentifier           *VeteranIdentifier          `xml:"veteranIdentifier,omitempty"`
	PersonInfo                  PersonInfo                  `xml:"personInfo"`
	Demographics                Demographics                `xml:"demographics"`
	MilitaryServiceInfo         MilitaryServiceInfo         `xml:"militaryServiceInfo"`
	EnrollmentDeterminationInfo EnrollmentDeterminationInfo `xml:"enrollmentDeterminationInfo"`
	FinancialsInfo              *FinancialsInfo             `xml:"financialsInfo,omitempty"`
	InsuranceList               []Insurance                 `xml:"insuranceList>insurance,omitempty"`
	Associations                []Association               `xml:"associations>association,omitempty"`
}

type formIdentifier struct {
	Type  int    `xml:"type"`
	Value string `xml:"value"`
}

func newFormSubmission(a *Application) formSubmission {
	return formSubmission{
		FormIdentifier:              formIdentifier{Type: a.FormType, Value: formIdentifierValue1010EZ},
		ApplicationMethod:           a.ApplicationMethod,
		VeteranIdentifier:           a.VeteranIdentifier,
		PersonInfo:                  a.PersonInfo,
		Demographics:                a.Demographics,
		MilitaryServiceInfo:         a.MilitaryServiceInfo,
		EnrollmentDeterminationInfo: a.EnrollmentDeterminationInfo,
		FinancialsInfo:              a.FinancialsInfo,
		InsuranceList:               a.InsuranceList,
		Associations:                a.Associations,
	}
}

type getFormSubmissionStatusRequest struct {
	XMLName          xml.Name `xml:"http://va.gov/service/esr/voa/v1 getFormSubmissionStatusRequest"`
	FormSubmissionID int64    `xml:"formSubmissionId"`
}

// formResult is the body of both answers; XMLName is set by the writer to
// submitFormResponse or retrieveFormSubmissionStatusResponse.
type formResult struct {
	XMLName          xml.Name
	Status           int            `xml:"status"`
	FormSubmissionID int64          `xml:"formSubmissionId"`
	Message          *resultMessage `xml:"message,omitempty"`
	TimeStamp        string         `xml:"timeStamp"`
}

type resultMessage struct {
	Type string `xml:"type"`
	Code string `xml:"code,omitempty"`
	Text string `xml:"text"`
}

// requestEnvelope is what the fake reads.
type requestEnvelope struct {
	XMLName xml.Name `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
	Header  struct {
		SubmissionKey string `xml:"urn:hcaops submissionKey"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Header"`
	Body struct {
		SubmitForm *submitFormRequest              `xml:"http://va.gov/service/esr/voa/v1 submitFormRequest"`
		Status     *getFormSubmissionStatusRequest `xml:"http://va.gov/service/esr/voa/v1 getFormSubmissionStatusRequest"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

// responseEnvelope is what the client reads. Answer elements match in any namespace
// because ES's own responses are not consistent about qualifying them.
type responseEnvelope struct {
	XMLName xml.Name `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
	Body    struct {
		Fault  *soapFault  `xml:"http://schemas.xmlsoap.org/soap/envelope/ Fault"`
		Submit *formResult `xml:"submitFormResponse"`
		Status *formResult `xml:"retrieveFormSubmissionStatusResponse"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

func (e *responseEnvelope) result() *formResult {
	if e.Body.Submit != nil {
		return e.Body.Submit
	}
	return e.Body.Status
}

// soapFault is a SOAP 1.1 fault; its children are unqualified.
type soapFault struct {
	Code   string      `xml:"faultcode"`
	String string      `xml:"faultstring"`
	Detail faultDetail `xml:"detail"`
}

// isClientFault reports a faultcode of Client (or Client.something) in any prefix.
func (f *soapFault) isClientFault() bool {
	local := f.Code[strings.LastIndex(f.Code, ":")+1:]
	return local == "Client" || strings.HasPrefix(local, "Client.")
}

// faultDetail collects every <code> and <message> under <detail>, at any depth. ES's
// VoaFault has been seen both as VoaFault/FaultExceptions/code and as
// VoaFaultException/faultExceptions/faultException/code, so the path is not relied on.
type faultDetail struct {
	Codes    []string
	Messages []string
}

func (d *faultDetail) UnmarshalXML(dec *xml.Decoder, start xml.StartElement) error {
	var (
		text  strings.Builder
		inner string // local name of the innermost open element
	)
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			inner = t.Name.Local
			text.Reset()
		case xml.CharData:
			if inner == "code" || inner == "message" {
				text.Write(t)
			}
		case xml.EndElement:
			if t.Name == start.Name {
				return nil
			}
			switch t.Name.Local {
			case "code":
				d.Codes = append(d.Codes, strings.TrimSpace(text.String()))
			case "message":
				d.Messages = append(d.Messages, strings.TrimSpace(text.String()))
			}
			inner = ""
			text.Reset()
		}
	}
}

// faultException is one {code, message} pair of a VoaFault, as the fake writes it.
type faultException struct {
	Code    string `xml:"code"`
	Message string `xml:"message"`
}

type voaFault struct {
	XMLName    xml.Name         `xml:"http://va.gov/schema/esr/voa/v1 VoaFault"`
	Exceptions []faultException `xml:"FaultExceptions"`
}

// writeEnvelope writes a SOAP 1.1 envelope around body. encoding/xml cannot choose
// namespace prefixes, so the envelope is written by hand with the conventional
// soap: prefix and the body is encoded with a default namespace.
func writeEnvelope(w io.Writer, submissionKey string, body any) error {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<soap:Envelope xmlns:soap="` + soapEnvNS + `">`)
	if submissionKey != "" {
		b.WriteString(`<soap:Header><hcaops:submissionKey xmlns:hcaops="` + hcaopsNS + `">`)
		if err := xml.EscapeText(&b, []byte(submissionKey)); err != nil {
			return err
		}
		b.WriteString(`</hcaops:submissionKey></soap:Header>`)
	}
	b.WriteString(`<soap:Body>`)
	if err := xml.NewEncoder(&b).Encode(body); err != nil {
		return err
	}
	b.WriteString(`</soap:Body></soap:Envelope>`)
	_, err := w.Write(b.Bytes())
	return err
}

// writeFault writes a SOAP 1.1 fault envelope, with a VoaFault detail when there are
// exceptions.
func writeFault(w io.Writer, code, text string, exceptions []faultException) error {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<soap:Envelope xmlns:soap="` + soapEnvNS + `"><soap:Body><soap:Fault><faultcode>`)
	if err := xml.EscapeText(&b, []byte(code)); err != nil {
		return err
	}
	b.WriteString(`</faultcode><faultstring>`)
	if err := xml.EscapeText(&b, []byte(text)); err != nil {
		return err
	}
	b.WriteString(`</faultstring>`)
	if len(exceptions) > 0 {
		b.WriteString(`<detail>`)
		if err := xml.NewEncoder(&b).Encode(voaFault{Exceptions: exceptions}); err != nil {
			return err
		}
		b.WriteString(`</detail>`)
	}
	b.WriteString(`</soap:Fault></soap:Body></soap:Envelope>`)
	_, err := w.Write(b.Bytes())
	return err
}
