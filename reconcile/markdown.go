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
	"unicode"

	"github.com/hcaops/hcaops/enrollment"
)

// WriteMarkdown writes r as a page for people: the summary, counts by status, and a
// table per kind of discrepancy. It is what `esctl report show` prints.
func WriteMarkdown(w io.Writer, r Result) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# ES daily report reconciliation — %s\n\n", r.Date)
	fmt.Fprintf(&b, "%s\n\n", r.Summary())
	fmt.Fprintf(&b, "Both sides as of the report's cut-off, %s. Generated %s. %s of vets.gov's submissions matched a report row. Stuck means not finished (100, 102, 103) %s after ES received it, the submission workflow's own give-up time.\n\n",
		stamp(r.CutOff), r.GeneratedAt.UTC().Format(time.RFC3339), thousands(r.Matched), duration(r.StuckAfter))

	b.WriteString("## Counts by status\n\n")
	b.WriteString("ES counts every row; other channels are the rows without an application key that vets.gov did not send (not a discrepancy); vets.gov counts its submissions by the status ES had given them by the cut-off.\n\n")
	table(&b, []string{"Status", "Meaning", "ES", "of which other channels", "vets.gov"}, "rlrrr")
	codes := slices.Sorted(maps.Keys(r.ES.ByStatus))
	for code := range r.VetsGov.ByStatus {
		if _, ok := r.ES.ByStatus[code]; !ok {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	for _, c := range codes {
		tableRow(&b, strconv.Itoa(c), meaning(c), thousands(r.ES.ByStatus[c]), thousands(r.OtherChannels.ByStatus[c]), thousands(r.VetsGov.ByStatus[c]))
	}
	tableRow(&b, "**Total**", "", "**"+thousands(r.ES.Total)+"**", "**"+thousands(r.OtherChannels.Total)+"**", "**"+thousands(r.VetsGov.Total)+"**")
	b.WriteString("\n")

	// Listed as vets.gov holds them: the after-cut-off ones and those missing from ES.
	subHead, subAlign := []string{"Form submission ID", "Application ID", "vets.gov status", "Submitted at"}, "rlll"
	subRow := func(s Submission) []string {
		return []string{formID(s.FormSubmissionID), s.ApplicationID, vetsStatus(s), stamp(s.SubmittedAt)}
	}
	listing(&b, "After the cut-off", r.AfterCutOffCount, "ES acknowledged these (or vets.gov received them) after the report's cut-off: the next report lists them. Not a discrepancy.",
		subHead, subAlign, r.AfterCutOff, subRow)
	listing(&b, "Refused by ES", r.RefusedByESCount, "ES answered these with a validation fault and no form submission id: ES does not hold them, the Veteran was told, and each has its ESSUB ticket. Not a discrepancy.",
		[]string{"Application ID", "Received at"}, "ll", r.RefusedByES,
		func(s Submission) []string { return []string{s.ApplicationID, stamp(s.SubmittedAt)} })

	if !r.HasDiscrepancies() {
		b.WriteString("No discrepancies.\n")
		_, err := w.Write(b.Bytes())
		return err
	}

	listing(&b, "Missing from ES", r.MissingFromESCount, "vets.gov submitted these (or received them and never had an answer from ES) by the cut-off; the ES report does not list them.",
		subHead, subAlign, r.MissingFromES, subRow)
	listing(&b, "Unknown to vets.gov", r.UnknownCount, "The ES report lists these with an application key vets.gov has no record of submitting that day.",
		[]string{"Form submission ID", "Application key", "ES status", "Submitted at", "Report line"}, "rlllr", r.UnknownToVetsGov,
		func(u enrollment.ReportRow) []string {
			return []string{formID(u.FormSubmissionID), orDash(u.ApplicationKey), status(u.StatusCode), stamp(u.SubmittedAt), lineNo(u.Line)}
		})
	listing(&b, "Status mismatches", r.MismatchCount, "Both know these, and one side has a final status (101 or 104) the other does not share, as of the cut-off.",
		[]string{"Form submission ID", "Application ID", "vets.gov status", "ES status"}, "rlll", r.StatusMismatches,
		func(m Mismatch) []string {
			return []string{formID(m.FormSubmissionID), m.ApplicationID, status(m.VetsGov), status(m.ES)}
		})
	listing(&b, "Stuck at ES", r.StuckCount, "ES had not finished these "+duration(r.StuckAfter)+" after receiving them.",
		[]string{"Form submission ID", "Application ID", "ES status", "Submitted at", "For"}, "rlllr", r.Stuck,
		func(s Stuck) []string {
			return []string{formID(s.FormSubmissionID), orDash(s.ApplicationID), status(s.Status), stamp(s.SubmittedAt), duration(s.For)}
		})
	listing(&b, "Duplicate form submission IDs", r.DuplicateCount, "The ES report lists these ids on more than one row.",
		[]string{"Form submission ID", "Application ID", "Rows"}, "rlr", r.Duplicates,
		func(d Duplicate) []string {
			return []string{formID(d.FormSubmissionID), orDash(d.ApplicationID), strconv.Itoa(d.Rows)}
		})
	listing(&b, "Second ES records of one application", r.ExtraRecordCount, "ES lists a vets.gov application's key under another form submission id than the application's record: ES holds it twice.",
		[]string{"Application ID", "Its record", "Other record", "ES status", "Submitted at", "Report line"}, "lrrllr", r.ExtraRecords,
		func(x ExtraRecord) []string {
			return []string{x.ApplicationID, formID(x.FormSubmissionID), formID(x.ExtraID), status(x.Status), stamp(x.SubmittedAt), lineNo(x.Line)}
		})
	listing(&b, "Possible duplicates", r.PossibleDuplicateCount, "Rows without an application key that ES received while an attempt to submit a vets.gov application went unanswered: ES may hold that application twice. ES to compare each with the application's record.",
		[]string{"Form submission ID", "ES status", "Submitted at", "Unanswered attempt of", "Report line"}, "rlllr", r.PossibleDuplicates,
		func(p PossibleDuplicate) []string {
			return []string{formID(p.FormSubmissionID), status(p.Status), stamp(p.SubmittedAt), p.ApplicationID, lineNo(p.Line)}
		})
	if r.DuplicateUnchecked > 0 {
		fmt.Fprintf(&b, "The duplicate check remembers the first %s ids unknown to vets.gov; %s later unknown rows could not be checked against each other.\n",
			thousands(duplicateWatch), thousands(r.DuplicateUnchecked))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// listing writes one kind of finding when there is any: a heading with the count, why it
// is listed, a table of the listed items, and how many more there are than listed.
func listing[T any](b *bytes.Buffer, title string, count int, why string, head []string, align string, items []T, row func(T) []string) {
	if count == 0 {
		return
	}
	fmt.Fprintf(b, "## %s (%s)\n\n%s\n\n", title, thousands(count), why)
	table(b, head, align)
	for _, it := range items {
		tableRow(b, row(it)...)
	}
	if count > len(items) {
		fmt.Fprintf(b, "\n…and %s more\n", thousands(count-len(items)))
	}
	b.WriteString("\n")
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

// cell keeps a value inside its table cell: a pipe is escaped, control characters
// (line breaks, escapes) become spaces.
func cell(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.ReplaceAll(s, "|", `\|`)
}

func formID(id int64) string {
	if id == 0 {
		return "— (not acknowledged)"
	}
	return strconv.FormatInt(id, 10)
}

// meaning names a status code in the counts table; 0 is vets.gov's own bucket.
func meaning(code int) string {
	if code == 0 {
		return "no ES status yet (vets.gov)"
	}
	if t := enrollment.StatusText(code); t != "" {
		return t
	}
	return "—"
}

// vetsStatus is what vets.gov holds of a submission.
func vetsStatus(s Submission) string {
	switch {
	case s.FormSubmissionID == 0 && s.Failed:
		return "not acknowledged; vets.gov gave up"
	case s.FormSubmissionID == 0:
		return "not acknowledged"
	}
	return status(s.Status)
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
