// Package reconcile checks one day's ES daily report against what vets.gov submitted
// that day, keeps each day's result as a JSON file and a Markdown page, and rolls the
// kept results up by day, ISO week or month for the O&M reporting requirement.
//
// It is pure logic and file I/O, called from a Temporal activity: nothing here reads the
// clock (the caller passes Options.AsOf), and saving the same day again replaces its
// files atomically, so a retried activity leaves one consistent result.
//
// The report is streamed: memory grows with the number of vets.gov submissions and with
// Options.MaxListed, never with the number of rows ES reports. Only ids, statuses and
// times are handled; no type here carries a form value, so the kept files hold no PII.
package reconcile
