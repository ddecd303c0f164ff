package enrollment

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ParseDailyReport reads a daily report from r and calls fn for each row, in file order,
// as soon as the row is read: memory does not grow with the number of rows. It checks
// the header, the #cut_off line, every field, that all rows carry one report_date and
// none is stamped after the cut-off, and the #total trailer.
//
// Rows reach fn before the trailer is checked, so they are provisional until
// ParseDailyReport returns nil; a caller that must be all-or-nothing stages them. The
// parser keeps no per-row state, so duplicate form_submission_ids are the caller's to
// detect. fn may be nil to only validate and count. Problems with the file are
// *ReportFormatError; an error from fn comes back wrapped with the line number; a
// read error from r comes back wrapped as is.
func ParseDailyReport(r io.Reader, fn func(ReportRow) error) (ReportSummary, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // the trailer has 2 fields; counts are checked here
	sum := ReportSummary{ByStatus: map[int]int{}}

	rec, err := cr.Read()
	if err == io.EOF {
		return sum, &ReportFormatError{Msg: "empty report: no header line"}
	}
	if err != nil {
		return sum, readError(err)
	}
	if len(rec) > 0 {
		rec[0] = strings.TrimPrefix(rec[0], "\ufeff") // tolerate a byte order mark
	}
	if !slices.Equal(rec, ReportHeader) {
		return sum, &ReportFormatError{Line: 1, Msg: fmt.Sprintf("header must be %q", strings.Join(ReportHeader, ","))}
	}

	rec, err = cr.Read()
	if err != nil && err != io.EOF {
		return sum, readError(err)
	}
	if err == io.EOF || len(rec) == 0 || !strings.HasPrefix(rec[0], "#") || rec[0] == reportTrailer {
		return sum, &ReportFormatError{Line: 2, Msg: fmt.Sprintf("the line after the header must be %q", reportCutOff+",<RFC 3339 time>")}
	}
	if sum.CutOff, err = parseCutOff(rec); err != nil {
		return sum, &ReportFormatError{Line: 2, Msg: err.Error()}
	}

	trailer, trailerLine, lastLine := -1, 0, 2
	for {
		rec, err = cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return sum, readError(err)
		}
		line, _ := cr.FieldPos(0)
		lastLine = line
		if trailerLine != 0 {
			return sum, &ReportFormatError{Line: line, Msg: fmt.Sprintf("data after the %s trailer on line %d", reportTrailer, trailerLine)}
		}
		if strings.HasPrefix(rec[0], "#") {
			if trailer, err = parseTrailer(rec); err != nil {
				return sum, &ReportFormatError{Line: line, Msg: err.Error()}
			}
			trailerLine = line
			continue
		}
		row, err := parseRow(rec)
		if err != nil {
			return sum, &ReportFormatError{Line: line, Msg: err.Error()}
		}
		row.Line = line
		if row.StatusAt.After(sum.CutOff) || row.SubmittedAt.After(sum.CutOff) {
			return sum, &ReportFormatError{Line: line, Msg: "stamped after the report's " + reportCutOff[1:] + " " + sum.CutOff.Format(time.RFC3339)}
		}
		if sum.Date == "" {
			sum.Date = row.ReportDate
		} else if row.ReportDate != sum.Date {
			return sum, &ReportFormatError{Line: line, Msg: fmt.Sprintf("report_date %s differs from %s on the first row", row.ReportDate, sum.Date)}
		}
		sum.Total++
		sum.ByStatus[row.StatusCode]++
		if fn != nil {
			if err := fn(row); err != nil {
				return sum, fmt.Errorf("line %d: %w", line, err)
			}
		}
	}
	switch {
	case trailerLine == 0:
		return sum, &ReportFormatError{Line: lastLine + 1, Msg: fmt.Sprintf("no %s trailer: the report is truncated", reportTrailer)}
	case trailer != sum.Total:
		return sum, &ReportFormatError{Line: trailerLine, Msg: fmt.Sprintf("trailer says %d rows, the report has %d", trailer, sum.Total)}
	}
	return sum, nil
}

func parseRow(rec []string) (ReportRow, error) {
	if len(rec) != len(ReportHeader) {
		return ReportRow{}, fmt.Errorf("%d fields, want %d", len(rec), len(ReportHeader))
	}
	var (
		row ReportRow
		err error
	)
	row.ReportDate = rec[0]
	if _, err = time.Parse(time.DateOnly, rec[0]); err != nil {
		return row, fmt.Errorf("report_date %q is not a YYYY-MM-DD date", rec[0])
	}
	if row.FormSubmissionID, err = strconv.ParseInt(rec[1], 10, 64); err != nil || row.FormSubmissionID <= 0 {
		return row, fmt.Errorf("form_submission_id %q is not a positive number", rec[1])
	}
	row.ApplicationKey = rec[2]
	if row.StatusCode, err = strconv.Atoi(rec[3]); err != nil {
		return row, fmt.Errorf("status_code %q is not a number", rec[3])
	}
	if !knownStatus(row.StatusCode) {
		return row, fmt.Errorf("status_code %d is not a known status (100-104)", row.StatusCode)
	}
	if row.SubmittedAt, err = time.Parse(time.RFC3339, rec[4]); err != nil {
		return row, fmt.Errorf("submitted_at %q is not an RFC 3339 time", rec[4])
	}
	if row.StatusAt, err = time.Parse(time.RFC3339, rec[5]); err != nil {
		return row, fmt.Errorf("status_at %q is not an RFC 3339 time", rec[5])
	}
	if row.StatusAt.Before(row.SubmittedAt) {
		return row, errors.New("status_at is before submitted_at")
	}
	return row, nil
}

func parseCutOff(rec []string) (time.Time, error) {
	if rec[0] != reportCutOff || len(rec) != 2 {
		return time.Time{}, fmt.Errorf("the line after the header must be %q", reportCutOff+",<RFC 3339 time>")
	}
	t, err := time.Parse(time.RFC3339, rec[1])
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not an RFC 3339 time", reportCutOff[1:], rec[1])
	}
	return t, nil
}

func parseTrailer(rec []string) (int, error) {
	if rec[0] != reportTrailer || len(rec) != 2 {
		return 0, fmt.Errorf("trailer must be %q", reportTrailer+",<rows>")
	}
	n, err := strconv.Atoi(rec[1])
	if err != nil || n < 0 {
		return 0, fmt.Errorf("trailer count %q is not a number", rec[1])
	}
	return n, nil
}

// readError turns CSV syntax errors into ReportFormatErrors and passes read errors on.
func readError(err error) error {
	if pe, ok := errors.AsType[*csv.ParseError](err); ok {
		return &ReportFormatError{Line: pe.Line, Msg: pe.Err.Error()}
	}
	return fmt.Errorf("read daily report: %w", err)
}
