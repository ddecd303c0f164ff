package enrollment_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/esfake"
)

// submitDay submits n applications at the fake's current time and walks the first one
// to 104, so the report has two statuses.
func submitDay(t *testing.T, c *enrollment.Client, n int, idPrefix string) []enrollment.SubmitResult {
	t.Helper()
	var out []enrollment.SubmitResult
	for i := range n {
		res, err := c.Submit(context.Background(), applicationWithID(fmt.Sprintf("%s-0000-4000-8000-%012d", idPrefix, i)), testNow)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res)
	}
	for range 2 {
		if _, err := c.Status(context.Background(), out[0].FormSubmissionID); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func fetchAll(c *enrollment.Client, date string) ([]enrollment.ReportRow, enrollment.ReportSummary, error) {
	var rows []enrollment.ReportRow
	sum, err := c.FetchDailyReport(context.Background(), date, func(r enrollment.ReportRow) error {
		rows = append(rows, r)
		return nil
	})
	return rows, sum, err
}

func TestFetchDailyReportListsTheDaysSubmissions(t *testing.T) {
	_, c, clock := startFake(t, enrollment.Config{})
	submitDay(t, c, 3, "aaaaaaaa")
	// 22:30 in New York is already the next day in UTC: it still belongs to March 2.
	clock.Set(time.Date(2026, 3, 3, 3, 30, 0, 0, time.UTC))
	late, err := c.Submit(context.Background(), applicationWithID("bbbbbbbb-0000-4000-8000-000000000001"), testNow)
	if err != nil {
		t.Fatal(err)
	}
	clock.Set(time.Date(2026, 3, 3, 6, 0, 0, 0, newYork))
	submitDay(t, c, 1, "cccccccc")

	rows, sum, err := fetchAll(c, "2026-03-02")
	if err != nil {
		t.Fatalf("FetchDailyReport: %v", err)
	}
	// The fake describes ES as it is when asked: its clock is the cut-off.
	if !sum.CutOff.Equal(time.Date(2026, 3, 3, 6, 0, 0, 0, newYork)) {
		t.Errorf("cut-off = %v, want the fake's clock 2026-03-03 06:00 New York", sum.CutOff)
	}
	if sum.Date != "2026-03-02" || sum.Total != 4 || sum.ByStatus[enrollment.StatusProcessed] != 1 || sum.ByStatus[enrollment.StatusSubmitted] != 3 {
		t.Errorf("summary = %+v", sum)
	}
	if len(rows) != 4 || rows[0].ApplicationKey != "" || rows[0].StatusCode != enrollment.StatusProcessed ||
		rows[3].FormSubmissionID != late.FormSubmissionID {
		t.Errorf("rows = %+v", rows)
	}
	if !rows[0].StatusAt.After(rows[0].SubmittedAt) && !rows[0].StatusAt.Equal(rows[0].SubmittedAt) {
		t.Errorf("row 1 times: %v, %v", rows[0].SubmittedAt, rows[0].StatusAt)
	}
	// Today's report is the day so far.
	if _, sum, err := fetchAll(c, "2026-03-03"); err != nil || sum.Total != 1 {
		t.Errorf("today's report: %+v, %v", sum, err)
	}
}

func TestFetchDailyReportNotReady(t *testing.T) {
	tests := []struct {
		name   string
		faults esfake.Faults
		date   string
	}{
		{"future date", esfake.Faults{}, "2026-03-03"},
		{"late", esfake.Faults{ReportLate: true}, "2026-03-02"},
		{"missing", esfake.Faults{ReportMissing: []string{"2026-03-01"}}, "2026-03-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c, _ := startFake(t, enrollment.Config{})
			if err := fake.SetFaults(tt.faults); err != nil {
				t.Fatal(err)
			}
			_, _, err := fetchAll(c, tt.date)
			if !errors.Is(err, enrollment.ErrReportNotReady) || !strings.Contains(err.Error(), tt.date) {
				t.Fatalf("FetchDailyReport = %v, want enrollment.ErrReportNotReady for %s", err, tt.date)
			}
		})
	}
}

func TestFetchDailyReportFaults(t *testing.T) {
	fake, c, _ := startFake(t, enrollment.Config{})
	subs := submitDay(t, c, 4, "dddddddd")
	if err := fake.SetFaults(esfake.Faults{ReportDrop: 1, ReportExtra: 2, ReportStatusMismatch: 1}); err != nil {
		t.Fatal(err)
	}
	rows, sum, err := fetchAll(c, "2026-03-02")
	if err != nil {
		t.Fatalf("FetchDailyReport: %v", err)
	}
	if sum.Total != 5 || len(rows) != 5 {
		t.Fatalf("summary %+v, %d rows; want 4-1+2", sum, len(rows))
	}
	for _, r := range rows {
		if r.FormSubmissionID == subs[3].FormSubmissionID {
			t.Error("dropped row is in the report")
		}
	}
	if rows[0].StatusCode != enrollment.StatusSubmissionFailed { // really 104
		t.Errorf("mismatched row status = %d, want 101", rows[0].StatusCode)
	}
	for _, extra := range rows[3:] {
		if extra.ApplicationKey != "" || extra.FormSubmissionID < 90_000_000_000 {
			t.Errorf("extra row = %+v", extra)
		}
	}
	again, _, err := fetchAll(c, "2026-03-02")
	if err != nil || again[4].FormSubmissionID != rows[4].FormSubmissionID {
		t.Errorf("extra rows differ between fetches: %v", err)
	}
}

func TestFetchDailyReportErrors(t *testing.T) {
	t.Run("503 is retryable", func(t *testing.T) {
		fake, c, _ := startFake(t, enrollment.Config{})
		if err := fake.SetFaults(esfake.Faults{Unavailable503: 1}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := fetchAll(c, "2026-03-02"); !enrollment.IsRetryable(err) {
			t.Fatalf("FetchDailyReport = %v, want retryable", err)
		}
	})
	t.Run("bad date is final", func(t *testing.T) {
		_, c, _ := startFake(t, enrollment.Config{})
		_, _, err := fetchAll(c, "March 2")
		if e, ok := errors.AsType[*enrollment.Error](err); !ok || e.Kind != enrollment.Final {
			t.Fatalf("FetchDailyReport = %v, want final", err)
		}
	})
	t.Run("callback error comes back as is", func(t *testing.T) {
		_, c, _ := startFake(t, enrollment.Config{})
		submitDay(t, c, 1, "eeeeeeee")
		stop := errors.New("stop")
		_, err := c.FetchDailyReport(context.Background(), "2026-03-02", func(enrollment.ReportRow) error { return stop })
		if !errors.Is(err, stop) {
			t.Fatalf("FetchDailyReport = %v, want %v", err, stop)
		}
		if _, ok := errors.AsType[*enrollment.Error](err); ok {
			t.Error("callback error wrapped as an ES error")
		}
	})

	serve := func(t *testing.T, h http.HandlerFunc) *enrollment.Client {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		c, err := enrollment.NewClient(enrollment.Config{Endpoint: srv.URL + "/voa/voaSvc", ReportURL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	t.Run("format error is final with line", func(t *testing.T) {
		c := serve(t, func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, strings.Join(enrollment.ReportHeader, ",")+"\n#cut_off,2026-03-03T00:00:00Z\n2026-03-02,1,,10x,2026-03-02T09:00:00Z,2026-03-02T09:00:00Z\n#total,1\n")
		})
		_, _, err := fetchAll(c, "2026-03-02")
		if e, ok := errors.AsType[*enrollment.Error](err); !ok || e.Kind != enrollment.Final || !strings.Contains(err.Error(), `line 3: status_code "10x" is not a number`) {
			t.Fatalf("FetchDailyReport = %v", err)
		}
	})
	t.Run("another date's report is final", func(t *testing.T) {
		c := serve(t, func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, strings.Join(enrollment.ReportHeader, ",")+"\n#cut_off,2026-03-03T00:00:00Z\n2026-03-01,1,,104,2026-03-01T09:00:00Z,2026-03-01T09:00:00Z\n#total,1\n")
		})
		_, _, err := fetchAll(c, "2026-03-02")
		if e, ok := errors.AsType[*enrollment.Error](err); !ok || e.Kind != enrollment.Final || !strings.Contains(err.Error(), "report_date 2026-03-01 in the report for 2026-03-02") {
			t.Fatalf("FetchDailyReport = %v", err)
		}
	})
	t.Run("download cut off is retryable", func(t *testing.T) {
		c := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100000")
			fmt.Fprint(w, strings.Join(enrollment.ReportHeader, ",")+"\n")
			// Returning early leaves the body short of Content-Length.
		})
		_, _, err := fetchAll(c, "2026-03-02")
		if !enrollment.IsRetryable(err) {
			t.Fatalf("FetchDailyReport = %v, want retryable", err)
		}
	})
	t.Run("report path", func(t *testing.T) {
		var path string
		c := serve(t, func(w http.ResponseWriter, r *http.Request) {
			path = r.URL.Path
			fmt.Fprint(w, strings.Join(enrollment.ReportHeader, ",")+"\n#cut_off,2026-03-03T00:00:00Z\n#total,0\n")
		})
		if _, _, err := fetchAll(c, "2026-03-02"); err != nil || path != "/reports/daily/2026-03-02.csv" {
			t.Fatalf("path %q, err %v", path, err)
		}
	})
}
