package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

//go:embed report.html.tmpl
var templates embed.FS

var page = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"pct": func(c Compliance) string {
		if c.Percent == nil {
			return "—"
		}
		return fmt.Sprintf("%.1f%%", *c.Percent)
	},
	"rate": func(p *float64) string {
		if p == nil {
			return "—"
		}
		return fmt.Sprintf("%.1f%%", *p)
	},
	"hours": func(h float64, n int) string {
		if n == 0 {
			return "—"
		}
		return fmt.Sprintf("%.1f", h)
	},
	"when": func(t time.Time, zone string) string {
		if loc, err := time.LoadLocation(zone); err == nil {
			t = t.In(loc)
		}
		return t.Format("2006-01-02 15:04 MST")
	},
	"svg":   func(s string) template.HTML { return template.HTML(s) }, // drawn by Charts, holds no text from people
	"clean": cleanText,
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
	"rows": func(first Row, rest []Row) []Row { return append([]Row{first}, rest...) },
}).ParseFS(templates, "report.html.tmpl"))

// WriteHTML writes the report as one HTML page with its charts inline: it opens offline,
// with no script, stylesheet, font or image fetched from anywhere. Text from people (a
// ticket's summary) is escaped by html/template.
func WriteHTML(w io.Writer, r Report) error {
	charts, err := Charts(r)
	if err != nil {
		return err
	}
	return page.Execute(w, struct {
		Report
		Charts []Chart
	}{r, charts})
}

// cleanText drops control characters from text people typed before it is shown.
func cleanText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
