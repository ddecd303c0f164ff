// Package enrollment is the Enrollment System (ES) side of hcaops: the 10-10EZ form
// (Application), a SOAP client for the VOA service (saveSubmitForm,
// getFormSubmissionStatus), a client and streaming parser for ES's daily report, and a
// fake ES that serves both with injectable faults.
//
// Contracts this package defines, because ES publishes none:
//
//   - Idempotency: every saveSubmitForm carries the ApplicationID in the SOAP header
//     <hcaops:submissionKey xmlns:hcaops="urn:hcaops">. A second submit with the same key
//     must answer the same formSubmissionId and create no second record (the fake does).
//   - getFormSubmissionStatus answers <retrieveFormSubmissionStatusResponse> with the same
//     children as <submitFormResponse>: status, formSubmissionId, message, timeStamp.
//   - The daily report is a CSV file; see ReportHeader and ParseDailyReport.
//
// Nothing here prints or logs form values: Application and its sections redact
// themselves in fmt and slog, and errors name field paths and ES fault codes only.
package enrollment
