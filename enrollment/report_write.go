package enrollment

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"
)

// ReportWriter writes a daily report row by row; the fake ES serves its reports with
// it, and tests use it to generate large files. Close writes the trailer.
type ReportWriter struct {
	w    *csv.Writer
	rows int
	rec  []string
}

// NewReportWriter writes the header and the cut-off lines to w: cutOff is the instant
// the rows' statuses describe.
func NewReportWriter(w io.Writer, cutOff time.Time) (*ReportWriter, error) {
	rw := &ReportWriter{w: csv.NewWriter(w), rec: make([]string, len(ReportHeader))}
	if err := rw.w.Write(ReportHeader); err != nil {
		return nil, err
	}
	if err := rw.w.Write([]string{reportCutOff, cutOff.Format(time.RFC3339Nano)}); err != nil {
		return nil, err
	}
	return rw, nil
}

// Write writes one row; Line is ignored.
func (rw *ReportWriter) Write(row ReportRow) error {
	rw.rec[0] = row.ReportDate
	rw.rec[1] = strconv.FormatInt(row.FormSubmissionID, 10)
	rw.rec[2] = row.ApplicationKey
	rw.rec[3] = strconv.Itoa(row.StatusCode)
	rw.rec[4] = row.SubmittedAt.Format(time.RFC3339Nano)
	rw.rec[5] = row.StatusAt.Format(time.RFC3339Nano)
	rw.rows++
	return rw.w.Write(rw.rec)
}

// Close writes the #total trailer and flushes; it does not close the underlying writer.
func (rw *ReportWriter) Close() error {
	if err := rw.w.Write([]string{reportTrailer, strconv.Itoa(rw.rows)}); err != nil {
		return err
	}
	rw.w.Flush()
	return rw.w.Error()
}
