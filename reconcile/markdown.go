package reconcile

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

// WriteMarkdown writes r as a page for people: the summary, counts by status, and a
// table per kind of discrepancy. The page is what a ticket to ES links to.
func WriteMarkdown(w io.Writer, r Result) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# ES daily report reconciliation — %s\n\n", r.Date)
	fmt.Fprintf(&b, "%s\n\n", r.Summary())
	fmt.Fprintf(&b, "Generated %s. %s of vets.gov's submissions matched a report row. Stuck means in processing (102/103) for more than %s.\n\n",
		r.GeneratedAt.UTC().Format(time.RFC3339), thousands(r.Matched), duration(r.StuckAfter))

	b.WriteString("## Counts by status\n\n")
	table(&b, []string{"Status", "Meaning", "ES", "vets.gov"}, "rlrr")
	codes := slices.Sorted(maps.Keys(r.ES.ByStatus))
	for code := range r.VetsGov.ByStatus {
		if _, ok := r.ES.ByStatus[code]; !ok {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	for _, c := range codes {
		meaning := enrollment.StatusText(c)
		if meaning == "" {
			meaning = "—"
		}
		tableRow(&b, strconv.Itoa(c), meaning, thousands(r.ES.ByStatus[c]), thousands(r.VetsGov.ByStatus[c]))
	}
	tableRow(&b, "**Total**", "", "**"+thousands(r.ES.Total)+"**", "**"+thousands(r.VetsGov.Total)+"**")
	b.WriteString("\n")

	if !r.HasDiscrepancies() {
		b.WriteString("No discrepancies.\n")
		_, err := w.Write(b.Bytes())
		return err
	}

	if r.MissingFromESCount > 0 {
		section(&b, "Missing from ES", r.MissingFromESCount, "vets.gov submitted these; the ES report does not list them.")
		table(&b, []string{"Form submission ID", "Application ID", "vets.gov status", "Submitted at"}, "rlll")
		for _, s := range r.MissingFromES {
			tableRow(&b, formID(s.FormSubmissionID), s.ApplicationID, status(s.Status), stamp(s.SubmittedAt))
		}
		more(&b, r.MissingFromESCount, len(r.MissingFromES))
	}
	if r.UnknownCount > 0 {
		section(&b, "Unknown to vets.gov", r.UnknownCount, "The ES report lists these; vets.gov has no record of submitting them.")
		table(&b, []string{"Form submission ID", "Application key", "ES status", "Submitted at", "Report line"}, "rlllr")
		for _, u := range r.UnknownToVetsGov {
			tableRow(&b, formID(u.FormSubmissionID), orDash(u.ApplicationKey), status(u.StatusCode), stamp(u.SubmittedAt), lineNo(u.Line))
		}
		more(&b, r.UnknownCount, len(r.UnknownToVetsGov))
	}
	if r.MismatchCount > 0 {
		section(&b, "Status mismatches", r.MismatchCount, "Both know these, and one side has a final status (101 or 104) the other does not.")
		table(&b, []string{"Form submission ID", "Application ID", "vets.gov status", "ES status"}, "rlll")
		for _, m := range r.StatusMismatches {
			tableRow(&b, formID(m.FormSubmissionID), m.ApplicationID, status(m.VetsGov), status(m.ES))
		}
		more(&b, r.MismatchCount, len(r.StatusMismatches))
	}
	if r.StuckCount > 0 {
		section(&b, "Stuck in processing", r.StuckCount, "ES shows these in processing (102/103) for more than "+duration(r.StuckAfter)+".")
		table(&b, []string{"Form submission ID", "Application ID", "ES status", "Submitted at", "For"}, "rlllr")
		for _, s := range r.Stuck {
			tableRow(&b, formID(s.FormSubmissionID), orDash(s.ApplicationID), status(s.Status), stamp(s.SubmittedAt), duration(s.For))
		}
		more(&b, r.StuckCount, len(r.Stuck))
	}
	if r.DuplicateCount > 0 {
		section(&b, "Duplicate form submission IDs", r.DuplicateCount, "The ES report lists these ids on more than one row.")
		table(&b, []string{"Form submission ID", "Application ID", "Rows"}, "rlr")
		for _, d := range r.Duplicates {
			tableRow(&b, formID(d.FormSubmissionID), orDash(d.ApplicationID), strconv.Itoa(d.Rows))
		}
		more(&b, r.DuplicateCount, len(r.Duplicates))
	}
	if r.DuplicateUnchecked > 0 {
		fmt.Fprintf(&b, "The duplicate check remembers the first %s ids unknown to vets.gov; %s later unknown rows could not be checked against each other.\n",
			thousands(duplicateWatch), thousands(r.DuplicateUnchecked))
	}
	_, err := w.Write(b.Bytes())
	return err
}

func section(b *bytes.Buffer, title string, n int, why string) {
	fmt.Fprintf(b, "## %s (%s)\n\n%s\n\n", title, thousands(n), why)
}

// table writes a header row and its separator; align has a letter per column, 'r' for
// numbers (right-aligned) and 'l' for text.
func table(b *bytes.Buffer, head []string, align string) {
	tableRow(b, head...)
	b.WriteString("|")
	for i := range head {
		if i < len(align) && align[i] == 'r' {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
}

func tableRow(b *bytes.Buffer, cells ...string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" ")
		b.WriteString(cell(c))
		b.WriteString(" |")
	}
	b.WriteString("\n")
}

// cell keeps a value inside its table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
}

func more(b *bytes.Buffer, count, listed int) {
	if count > listed {
		fmt.Fprintf(b, "\n…and %s more\n", thousands(count-listed))
	}
	b.WriteString("\n")
}

func formID(id int64) string {
	if id == 0 {
		return "— (not acknowledged)"
	}
	return strconv.FormatInt(id, 10)
}

func status(code int) string {
	if t := enrollment.StatusText(code); t != "" {
		return strconv.Itoa(code) + " " + t
	}
	return strconv.Itoa(code)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format(time.RFC3339)
}

func lineNo(n int) string {
	if n == 0 {
		return "—"
	}
	return strconv.Itoa(n)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// duration writes d in days, hours and minutes: "1d 6h 12m".
func duration(d time.Duration) string {
	d = d.Round(time.Minute)
	if d < time.Minute {
		return "under a minute"
	}
	var parts []string
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}} {
		if n := d / u.unit; n > 0 {
			parts = append(parts, strconv.FormatInt(int64(n), 10)+u.name)
			d -= n * u.unit
		}
	}
	return strings.Join(parts, " ")
}
