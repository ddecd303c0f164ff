package enrollment

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// ReportHeader is the header line of the daily report. ES publishes no format for its
// report ("submission counts and status"), so this one is ours. One CSV file per ES
// local day:
//
//	report_date,form_submission_id,application_key,status_code,submitted_at,status_at
//	#cut_off,2026-03-03T02:00:00-05:00
//	2026-03-02,40124668140,0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c11,104,2026-03-02T09:15:00-05:00,2026-03-02T09:20:00-05:00
//	2026-03-02,40124668141,,102,2026-03-02T10:00:00-05:00,2026-03-02T10:00:05-05:00
//	#total,2
//
// The lines:
//   - The header, then "#cut_off,<time>": the instant (RFC 3339, ES's clock) the report
//     describes. Every row gives its status as of that instant, so vets.gov compares its
//     own record as of the same instant, not as of when it reads the file.
//   - report_date: YYYY-MM-DD, ES's local day, the same on every row.
//   - form_submission_id: ES's id, a positive integer.
//   - application_key: vets.gov's ApplicationID where ES can tie the record to vets.gov's
//     request. The VOA contract has no place for it, so ES's rows for vets.gov's
//     submissions leave it empty today and reconciliation matches them by
//     form_submission_id; a keyless row no vets.gov submission claims came through
//     another channel.
//   - status_code: 100-104 (see StatusText).
//   - submitted_at, status_at: RFC 3339, ES's clock; status_at is when the status was
//     last set, never before submitted_at, and neither is after the cut-off.
//   - The trailer "#total,<rows>" is the last line; without it the file is truncated.
//
// It is served at GET {ReportURL}/reports/daily/{YYYY-MM-DD}.csv: 200 with the file,
// 404 while it is not (yet) available.
var ReportHeader = []string{"report_date", "form_submission_id", "application_key", "status_code", "submitted_at", "status_at"}

const (
	reportTrailer = "#total"
	reportCutOff  = "#cut_off"
)

// ErrReportNotReady is returned (wrapped) when ES has no report for the date yet: try
// again later.
var ErrReportNotReady = errors.New("daily report not ready")

// ReportRow is one submission in the daily report.
type ReportRow struct {
	Line             int    // line in the file, for error messages
	ReportDate       string // YYYY-MM-DD
	FormSubmissionID int64
	ApplicationKey   string // vets.gov's ApplicationID when ES knows it; usually ""
	StatusCode       int
	SubmittedAt      time.Time
	StatusAt         time.Time
}

// ReportSummary counts the rows of a complete, valid report.
type ReportSummary struct {
	Date     string      // the report_date of the rows (the requested date when fetched)
	CutOff   time.Time   // the instant the rows' statuses describe
	Total    int         // rows, equal to the trailer count
	ByStatus map[int]int // rows per status code
}

// ReportFormatError is a problem with the report file itself; Line is 0 when it
// concerns the whole file.
type ReportFormatError struct {
	Line int
	Msg  string
}

func (e *ReportFormatError) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return "line " + strconv.Itoa(e.Line) + ": " + e.Msg
}

// FetchDailyReport downloads the report for date (YYYY-MM-DD, ES local date) and
// streams it through ParseDailyReport into fn, never holding the whole file. Errors:
// ErrReportNotReady (wrapped) on 404; *Error Retryable for 5xx and broken downloads;
// *Error Final for a file that breaks the format or carries another date; fn's own
// error, wrapped with the line number, as is.
func (c *Client) FetchDailyReport(ctx context.Context, date string, fn func(ReportRow) error) (ReportSummary, error) {
	op := opFetchDailyReport
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return ReportSummary{}, &Error{Kind: Final, Op: op, Msg: fmt.Sprintf("date %q is not YYYY-MM-DD", date)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.reportURL+"/reports/daily/"+date+".csv", nil)
	if err != nil {
		return ReportSummary{}, &Error{Kind: Final, Op: op, Msg: "cannot build request", Err: err}
	}
	req.Header.Set("Accept", "text/csv")
	resp, err := c.http.Do(req)
	if err != nil {
		return ReportSummary{}, transportError(op, err, false)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return ReportSummary{}, fmt.Errorf("es %s %s: %w", op, date, ErrReportNotReady)
	case resp.StatusCode != http.StatusOK:
		return ReportSummary{}, reportStatusError(op, resp.StatusCode)
	}

	var callerErr, dateErr error
	sum, err := ParseDailyReport(resp.Body, func(row ReportRow) error {
		if row.ReportDate != date {
			dateErr = fmt.Errorf("report_date %s in the report for %s", row.ReportDate, date)
			return dateErr
		}
		if fn == nil {
			return nil
		}
		callerErr = fn(row)
		return callerErr
	})
	sum.Date = date
	_, isFormat := errors.AsType[*ReportFormatError](err)
	switch {
	case err == nil:
		return sum, nil
	case callerErr != nil:
		return sum, err
	case dateErr != nil || isFormat:
		return sum, &Error{Kind: Final, Op: op, HTTPStatus: http.StatusOK, Msg: "daily report " + date, Err: err}
	default:
		return sum, &Error{Kind: Retryable, Op: op, HTTPStatus: http.StatusOK, Msg: "daily report " + date + " download broke off", Err: err}
	}
}
