package enrollment

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// Answers as ES writes them (vets-api's recorded answers and fault fixture), and the
// shapes a proxy or a broken answer takes. Expectations are written by hand.
func TestDecodeAnswer(t *testing.T) {
	const envOpen = `<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>`
	const envClose = `</S:Body></S:Envelope>`
	const voa = `xmlns:ns2="http://jaxws.webservices.esr.med.va.gov/schemas" xmlns="http://va.gov/schema/esr/voa/v1"`
	type want struct {
		res     SubmitResult
		final   bool
		retry   bool
		unknown bool
		codes   []string
		msg     string
	}
	tests := []struct {
		name   string
		op     string
		status int
		body   string
		want   want
	}{
		{"ES submit answer", opSaveSubmitForm, 200, envOpen + `<submitFormResponse ` + voa + `><status>100</status><formSubmissionId>40124668140</formSubmissionId><message><type>Form successfully received for EE processing</type></message><timeStamp>2016-05-25T04:59:39.345-05:00</timeStamp></submitFormResponse>` + envClose,
			want{res: SubmitResult{Status: 100, FormSubmissionID: 40124668140, MessageType: "Form successfully received for EE processing",
				Timestamp: time.Date(2016, 5, 25, 9, 59, 39, 345e6, time.UTC)}}},
		{"ES status answer with a detail", opGetFormSubmissionStatus, 200, envOpen + `<retrieveFormSubmissionStatusResponse ` + voa + `><status>104</status><formSubmissionId>377609264</formSubmissionId><message><type>Form successfully received for EE processing</type><detail>done</detail></message><timeStamp>2026-03-02T10:00:00.000-05:00</timeStamp></retrieveFormSubmissionStatusResponse>` + envClose,
			want{res: SubmitResult{Status: 104, FormSubmissionID: 377609264, MessageType: "Form successfully received for EE processing", MessageDetail: "done",
				Timestamp: time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)}}},
		{"prefixed answer elements", opSaveSubmitForm, 200, envOpen + `<v:submitFormResponse xmlns:v="http://va.gov/schema/esr/voa/v1"><v:status>102</v:status><v:formSubmissionId>7</v:formSubmissionId><v:message><v:type>Form successfully received for EE processing</v:type></v:message><v:timeStamp>2026-03-02T10:00:00-05:00</v:timeStamp></v:submitFormResponse>` + envClose,
			want{res: SubmitResult{Status: 102, FormSubmissionID: 7, MessageType: "Form successfully received for EE processing", Timestamp: time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)}}},
		{"an answer without message and timeStamp still names the record", opSaveSubmitForm, 200, envOpen + `<submitFormResponse ` + voa + `><status>100</status><formSubmissionId>9</formSubmissionId></submitFormResponse>` + envClose,
			want{res: SubmitResult{Status: 100, FormSubmissionID: 9}}},
		{"vets-api's validation fault fixture", opSaveSubmitForm, 500, envOpen + `<ns0:Fault xmlns:ns0="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.w3.org/2003/05/soap-envelope"><faultcode>ns0:Server</faultcode><faultstring>formSubmissionException</faultstring><detail><VoaFaultException xmlns="http://va.gov/schema/esr/voa/v1" xmlns:ns0="http://jaxws.webservices.esr.med.va.gov/schemas"><faultExceptions><faultException><code>VOA_0128</code><message>Missing Required Field: Spouse street address.</message></faultException></faultExceptions></VoaFaultException></detail></ns0:Fault>` + envClose,
			want{final: true, codes: []string{"VOA_0128"}, msg: "ES rejected the form: formSubmissionException: Missing Required Field: Spouse street address."}},
		{"VOA_0240", opSaveSubmitForm, 500, envOpen + `<S:Fault><faultcode>S:Server</faultcode><faultstring>formSubmissionException</faultstring><detail><VoaFaultException xmlns="http://va.gov/schema/esr/voa/v1"><faultExceptions><faultException><code>VOA_0240</code><message>try later</message></faultException></faultExceptions></VoaFaultException></detail></S:Fault>` + envClose,
			want{retry: true, codes: []string{"VOA_0240"}, msg: "try later"}},
		{"VOA_0240 among other codes is retried", opSaveSubmitForm, 500, envOpen + `<S:Fault><faultcode>S:Server</faultcode><faultstring>formSubmissionException</faultstring><detail><VoaFaultException xmlns="http://va.gov/schema/esr/voa/v1"><faultExceptions><faultException><code>VOA_0010</code><message>Invalid SSN</message></faultException><faultException><code>VOA_0240</code><message>busy</message></faultException></faultExceptions></VoaFaultException></detail></S:Fault>` + envClose,
			want{retry: true, codes: []string{"VOA_0010", "VOA_0240"}, msg: "Invalid SSN; busy"}},
		{"several validation codes", opSaveSubmitForm, 500, envOpen + `<S:Fault><faultcode>S:Server</faultcode><faultstring>formSubmissionException</faultstring><detail><VoaFaultException xmlns="http://va.gov/schema/esr/voa/v1"><faultExceptions><faultException><code>VOA_0010</code><message>Invalid SSN</message></faultException><faultException><code>VOA_0020</code><message>Invalid date of birth</message></faultException></faultExceptions></VoaFaultException></detail></S:Fault>` + envClose,
			want{final: true, codes: []string{"VOA_0010", "VOA_0020"}, msg: "Invalid SSN; Invalid date of birth"}},
		{"soap:Client fault is retried", opSaveSubmitForm, 500, envOpen + `<S:Fault><faultcode>S:Client</faultcode><faultstring>Unmarshalling Error</faultstring></S:Fault>` + envClose,
			want{retry: true, msg: "ES fault (S:Client): Unmarshalling Error"}},
		{"another fault string is retried", opSaveSubmitForm, 500, envOpen + `<S:Fault><faultcode>S:Server</faultcode><faultstring>java.lang.NullPointerException</faultstring></S:Fault>` + envClose,
			want{retry: true, msg: "NullPointerException"}},
		{"502 HTML page", opSaveSubmitForm, 502, `<html><body>Bad Gateway</body></html>`, want{retry: true, unknown: true, msg: "Bad Gateway"}},
		{"504 without a body", opSaveSubmitForm, 504, ``, want{retry: true, unknown: true, msg: "Gateway Timeout"}},
		{"500 HTML page", opSaveSubmitForm, 500, `<html>oops</html>`, want{retry: true, unknown: true, msg: "Internal Server Error"}},
		{"503", opSaveSubmitForm, 503, `busy`, want{retry: true, msg: "ES unavailable"}},
		{"429", opSaveSubmitForm, 429, ``, want{retry: true, msg: "Too Many Requests"}},
		{"404 from a load balancer", opSaveSubmitForm, 404, `<html>not found</html>`, want{retry: true, msg: "Not Found"}},
		{"403 from a proxy", opSaveSubmitForm, 403, ``, want{retry: true, msg: "Forbidden"}},
		{"an HTML page with 200", opSaveSubmitForm, 200, `<html><body>maintenance</body></html>`, want{retry: true, unknown: true, msg: "not a SOAP envelope"}},
		{"unknown status", opSaveSubmitForm, 200, envOpen + `<submitFormResponse ` + voa + `><status>107</status><formSubmissionId>5</formSubmissionId></submitFormResponse>` + envClose,
			want{retry: true, unknown: true, msg: "status is not one of 100-104"}},
		{"answer in the WSDL's service namespace", opSaveSubmitForm, 200, envOpen + `<submitFormResponse xmlns="http://va.gov/service/esr/voa/v1"><status>100</status><formSubmissionId>5</formSubmissionId></submitFormResponse>` + envClose,
			want{retry: true, unknown: true, msg: "no submitFormResponse in http://va.gov/schema/esr/voa/v1"}},
		{"the other operation's answer", opSaveSubmitForm, 200, envOpen + `<retrieveFormSubmissionStatusResponse ` + voa + `><status>100</status><formSubmissionId>5</formSubmissionId></retrieveFormSubmissionStatusResponse>` + envClose,
			want{retry: true, unknown: true, msg: "no submitFormResponse"}},
		{"no id", opSaveSubmitForm, 200, envOpen + `<submitFormResponse ` + voa + `><status>100</status></submitFormResponse>` + envClose,
			want{retry: true, unknown: true, msg: "formSubmissionId missing"}},
		{"SOAP 1.2 envelope", opSaveSubmitForm, 200, `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body/></env:Envelope>`,
			want{retry: true, unknown: true, msg: "not a SOAP envelope"}},
		{"truncated", opSaveSubmitForm, 200, envOpen + `<submitFormResponse ` + voa + `><status>10`, want{retry: true, unknown: true, msg: "unreadable answer from ES"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeAnswer(tt.op, tt.status, []byte(tt.body))
			w := tt.want
			if !w.final && !w.retry {
				if err != nil {
					t.Fatalf("decodeAnswer: %v", err)
				}
				if got.Status != w.res.Status || got.FormSubmissionID != w.res.FormSubmissionID || got.MessageType != w.res.MessageType ||
					got.MessageDetail != w.res.MessageDetail || !got.Timestamp.Equal(w.res.Timestamp) {
					t.Errorf("decodeAnswer = %+v, want %+v", got, w.res)
				}
				return
			}
			e, ok := errors.AsType[*Error](err)
			if !ok {
				t.Fatalf("decodeAnswer error = %v, want *Error", err)
			}
			if (e.Kind == Final) != w.final || (e.Kind == Retryable) != w.retry || e.OutcomeUnknown != w.unknown ||
				!slices.Equal(e.Codes, w.codes) || e.HTTPStatus != tt.status {
				t.Errorf("error = %+v, want final=%v retry=%v unknown=%v codes %v", e, w.final, w.retry, w.unknown, w.codes)
			}
			if !strings.Contains(err.Error(), w.msg) {
				t.Errorf("error %q does not contain %q", err, w.msg)
			}
		})
	}
}
