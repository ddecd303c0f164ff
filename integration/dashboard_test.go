package integration

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
)

// metricName finds the metrics a PromQL expression reads (hcaops's and the SDK's).
var metricName = regexp.MustCompile(`\b(?:hcaops|temporal)_[a-zA-Z0-9_]+\b`)

// checkDashboard holds deploy/grafana/hcaops.json to what the worker exports: every
// metric its panels query is in the scrape (a histogram's _bucket, _sum and _count
// included), and every hcaops metric in the scrape has a panel.
func checkDashboard(t *testing.T, families map[string]*dto.MetricFamily) {
	t.Helper()
	data, err := os.ReadFile("../deploy/grafana/hcaops.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatalf("the dashboard is not JSON: %v", err)
	}
	exported := map[string]bool{}
	for name, f := range families {
		exported[name] = true
		if f.GetType() == dto.MetricType_HISTOGRAM {
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				exported[name+suffix] = true
			}
		}
	}
	used := map[string]bool{}
	for _, p := range dash.Panels {
		for _, target := range p.Targets {
			for _, name := range metricName.FindAllString(target.Expr, -1) {
				used[name] = true
				if !exported[name] {
					t.Errorf("panel %q queries %s, which the worker does not export", p.Title, name)
				}
			}
		}
	}
	var unshown []string
	for name := range families {
		if strings.HasPrefix(name, "hcaops_") && !used[name] {
			unshown = append(unshown, name)
		}
	}
	slices.Sort(unshown)
	if len(unshown) > 0 {
		t.Errorf("no dashboard panel shows %s", strings.Join(unshown, ", "))
	}
}
