package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// BenchmarkReport10000Tickets builds and renders a report over 10,000 tickets (the fixture's
// nine, repeated under other references) and prints the sizes of its three forms.
func BenchmarkReport10000Tickets(b *testing.B) {
	base := fixtureInput(b)
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
		j, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		sizes = [3]int{h.Len(), c.Len(), len(j)}
	}
	b.ReportMetric(float64(sizes[0])/1024, "html-KiB")
	b.ReportMetric(float64(sizes[1])/1024, "csv-KiB")
	b.ReportMetric(float64(sizes[2])/1024, "json-KiB")
}
