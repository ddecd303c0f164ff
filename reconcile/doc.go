// Package reconcile checks one day's ES daily report against what vets.gov submitted
// that day, as of the report's cut-off, and rolls reconciled days up by day, ISO week or
// month for the O&M reporting requirement. It can also keep each day's result as a JSON
// file and a Markdown page.
//
// It is pure logic (and the optional file copy), called from a Temporal activity and
// used by the workflows for its types: nothing here reads the clock (the caller passes
// Options.AsOf, and every judgement is made as of the report's own cut-off), and saving
// the same day again replaces its files atomically, so a retried activity leaves one
// consistent result.
//
// The report is streamed: memory grows with the number of vets.gov submissions and with
// Options.MaxListed, never with the number of rows ES reports. Only ids, statuses and
// times are handled; no type here carries a form value, so results hold no PII.
package reconcile
