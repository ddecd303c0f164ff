package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// withHostileSummary puts markup and a spreadsheet formula in the summary of the ticket
// open over 30 days, as an agent could have typed them.
func withHostileSummary(t *testing.T) Report {
	in := fixtureInput(t)
	for i := range in.Tickets {
		if in.Tickets[i].Ref == "HRC-G" {
			in.Tickets[i].Summary = "=HYPERLINK(\"http://x\") <script>alert(1)</script> \x00bell"
		}
	}
	r, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestHTMLReportIsSelfContainedWithFourCharts(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTML(&b, withHostileSummary(t)); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	svgs, figures := map[string]int{}, 0
	var walk func(n *html.Node, figure string)
	walk = func(n *html.Node, figure string) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "link", "iframe", "img", "object", "embed":
				t.Errorf("the page has a <%s> element: it must open offline with nothing fetched", n.Data)
			case "figure":
				figures++
				for _, a := range n.Attr {
					if a.Key == "id" {
						figure = a.Val
					}
				}
			case "svg":
				svgs[figure]++
				paths := 0
				var count func(*html.Node)
				count = func(c *html.Node) {
					if c.Type == html.ElementNode && c.Data == "path" {
						paths++
					}
					for k := c.FirstChild; k != nil; k = k.NextSibling {
						count(k)
					}
				}
				count(n)
				if paths < 5 {
					t.Errorf("chart %s draws %d paths", figure, paths)
				}
			}
			for _, a := range n.Attr {
				if a.Key == "src" || strings.HasPrefix(a.Key, "on") || (a.Key == "style" && strings.Contains(a.Val, "url(")) {
					t.Errorf("<%s %s=%q> would fetch or run something", n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, figure)
		}
	}
	walk(doc, "")
	for _, id := range []string{"chart-compliance", "chart-backlog", "chart-resolve", "chart-es"} {
		if svgs[id] != 1 {
			t.Errorf("figure %s holds %d svg, want 1", id, svgs[id])
		}
	}
	if figures != 4 {
		t.Errorf("%d figures, want 4", figures)
	}
	page := b.String()
	for _, bad := range []string{"<script>alert", "@import", "<?xml"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", `href="http://localhost:8233/namespaces/default/workflows/ticket-HRC-C"`,
		"Service report, 2026-11-30 to 2026-12-13", "75.0%"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.ContainsRune(page, 0) {
		t.Error("page holds a NUL from the summary")
	}
}

func TestCSVCellsCannotBecomeFormulas(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, withHostileSummary(t)); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(&b)
	cr.FieldsPerRecord = -1 // each table has its own width
	rows, err := cr.ReadAll()
	if err == nil {
		err = checkCSV(t, rows)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func checkCSV(t *testing.T, rows [][]string) error {
	tables := map[string]int{}
	for _, r := range rows {
		tables[r[0]]++
		for _, c := range r {
			if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
				t.Errorf("cell %q starts a formula", c)
			}
		}
		if r[0] == "open_over_30_days" && r[1] == "HRC-G" && !strings.HasPrefix(r[6], "'=HYPERLINK") {
			t.Errorf("summary cell %q, want it quoted", r[6])
		}
		if r[0] == "figures" && r[1] == "overall" && (r[3] != "7" || r[11] != "75") {
			t.Errorf("overall row %v, want 7 tickets and 75%% resolution", r)
		}
	}
	// Each table: its header row plus its rows.
	want := map[string]int{"figures": 1 + 1 + 4 + 3 + 4 + 2, "breaches": 3, "backlog": 6, "open_over_30_days": 2,
		"cancellations": 3, "es_days": 15, "es_status_mix": 6}
	for k, n := range want {
		if tables[k] != n {
			t.Errorf("table %s has %d rows, want %d", k, tables[k], n)
		}
	}
	return nil
}

func TestJSONKeepsTheFigures(t *testing.T) {
	b, err := json.Marshal(withHostileSummary(t))
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Tickets != 7 || *back.Overall.Resolution.Percent != 75 || len(back.Breaches) != 2 || back.ES.Days[1].ESRows != 3 {
		t.Fatalf("decoded %+v", back.Overall)
	}
}
