// Package enrollment is the Enrollment System (ES) side of hcaops: the va.gov 10-10EZ form
// (Application, Form) and its validation, its mapping to ES's eeSummary, a SOAP client for
// the VOA service as its WSDL defines it (saveSubmitForm, getFormSubmissionStatus), and a
// client and streaming parser for ES's daily report. The fake ES is in esfake.
//
// The contract is vets-api's config/health_care_application/wsdl: voa.wsdl,
// voa-voaSvc-xsd-2.xml (requests, answers, faults) and voa-voaSvc-xsd-1.xml (eeSummary).
// It has no idempotency key: ES makes a record for every saveSubmitForm it receives, so the
// caller must never send a form again once ES has answered, and must record every attempt
// whose outcome is unknown (Error.OutcomeUnknown).
//
// The daily report has no public format; this package defines one (ReportHeader).
//
// Nothing here prints or logs form values: Application and its parts redact themselves in
// fmt and slog, and errors name field paths and ES fault codes only.
package enrollment
