// Package deploy holds what runs hcaops in production besides its programs: the Temporal
// server's dynamic configuration and schema script, Prometheus's scrape configuration and
// the Grafana dashboard. These tests check that docker-compose.yml, scripts/cluster.sh and
// these files agree with each other. `make compose-config` validates the compose file
// with docker-compose itself.
package deploy

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	"gopkg.in/yaml.v3"

	"github.com/hcaops/hcaops/workflows"
)

type compose struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Profiles    []string          `yaml:"profiles"`
		Scale       int               `yaml:"scale"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		Secrets     []string          `yaml:"secrets"`
		Command     any               `yaml:"command"`
		Build       any               `yaml:"build"`
		Ports       []string          `yaml:"ports"`
	} `yaml:"services"`
	Secrets map[string]struct {
		File string `yaml:"file"`
	} `yaml:"secrets"`
}

func readCompose(t *testing.T) compose {
	t.Helper()
	data, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return c
}

func port(t *testing.T, addr string) string {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("address %q: %v", addr, err)
	}
	return p
}

// TestComposeHasTheProductionShape: without a profile, compose starts PostgreSQL, the
// schema setup, a 4-shard Temporal server on it, the UI wired to the codec server, the codec
// server, two workers and Prometheus; the dev-server demo is a profile of its own.
func TestComposeHasTheProductionShape(t *testing.T) {
	c := readCompose(t)
	for _, name := range []string{"postgres", "temporal-schema", "temporal", "temporal-namespace", "temporal-ui", "codec-server", "worker", "prometheus", "fakes"} {
		s, ok := c.Services[name]
		if !ok {
			t.Fatalf("no service %s", name)
		}
		if len(s.Profiles) != 0 {
			t.Errorf("service %s is in profiles %v; the production shape starts without one", name, s.Profiles)
		}
	}
	for _, name := range []string{"temporal-dev", "ui-demo", "codec-server-demo", "worker-demo", "demo"} {
		if s, ok := c.Services[name]; !ok || !slices.Equal(s.Profiles, []string{"demo"}) {
			t.Errorf("demo service %s: present %v, profiles %v", name, ok, s.Profiles)
		}
	}
	temporal := c.Services["temporal"].Environment
	if temporal["DB"] != "postgres12" || temporal["NUM_HISTORY_SHARDS"] != "4" || temporal["POSTGRES_SEEDS"] != "postgres" {
		t.Errorf("temporal server environment %v", temporal)
	}
	if w := c.Services["worker"]; w.Scale != 2 || w.Environment["TEMPORAL_ADDRESS"] != "temporal:7233" {
		t.Errorf("worker: scale %d, environment %v", w.Scale, w.Environment)
	}
	for name, s := range c.Services {
		for _, secret := range s.Secrets {
			if _, ok := c.Secrets[secret]; !ok {
				t.Errorf("service %s uses the undeclared secret %s", name, secret)
			}
		}
	}
}

// TestComposeMountsFilesThatExist: every file compose mounts from the repository is there.
func TestComposeMountsFilesThatExist(t *testing.T) {
	c := readCompose(t)
	mounted := 0
	for name, s := range c.Services {
		for _, v := range s.Volumes {
			src, _, _ := strings.Cut(v, ":")
			if !strings.HasPrefix(src, "./") {
				continue // a named volume
			}
			mounted++
			if _, err := os.Stat(filepath.Join("..", src)); err != nil {
				t.Errorf("service %s mounts %s: %v", name, src, err)
			}
		}
	}
	if mounted < 3 {
		t.Fatalf("%d files mounted; expected the schema script, dynamic config and Prometheus config", mounted)
	}
}

// TestPrometheusScrapesTheWorkersAndTheServer: the scrape targets are the ports compose
// gives the workers' /metrics and the server's metrics endpoint.
func TestPrometheusScrapesTheWorkersAndTheServer(t *testing.T) {
	data, err := os.ReadFile("prometheus/prometheus.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		ScrapeConfigs []struct {
			JobName     string `yaml:"job_name"`
			MetricsPath string `yaml:"metrics_path"`
			DNSSD       []struct {
				Names []string `yaml:"names"`
				Type  string   `yaml:"type"`
				Port  int      `yaml:"port"`
			} `yaml:"dns_sd_configs"`
			Static []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("prometheus.yml: %v", err)
	}
	c := readCompose(t)
	workerPort := port(t, c.Services["worker"].Environment["HCAOPS_HEALTH_ADDR"])
	serverPort := port(t, c.Services["temporal"].Environment["PROMETHEUS_ENDPOINT"])
	jobs := map[string]bool{}
	for _, sc := range cfg.ScrapeConfigs {
		jobs[sc.JobName] = true
		if sc.MetricsPath != "" && sc.MetricsPath != "/metrics" {
			t.Errorf("job %s scrapes %s", sc.JobName, sc.MetricsPath)
		}
		switch sc.JobName {
		case "hcaops-worker":
			if len(sc.DNSSD) != 1 || !slices.Equal(sc.DNSSD[0].Names, []string{"worker"}) || sc.DNSSD[0].Type != "A" ||
				sc.DNSSD[0].Port == 0 || workerPort != strconv.Itoa(sc.DNSSD[0].Port) {
				t.Errorf("hcaops-worker job %+v; workers serve on port %s", sc.DNSSD, workerPort)
			}
		case "temporal-server":
			if len(sc.Static) != 1 || !slices.Equal(sc.Static[0].Targets, []string{"temporal:" + serverPort}) {
				t.Errorf("temporal-server job %+v; the server serves metrics on port %s", sc.Static, serverPort)
			}
		}
	}
	if !jobs["hcaops-worker"] || !jobs["temporal-server"] {
		t.Fatalf("jobs %v", jobs)
	}
}

// TestDashboardIsWellFormed: Grafana can import it. (integration's metrics test checks
// that it queries only metrics the worker exports.)
func TestDashboardIsWellFormed(t *testing.T) {
	data, err := os.ReadFile("grafana/hcaops.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		UID        string `json:"uid"`
		Title      string `json:"title"`
		Templating struct {
			List []struct {
				Name, Type, Query string
			} `json:"list"`
		} `json:"templating"`
		Panels []struct {
			ID         int    `json:"id"`
			Type       string `json:"type"`
			Title      string `json:"title"`
			Datasource struct {
				Type string `json:"type"`
				UID  string `json:"uid"`
			} `json:"datasource"`
			GridPos struct{ H, W, X, Y int } `json:"gridPos"`
			Targets []struct {
				RefID string `json:"refId"`
				Expr  string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if dash.UID == "" || dash.Title == "" || len(dash.Templating.List) != 1 || dash.Templating.List[0].Query != "prometheus" {
		t.Fatalf("dashboard header: uid %q title %q templating %+v", dash.UID, dash.Title, dash.Templating)
	}
	ids := map[int]bool{}
	graphs := 0
	for _, p := range dash.Panels {
		if ids[p.ID] {
			t.Errorf("panel id %d twice", p.ID)
		}
		ids[p.ID] = true
		if p.GridPos.W <= 0 || p.GridPos.H <= 0 || p.GridPos.X+p.GridPos.W > 24 {
			t.Errorf("panel %q does not fit the 24-column grid: %+v", p.Title, p.GridPos)
		}
		if p.Type == "row" {
			continue
		}
		graphs++
		if p.Datasource.Type != "prometheus" || p.Datasource.UID != "${datasource}" {
			t.Errorf("panel %q reads from %+v, not the dashboard's Prometheus", p.Title, p.Datasource)
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, q := range p.Targets {
			if q.RefID == "" || strings.TrimSpace(q.Expr) == "" || strings.Count(q.Expr, "(") != strings.Count(q.Expr, ")") {
				t.Errorf("panel %q: query %+v", p.Title, q)
			}
		}
	}
	if graphs < 10 {
		t.Fatalf("%d panels", graphs)
	}
}

// TestSearchAttributesFitPostgresVisibility: SQL visibility has a fixed number of custom
// search attribute columns per type in each namespace (schema/postgresql/v12/visibility of
// the server release: Keyword01-10, and 01-03 of every other type). A search attribute past
// them cannot be registered on the cluster, although the dev server takes it.
func TestSearchAttributesFitPostgresVisibility(t *testing.T) {
	columns := map[enumspb.IndexedValueType]int{
		enumspb.INDEXED_VALUE_TYPE_KEYWORD: 10, enumspb.INDEXED_VALUE_TYPE_INT: 3, enumspb.INDEXED_VALUE_TYPE_BOOL: 3,
		enumspb.INDEXED_VALUE_TYPE_DATETIME: 3, enumspb.INDEXED_VALUE_TYPE_DOUBLE: 3, enumspb.INDEXED_VALUE_TYPE_TEXT: 3,
		enumspb.INDEXED_VALUE_TYPE_KEYWORD_LIST: 3,
	}
	used := map[enumspb.IndexedValueType][]string{}
	for _, k := range workflows.SearchAttributeKeys {
		used[k.GetValueType()] = append(used[k.GetValueType()], k.GetName())
	}
	for typ, names := range used {
		if len(names) > columns[typ] {
			t.Errorf("%d %s search attributes %v; PostgreSQL visibility has %d", len(names), typ, names, columns[typ])
		}
	}
}
