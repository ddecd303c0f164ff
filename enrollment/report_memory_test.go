package enrollment

import (
	"bufio"
	"bytes"
	"io"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// writeSyntheticReport writes a valid report of n rows, cycling through the statuses.
func writeSyntheticReport(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("report_date,form_submission_id,application_key,status_code,submitted_at,status_at\n")
	bw.WriteString("#cut_off,2026-03-03T02:00:00-05:00\n")
	statuses := []string{"100", "101", "102", "103", "104"}
	line := make([]byte, 0, 256)
	for i := range n {
		line = append(line[:0], "2026-03-02,"...)
		line = strconv.AppendInt(line, 40124668140+int64(i), 10)
		line = append(line, ",0b6c4f0e-3f0a-4d7e-9a44-"...)
		line = append(line, strconv.FormatInt(100000000000+int64(i), 10)...)
		line = append(line, ',')
		line = append(line, statuses[i%len(statuses)]...)
		line = append(line, ",2026-03-02T09:15:00-05:00,2026-03-02T09:20:00.123-05:00\n"...)
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	bw.WriteString("#total," + strconv.Itoa(n) + "\n")
	return bw.Flush()
}

// A million rows stream through the parser while the heap stays flat: nothing in the
// parser grows with the number of rows.
func TestParseDailyReportMemoryIsBounded(t *testing.T) {
	const rows = 1_000_000
	const limit = 16 << 20
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeSyntheticReport(pw, rows)) }()

	runtime.GC()
	var before, m runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak uint64
	sample := func() {
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapAlloc)
	}
	start := time.Now()
	sum, err := ParseDailyReport(pr, func(r ReportRow) error {
		if r.Line%50_000 == 0 {
			sample()
		}
		return nil
	})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("ParseDailyReport: %v", err)
	}
	if sum.Total != rows || sum.ByStatus[StatusProcessed] != rows/5 {
		t.Fatalf("summary = %+v", sum)
	}
	sample()
	growth := int64(peak) - int64(before.HeapAlloc)
	runtime.GC()
	runtime.ReadMemStats(&m)
	retained := int64(m.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d rows in %v (%.0f rows/s); peak heap growth %.2f MiB, retained after GC %.2f MiB, allocated %.0f B/row",
		rows, elapsed.Round(time.Millisecond), rows/elapsed.Seconds(), float64(growth)/(1<<20), float64(retained)/(1<<20),
		float64(m.TotalAlloc-before.TotalAlloc)/rows)
	if growth > limit {
		t.Errorf("heap grew by %d bytes while parsing, limit %d", growth, limit)
	}
	if retained > 1<<20 {
		t.Errorf("%d bytes still live after parsing", retained)
	}
}

func BenchmarkParseDailyReport(b *testing.B) {
	const rows = 100_000
	var buf bytes.Buffer
	if err := writeSyntheticReport(&buf, rows); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := ParseDailyReport(bytes.NewReader(data), func(ReportRow) error { return nil }); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n*rows)/b.Elapsed().Seconds(), "rows/s")
}
