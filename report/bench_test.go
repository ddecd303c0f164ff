package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"testing"
)

// BenchmarkReport10000Tickets builds and renders a report over 10,000 tickets (the fixture's
// nine, repeated under other references) and prints the sizes of its three forms.
func BenchmarkReport10000Tickets(b *testing.B) {
	t := &testing.T{}
	base := fixtureInput(t)
	in := base
	in.Tickets = nil
	for i := 0; len(in.Tickets) < 10000; i++ {
		for _, tk := range base.Tickets {
			tk.Ref = fmt.Sprintf("%s-%d", tk.Ref, i)
			in.Tickets = append(in.Tickets, tk)
		}
	}
	in.Tickets = in.Tickets[:10000]
	var sizes [3]int
	b.ResetTimer()
	for range b.N {
		r, err := Build(in)
		if err != nil {
			b.Fatal(err)
		}
		var h, c bytes.Buffer
		if err := WriteHTML(&h, r); err != nil {
			b.Fatal(err)
		}
		if err := WriteCSV(&c, r); err != nil {
			b.Fatal(err)
		}
		j := bytesOf(r)
		sizes = [3]int{h.Len(), c.Len(), j}
	}
	b.ReportMetric(float64(sizes[0])/1024, "html-KiB")
	b.ReportMetric(float64(sizes[1])/1024, "csv-KiB")
	b.ReportMetric(float64(sizes[2])/1024, "json-KiB")
}

func bytesOf(r Report) int {
	var w countWriter
	_ = jsonEncode(&w, r)
	return int(w)
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)

func jsonEncode(w io.Writer, r Report) error { return json.NewEncoder(w).Encode(r) }
