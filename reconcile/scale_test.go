package reconcile

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

// A day at scale: ES reports rows rows, of which vetsN are vets.gov's submissions
// (every step-th row, with its key) and the rest came through other channels. ES lost
// the last 10 of vets.gov's, and lists the first 5 as failed while vets.gov saw them
// processed before the cut-off.
type scaleDay struct {
	rows, vetsN, step int
	base              int64
}

func (d scaleDay) vets() []Submission {
	out := make([]Submission, 0, d.vetsN)
	for i := range d.vetsN {
		id := d.base + int64(i*d.step)
		out = append(out, Submission{ApplicationID: appID(i), FormSubmissionID: id, Status: 104, SubmittedAt: morning,
			Statuses: []StatusSeen{{Status: 100, At: morning, LearnedAt: morning}, {Status: 104, At: at(10, 0), LearnedAt: at(10, 0)}}})
	}
	return out
}

// row returns the report's i-th row, and false for the ones ES lost.
func (d scaleDay) row(i int) (enrollment.ReportRow, bool) {
	r := enrollment.ReportRow{ReportDate: day, FormSubmissionID: d.base + int64(i), StatusCode: 104,
		SubmittedAt: morning, StatusAt: at(9, 1)}
	if i%d.step == 0 {
		n := i / d.step
		if n >= d.vetsN-10 && n < d.vetsN {
			return r, false
		}
		if n < d.vetsN {
			r.ApplicationKey = appID(n)
		}
		if n < 5 {
			r.StatusCode = 101
		}
	} else if i%100 == 7 {
		r.StatusCode = 102
	}
	return r, true
}

// writeScaleReport writes the day as the CSV file ES would serve.
func writeScaleReport(path string, d scaleDay) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w, err := enrollment.NewReportWriter(bw, cutOff)
	if err != nil {
		f.Close()
		return err
	}
	for i := range d.rows {
		if r, ok := d.row(i); ok {
			if err := w.Write(r); err != nil {
				f.Close()
				return err
			}
		}
	}
	if err := w.Close(); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// heapWatch samples the live heap while a report streams, to find its peak above the
// level before the run.
type heapWatch struct {
	base, peak uint64
	n          int
}

func newHeapWatch() *heapWatch {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return &heapWatch{base: m.HeapAlloc, peak: m.HeapAlloc}
}

func (h *heapWatch) row() {
	if h.n++; h.n%50_000 == 0 {
		h.sample()
	}
}

func (h *heapWatch) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	h.peak = max(h.peak, m.HeapAlloc)
}

// growthMiB is the peak heap above the starting level.
func (h *heapWatch) growthMiB() float64 { h.sample(); return float64(h.peak-h.base) / (1 << 20) }

// parseFile streams the file through the one parser, as the activity does with the
// downloaded report.
func parseFile(path string, fn func(enrollment.ReportRow) error) (enrollment.ReportSummary, error) {
	f, err := os.Open(path)
	if err != nil {
		return enrollment.ReportSummary{}, err
	}
	defer f.Close()
	return enrollment.ParseDailyReport(bufio.NewReaderSize(f, 1<<16), fn)
}

func checkScaleResult(res Result, d scaleDay) error {
	matched := d.vetsN - 10
	if res.ES.Total != d.rows-10 || res.Matched != matched || res.MissingFromESCount != 10 || res.MismatchCount != 5 ||
		res.OtherChannels.Total != d.rows-d.vetsN || res.Discrepancies() != 15 {
		return fmt.Errorf("ES %d rows, matched %d, missing %d, mismatched %d, other channels %d, discrepancies %d",
			res.ES.Total, res.Matched, res.MissingFromESCount, res.MismatchCount, res.OtherChannels.Total, res.Discrepancies())
	}
	return nil
}

// A million-row report streams through reconciliation while the heap stays bounded by
// vets.gov's submissions and MaxListed: the same growth for a quarter of the rows as for
// all of them.
func TestMillionRowReportMemoryIsBounded(t *testing.T) {
	const limit = 32 << 20
	growth := map[int]float64{}
	for _, rows := range []int{250_000, 1_000_000} {
		d := scaleDay{rows: rows, vetsN: 1_000, step: rows / 1_000, base: 40_000_000_000}
		path := filepath.Join(t.TempDir(), "report.csv")
		if err := writeScaleReport(path, d); err != nil {
			t.Fatal(err)
		}
		vets := d.vets()
		h := newHeapWatch()
		start := time.Now()
		res, err := Reconcile(day, vets, func(fn func(enrollment.ReportRow) error) (enrollment.ReportSummary, error) {
			return parseFile(path, func(r enrollment.ReportRow) error { h.row(); return fn(r) })
		}, defaults)
		elapsed := time.Since(start)
		if err != nil {
			t.Fatalf("Reconcile: %v", err)
		}
		growth[rows] = h.growthMiB()
		t.Logf("%d rows against %d submissions in %v; peak heap growth %.2f MiB", rows, d.vetsN, elapsed.Round(time.Millisecond), growth[rows])
		if err := checkScaleResult(res, d); err != nil {
			t.Error(err)
		}
		if growth[rows] > limit>>20 {
			t.Errorf("%d rows: heap grew by %.1f MiB, limit %d MiB", rows, growth[rows], limit>>20)
		}
	}
	// Four times the rows may not cost a quarter more heap (allowing 4 MiB of GC noise).
	if growth[1_000_000] > growth[250_000]*1.25+4 {
		t.Errorf("heap growth %.1f MiB at 1M rows against %.1f MiB at 250k: it grows with the report", growth[1_000_000], growth[250_000])
	}
}

// BenchmarkReconcileMillionRows is issue 9's reconciliation goal: a 1,000,000-row report
// against 10,000 submissions in at most twice the time it takes only to parse the
// report, in constant memory. Each iteration parses the same file alone and reconciles
// it, three times in alternating order; each side's best time is its figure, which keeps
// the ratio honest on a shared machine. The figures are printed, never asserted.
func BenchmarkReconcileMillionRows(b *testing.B) {
	d := scaleDay{rows: 1_000_000, vetsN: 10_000, step: 100, base: 40_000_000_000}
	path := filepath.Join(b.TempDir(), "report.csv")
	if err := writeScaleReport(path, d); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	vets := d.vets()
	if _, err := parseFile(path, nil); err != nil { // the file is in the page cache for both sides
		b.Fatal(err)
	}
	parseOnly := func() (time.Duration, time.Duration, float64) {
		h := newHeapWatch()
		start, cpu := time.Now(), cpuTime()
		if _, err := parseFile(path, func(enrollment.ReportRow) error { h.row(); return nil }); err != nil {
			b.Fatal(err)
		}
		return time.Since(start), cpuTime() - cpu, h.growthMiB()
	}
	reconcile := func() (time.Duration, time.Duration, float64) {
		h := newHeapWatch()
		start, cpu := time.Now(), cpuTime()
		res, err := Reconcile(day, vets, func(fn func(enrollment.ReportRow) error) (enrollment.ReportSummary, error) {
			return parseFile(path, func(r enrollment.ReportRow) error { h.row(); return fn(r) })
		}, defaults)
		elapsed, used := time.Since(start), cpuTime()-cpu
		if err != nil {
			b.Fatal(err)
		}
		if err := checkScaleResult(res, d); err != nil {
			b.Fatal(err)
		}
		return elapsed, used, h.growthMiB()
	}
	var parse, rec, parseCPU, recCPU []time.Duration
	var parseHeap, recHeap float64
	for b.Loop() {
		for round := range 3 {
			sides := []func(){
				func() {
					t, c, h := parseOnly()
					parse, parseCPU, parseHeap = append(parse, t), append(parseCPU, c), max(parseHeap, h)
				},
				func() {
					t, c, h := reconcile()
					rec, recCPU, recHeap = append(rec, t), append(recCPU, c), max(recHeap, h)
				},
			}
			if round%2 == 1 {
				sides[0], sides[1] = sides[1], sides[0]
			}
			for _, side := range sides {
				side()
			}
		}
	}
	best := func(ds []time.Duration) time.Duration { return slices.Min(ds) }
	ratio := best(rec).Seconds() / best(parse).Seconds()
	b.ReportMetric(best(parse).Seconds(), "parse-s")
	b.ReportMetric(best(rec).Seconds(), "reconcile-s")
	b.ReportMetric(ratio, "ratio")
	b.ReportMetric(best(recCPU).Seconds()/best(parseCPU).Seconds(), "cpu-ratio")
	b.ReportMetric(parseHeap, "parse-heap-MiB")
	b.ReportMetric(recHeap, "reconcile-heap-MiB")
	b.Logf("%d-row report (%.0f MiB) against %d submissions, best of %d: parse only %.3f s (CPU %.3f s), reconcile %.3f s (CPU %.3f s), ratio %.2f (CPU %.2f; goal <= 2); peak heap growth: parse %.1f MiB, reconcile %.1f MiB",
		d.rows, float64(st.Size())/(1<<20), d.vetsN, len(parse), best(parse).Seconds(), best(parseCPU).Seconds(),
		best(rec).Seconds(), best(recCPU).Seconds(), ratio, best(recCPU).Seconds()/best(parseCPU).Seconds(), parseHeap, recHeap)
}

// cpuTime is the CPU the process has used, user and system: unlike the wall clock, it
// does not count time other programs on a shared machine took.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
