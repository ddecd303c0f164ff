package esfake

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	"github.com/hcaops/hcaops/enrollment"
)

// The fake's documents follow ES's own (JAX-WS RI): the envelope with the S: prefix, the
// answer element in the VOA schema namespace as the default namespace, and faults with a
// VoaFaultException detail, e.g.
//
//	<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>
//	<submitFormResponse xmlns:ns2="http://jaxws.webservices.esr.med.va.gov/schemas" xmlns="http://va.gov/schema/esr/voa/v1">
//	<status>100</status><formSubmissionId>40124668140</formSubmissionId>
//	<message><type>Form successfully received for EE processing</type></message>
//	<timeStamp>2016-05-25T04:59:39.345-05:00</timeStamp></submitFormResponse></S:Body></S:Envelope>

// esTimestampLayout is how ES writes timeStamp, e.g. 2016-08-24T14:49:22.066-05:00.
const esTimestampLayout = "2006-01-02T15:04:05.000-07:00"

// The message types the XSD allows in an answer.
const (
	messageReceived       = "Form successfully received for EE processing"
	messageMissingElement = "Form missing required elements"
)

const envelopeStart = `<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="` + soapEnvNS + `"><S:Body>`
const envelopeEnd = `</S:Body></S:Envelope>`

// result is submitFormResponse or retrieveFormSubmissionStatusResponse.
func (f *Fake) result(elem string, status int, id int64) answer {
	msg := messageReceived
	if status == enrollment.StatusSubmissionFailed {
		msg = messageMissingElement
	}
	var b strings.Builder
	b.WriteString(envelopeStart)
	b.WriteString(`<` + elem + ` xmlns:ns2="` + eeNS + `" xmlns="` + voaNS + `">`)
	b.WriteString(`<status>` + strconv.Itoa(status) + `</status>`)
	b.WriteString(`<formSubmissionId>` + strconv.FormatInt(id, 10) + `</formSubmissionId>`)
	b.WriteString(`<message><type>` + msg + `</type></message>`)
	b.WriteString(`<timeStamp>` + f.now().Format(esTimestampLayout) + `</timeStamp>`)
	b.WriteString(`</` + elem + `>` + envelopeEnd)
	return answer{status: http.StatusOK, body: b.String()}
}

type faultException struct{ code, message string }

// fault is a SOAP 1.1 fault (HTTP 500, as SOAP 1.1 over HTTP requires), with a
// VoaFaultException detail when there are exceptions.
func fault(code, text string, exceptions []faultException) answer {
	var b strings.Builder
	b.WriteString(envelopeStart)
	b.WriteString(`<S:Fault><faultcode>` + code + `</faultcode><faultstring>` + escape(text) + `</faultstring>`)
	if len(exceptions) > 0 {
		b.WriteString(`<detail><VoaFaultException xmlns="` + voaNS + `" xmlns:ns0="` + eeNS + `"><faultExceptions>`)
		for _, e := range exceptions {
			b.WriteString(`<faultException><code>` + escape(e.code) + `</code><message>` + escape(e.message) + `</message></faultException>`)
		}
		b.WriteString(`</faultExceptions></VoaFaultException></detail>`)
	}
	b.WriteString(`</S:Fault>` + envelopeEnd)
	return answer{status: http.StatusInternalServerError, body: b.String()}
}

// clientFault is ES refusing a request it cannot read.
func clientFault(text string) answer { return fault("S:Client", text, nil) }

// validationFault is ES refusing the form: faultstring formSubmissionException.
func validationFault(code, message string) answer {
	return fault("S:Server", enrollment.FaultFormSubmission, []faultException{{code, message}})
}

// proxyPage is an HTML error page from a load balancer in front of ES.
func proxyPage(status int) answer {
	text := strconv.Itoa(status) + " " + http.StatusText(status)
	return answer{status: status, html: true,
		body: "<html><head><title>" + text + "</title></head><body><center><h1>" + text + "</h1></center><hr><center>load balancer</center></body></html>"}
}

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
