package enrollment

import (
	"bytes"
	"errors"
	"maps"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

const goodReport = `report_date,form_submission_id,application_key,status_code,submitted_at,status_at
#cut_off,2026-03-03T02:00:00-05:00
2026-03-02,40124668140,0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c11,104,2026-03-02T09:15:00-05:00,2026-03-02T09:20:00-05:00
2026-03-02,40124668141,,102,2026-03-02T10:00:00-05:00,2026-03-02T10:00:05.123-05:00
2026-03-02,40124668142,7d3f1c2a-96b4-4e8e-8f7e-0c1d2e3f4a5b,104,2026-03-02T23:59:59-05:00,2026-03-03T00:10:00-05:00
#total,3
`

func TestParseDailyReport(t *testing.T) {
	var rows []ReportRow
	sum, err := ParseDailyReport(strings.NewReader(goodReport), func(r ReportRow) error {
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		t.Fatalf("ParseDailyReport: %v", err)
	}
	est := time.FixedZone("EST", -5*3600)
	if sum.Date != "2026-03-02" || sum.Total != 3 || !maps.Equal(sum.ByStatus, map[int]int{102: 1, 104: 2}) ||
		!sum.CutOff.Equal(time.Date(2026, 3, 3, 2, 0, 0, 0, est)) {
		t.Errorf("summary = %+v", sum)
	}
	want := ReportRow{
		Line: 4, ReportDate: "2026-03-02", FormSubmissionID: 40124668141, StatusCode: 102,
		SubmittedAt: time.Date(2026, 3, 2, 10, 0, 0, 0, est),
		StatusAt:    time.Date(2026, 3, 2, 10, 0, 5, 123e6, est),
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	got := rows[1]
	if got.Line != want.Line || got.ReportDate != want.ReportDate || got.FormSubmissionID != want.FormSubmissionID ||
		got.ApplicationKey != "" || got.StatusCode != want.StatusCode ||
		!got.SubmittedAt.Equal(want.SubmittedAt) || !got.StatusAt.Equal(want.StatusAt) {
		t.Errorf("row 2 = %+v, want %+v", got, want)
	}
	if rows[0].ApplicationKey != "0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c11" {
		t.Errorf("row 1 key = %q", rows[0].ApplicationKey)
	}
}

func TestParseDailyReportAcceptsVariants(t *testing.T) {
	tests := map[string]string{
		"empty day":        "report_date,form_submission_id,application_key,status_code,submitted_at,status_at\n#cut_off,2026-03-03T00:00:00Z\n#total,0\n",
		"byte order mark":  "\ufeff" + goodReport,
		"CRLF line ends":   strings.ReplaceAll(goodReport, "\n", "\r\n"),
		"no final newline": strings.TrimSuffix(goodReport, "\n"),
		"quoted fields":    strings.Replace(goodReport, "2026-03-02,40124668140,", `"2026-03-02","40124668140",`, 1),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseDailyReport(strings.NewReader(in), nil); err != nil {
				t.Fatalf("ParseDailyReport: %v", err)
			}
		})
	}
}

func TestParseDailyReportRejects(t *testing.T) {
	columns := strings.Join(ReportHeader, ",") + "\n"
	header := columns + "#cut_off,2026-03-03T02:00:00-05:00\n"
	row := func(fields string) string { return fields + "\n" }
	ok := "2026-03-02,40124668140,,104,2026-03-02T09:15:00-05:00,2026-03-02T09:20:00-05:00"
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "empty report: no header line"},
		{"blank lines only", "\n\n", "empty report: no header line"},
		{"bad header", "date,id,key,status,submitted,status_at\n#total,0\n", `line 1: header must be "report_date,form_submission_id,application_key,status_code,submitted_at,status_at"`},
		{"header only", columns, `line 2: the line after the header must be "#cut_off,<RFC 3339 time>"`},
		{"no cut-off line", columns + row(ok) + "#total,1\n", `line 2: the line after the header must be "#cut_off,<RFC 3339 time>"`},
		{"trailer for a cut-off", columns + "#total,0\n", `line 2: the line after the header must be "#cut_off,<RFC 3339 time>"`},
		{"unknown cut-off line", columns + "#as_of,2026-03-03T02:00:00-05:00\n#total,0\n", `line 2: the line after the header must be "#cut_off,<RFC 3339 time>"`},
		{"bad cut-off", columns + "#cut_off,tonight\n#total,0\n", `line 2: cut_off "tonight" is not an RFC 3339 time`},
		{"cut-off and header only", header, "line 3: no #total trailer: the report is truncated"},
		{"missing trailer", header + row(ok) + row(ok), "line 5: no #total trailer: the report is truncated"},
		{"cut mid-row", header + row(ok) + "2026-03-02,4012466", "line 4: 2 fields, want 6"},
		{"wrong count", header + row(ok) + row(ok) + "#total,3\n", "line 5: trailer says 3 rows, the report has 2"},
		{"bad trailer count", header + "#total,many\n", `line 3: trailer count "many" is not a number`},
		{"unknown trailer", header + "#rows,0\n", `line 3: trailer must be "#total,<rows>"`},
		{"data after trailer", header + "#total,0\n" + row(ok), "line 4: data after the #total trailer on line 3"},
		{"bad status", header + row(ok) + row(strings.Replace(ok, ",104,", ",10x,", 1)) + "#total,2\n", `line 4: status_code "10x" is not a number`},
		{"unknown status", header + row(strings.Replace(ok, ",104,", ",107,", 1)) + "#total,1\n", "line 3: status_code 107 is not a known status (100-104)"},
		{"bad submitted_at", header + row(strings.Replace(ok, "2026-03-02T09:15:00-05:00", "2026-03-02 09:15", 1)) + "#total,1\n", `line 3: submitted_at "2026-03-02 09:15" is not an RFC 3339 time`},
		{"bad status_at", header + row(strings.Replace(ok, "2026-03-02T09:20:00-05:00", "2026-03-02T09:20:00", 1)) + "#total,1\n", `line 3: status_at "2026-03-02T09:20:00" is not an RFC 3339 time`},
		{"status before submission", header + row(strings.Replace(ok, "T09:20:00", "T09:10:00", 1)) + "#total,1\n", "line 3: status_at is before submitted_at"},
		{"status after the cut-off", header + row(strings.Replace(ok, "2026-03-02T09:20:00-05:00", "2026-03-03T02:00:01-05:00", 1)) + "#total,1\n", "line 3: stamped after the report's cut_off 2026-03-03T02:00:00-05:00"},
		{"bad date", header + row(strings.Replace(ok, "2026-03-02,", "03/02/2026,", 1)) + "#total,1\n", `line 3: report_date "03/02/2026" is not a YYYY-MM-DD date`},
		{"two dates", header + row(ok) + row(strings.Replace(ok, "2026-03-02,", "2026-03-03,", 1)) + "#total,2\n", "line 4: report_date 2026-03-03 differs from 2026-03-02 on the first row"},
		{"bad id", header + row(strings.Replace(ok, "40124668140", "-4", 1)) + "#total,1\n", `line 3: form_submission_id "-4" is not a positive number`},
		{"too many fields", header + row(ok+",extra") + "#total,1\n", "line 3: 7 fields, want 6"},
		{"bare quote", header + row(`2026-03-02,401"24,,104,a,b`) + "#total,1\n", `line 3: bare " in non-quoted-field`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDailyReport(strings.NewReader(tt.in), nil)
			if err == nil {
				t.Fatal("ParseDailyReport accepted it")
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q\n want %q", err, tt.want)
			}
			if _, ok := errors.AsType[*ReportFormatError](err); !ok {
				t.Errorf("error %T is not a *ReportFormatError", err)
			}
		})
	}
}

func TestParseDailyReportStopsOnCallbackError(t *testing.T) {
	stop := errors.New("ledger full")
	calls := 0
	_, err := ParseDailyReport(strings.NewReader(goodReport), func(r ReportRow) error {
		calls++
		if r.FormSubmissionID == 40124668141 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || err.Error() != "line 4: ledger full" || calls != 2 {
		t.Fatalf("error = %v after %d calls", err, calls)
	}
	if _, ok := errors.AsType[*ReportFormatError](err); ok {
		t.Error("a callback error must not look like a format error")
	}
}

func TestParseDailyReportPassesReadErrors(t *testing.T) {
	broken := errors.New("connection reset")
	r := iotest.TimeoutReader(strings.NewReader(goodReport)) // second read fails
	_, err := ParseDailyReport(r, nil)
	if err == nil {
		t.Fatal("no error")
	}
	if _, ok := errors.AsType[*ReportFormatError](err); ok {
		t.Errorf("read error reported as format error: %v", err)
	}
	_, err = ParseDailyReport(iotest.ErrReader(broken), nil)
	if !errors.Is(err, broken) {
		t.Errorf("error = %v, want it to wrap %v", err, broken)
	}
}

func TestReportWriterRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	at := time.Date(2026, 3, 2, 9, 0, 0, 500, time.FixedZone("EST", -5*3600))
	cutOff := at.Add(18 * time.Hour)
	rw, err := NewReportWriter(&buf, cutOff)
	if err != nil {
		t.Fatal(err)
	}
	in := []ReportRow{
		{ReportDate: "2026-03-02", FormSubmissionID: 1, ApplicationKey: "k,with \"comma\"", StatusCode: 100, SubmittedAt: at, StatusAt: at},
		{ReportDate: "2026-03-02", FormSubmissionID: 2, StatusCode: 104, SubmittedAt: at, StatusAt: at.Add(time.Hour)},
	}
	for _, r := range in {
		if err := rw.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	var out []ReportRow
	sum, err := ParseDailyReport(&buf, func(r ReportRow) error { out = append(out, r); return nil })
	if err != nil {
		t.Fatalf("ParseDailyReport: %v", err)
	}
	if sum.Total != 2 || !sum.CutOff.Equal(cutOff) || out[0].ApplicationKey != in[0].ApplicationKey || !out[1].StatusAt.Equal(in[1].StatusAt) || !out[0].SubmittedAt.Equal(at) {
		t.Errorf("round trip: %+v, %+v", sum, out)
	}
}
