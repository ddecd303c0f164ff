package report

import (
	"bytes"
	"fmt"
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Chart is one picture of the report: an SVG document ready to be placed inline in HTML
// (no XML prolog, no external font or script).
type Chart struct {
	ID    string
	Title string
	SVG   string
}

var palette = []color.RGBA{
	{R: 0x11, G: 0x2e, B: 0x51, A: 0xff}, // navy
	{R: 0xe5, G: 0x2c, B: 0x2c, A: 0xff}, // red
	{R: 0x2e, G: 0x85, B: 0x40, A: 0xff}, // green
	{R: 0xf9, G: 0xa8, B: 0x25, A: 0xff}, // amber
	{R: 0x6f, G: 0x3d, B: 0x99, A: 0xff}, // purple
}

func init() {
	// Sans-serif reads better in small charts; the browser draws it with a local font.
	plot.DefaultFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
}

// Charts draws the report's four pictures.
func Charts(r Report) ([]Chart, error) {
	var out []Chart
	for _, c := range []struct {
		id, title string
		draw      func(Report) (*plot.Plot, error)
	}{
		{"compliance", "Compliance by week (% of tickets with a verdict that met the target)", complianceChart},
		{"backlog", "Backlog by age at the end of the period", backlogChart},
		{"resolve", "Time to resolve, by priority (resolved tickets)", resolveChart},
		{"es", "Submissions against ES's daily report", esChart},
	} {
		p, err := c.draw(r)
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", c.id, err)
		}
		svg, err := renderSVG(p, 7.5*vg.Inch, 3.2*vg.Inch)
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", c.id, err)
		}
		out = append(out, Chart{ID: c.id, Title: c.title, SVG: svg})
	}
	return out, nil
}

func renderSVG(p *plot.Plot, w, h vg.Length) (string, error) {
	c := vgsvg.New(w, h)
	p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return "", err
	}
	s := b.String()
	// Inline SVG in HTML takes no XML prolog.
	if i := strings.Index(s, "<svg"); i > 0 {
		s = s[i:]
	}
	return strings.Replace(s, "<svg ", `<svg role="img" `, 1), nil
}

func newPlot(yLabel string) *plot.Plot {
	p := plot.New()
	p.Y.Label.Text = yLabel
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return p
}

// labelled puts category names under the x positions 0..n-1, thinning them when many.
func labelled(p *plot.Plot, names []string) {
	step := 1
	if len(names) > 14 {
		step = (len(names) + 13) / 14
	}
	var ticks []plot.Tick
	for i, n := range names {
		if i%step == 0 {
			ticks = append(ticks, plot.Tick{Value: float64(i), Label: n})
		}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = -0.6, float64(len(names))-0.4
}

func complianceChart(r Report) (*plot.Plot, error) {
	p := newPlot("% met")
	p.Y.Min, p.Y.Max = 0, 125 // room above 100% for the legend
	names := make([]string, len(r.ByWeek))
	for i, w := range r.ByWeek {
		names[i] = w.Key
	}
	labelled(p, names)
	for i, s := range []struct {
		name string
		of   func(Row) Compliance
	}{
		{"acknowledge", func(r Row) Compliance { return r.Ack }},
		{"resolution", func(r Row) Compliance { return r.Resolution }},
		{"ES clock", func(r Row) Compliance { return r.ESClock }},
	} {
		var pts plotter.XYs
		for x, w := range r.ByWeek {
			if c := s.of(w); c.Percent != nil {
				pts = append(pts, plotter.XY{X: float64(x), Y: *c.Percent})
			}
		}
		if len(pts) == 0 {
			continue
		}
		line, points, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		line.Color, points.Color = palette[i], palette[i]
		line.Width = vg.Points(2)
		p.Add(line, points)
		p.Legend.Add(s.name, line, points)
	}
	return p, nil
}

func bars(values []float64, width vg.Length, offset vg.Length, c color.Color) (*plotter.BarChart, error) {
	b, err := plotter.NewBarChart(plotter.Values(values), width)
	if err != nil {
		return nil, err
	}
	b.Color, b.LineStyle.Width, b.Offset = c, 0, offset
	return b, nil
}

func backlogChart(r Report) (*plot.Plot, error) {
	p := newPlot("open tickets")
	names := make([]string, len(r.Backlog))
	values := make([]float64, len(r.Backlog))
	for i, c := range r.Backlog {
		names[i], values[i] = c.Key, float64(c.Count)
	}
	labelled(p, names)
	b, err := bars(values, vg.Points(40), 0, palette[0])
	if err != nil {
		return nil, err
	}
	p.Add(b)
	p.Y.Min = 0
	return p, nil
}

func resolveChart(r Report) (*plot.Plot, error) {
	p := newPlot("tickets")
	if len(r.ResolveBy) == 0 {
		return p, nil
	}
	names := make([]string, len(r.ResolveBy[0].Bins))
	for i, b := range r.ResolveBy[0].Bins {
		names[i] = b.Key
	}
	labelled(p, names)
	w := vg.Points(9)
	for i, h := range r.ResolveBy {
		values := make([]float64, len(h.Bins))
		for j, b := range h.Bins {
			values[j] = float64(b.Count)
		}
		b, err := bars(values, w, w*vg.Length(float64(i)-float64(len(r.ResolveBy)-1)/2), palette[i%len(palette)])
		if err != nil {
			return nil, err
		}
		p.Add(b)
		p.Legend.Add(h.Priority, b)
	}
	p.Y.Min = 0
	return p, nil
}

func esChart(r Report) (*plot.Plot, error) {
	p := newPlot("submissions")
	days := r.ES.Days
	names := make([]string, len(days))
	submitted := make([]float64, len(days))
	reported := make([]float64, len(days))
	var discrepancies plotter.XYs
	for i, d := range days {
		names[i] = d.Date[5:] // MM-DD
		submitted[i], reported[i] = float64(d.Submitted), float64(d.ESRows)
		if d.Reported {
			discrepancies = append(discrepancies, plotter.XY{X: float64(i), Y: float64(d.Discrepancies)})
		}
	}
	labelled(p, names)
	w := vg.Points(max(2, min(14, 220/float64(max(1, len(days))))))
	sb, err := bars(submitted, w, -w/2, palette[0])
	if err != nil {
		return nil, err
	}
	eb, err := bars(reported, w, w/2, palette[2])
	if err != nil {
		return nil, err
	}
	p.Add(sb, eb)
	p.Legend.Add("vets.gov submitted", sb)
	p.Legend.Add("ES reported", eb)
	if len(discrepancies) > 0 {
		line, points, err := plotter.NewLinePoints(discrepancies)
		if err != nil {
			return nil, err
		}
		line.Color, points.Color = palette[1], palette[1]
		p.Add(line, points)
		p.Legend.Add("discrepancies", line, points)
	}
	p.Y.Min = 0
	return p, nil
}
