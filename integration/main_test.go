// Package integration runs hcaops against a real Temporal dev server (the CLI that
// `make test` installs into bin/), or the existing server HCAOPS_TEST_TEMPORAL_ADDRESS names
// (`make test-cluster`), with the fake SDM over HTTP, an in-process worker, and the
// starter and ticketctl binaries built from this tree. Nothing here skips: without the
// server the tests fail.
package integration

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/enrollment/esfake"
	"github.com/hcaops/hcaops/internal/app"
	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/internal/metrics"
	"github.com/hcaops/hcaops/internal/payloadcodec"
	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/servicedesk/dynamics/dynamicsfake"
	"github.com/hcaops/hcaops/servicedesk/sdm/sdmfake"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/ticketclient"
	"github.com/hcaops/hcaops/workflows"
)

// env is shared by every test of the package.
var env struct {
	client     client.Client
	hostPort   string
	namespace  string // default on the dev server; a namespace of the run's own on an existing server
	sdm        *sdmfake.Fake
	sdmURL     string
	dyn        *dynamicsfake.Fake
	dynURL     string
	es         *esfake.Fake
	esURL      string
	reports    string // the worker's file copies of reports, never given to the programs
	logs       syncBuffer
	bin        string // folder with the starter, ticketctl, esctl, worker, reportctl and codecserver binaries
	ops        ticketclient.Client
	mail       *relayHolder      // the go-smtp relay, requiring STARTTLS and AUTH as production does
	metrics    *metrics.Registry // the in-process worker's, served at metricsURL
	metricsURL string
	keys       string     // the payload key ring of this run, generated here (HCAOPS_PAYLOAD_KEYS)
	keyID      string     // the ID of its one key
	esWire     syncBuffer // every SOAP request the fake ES received, as sent
	stopGauges func()     // benchmarks stop the every-second gauge sampling (below)
}

// testPolicy keeps the real targets except Urgent, which breaches in seconds so the
// breach path runs on the real server. The programs get the same through urgentEnv.
func testPolicy() ticket.Policy {
	p := ticket.DefaultPolicy()
	p.Resolution[ticket.PriorityUrgent] = 4 * time.Second
	p.ES[ticket.PriorityUrgent] = 4 * time.Second
	return p
}

// programEnv is the environment of the worker and of every program the tests run: the
// fakes, fast ES retries and status checks, and the Urgent targets of testPolicy.
func programEnv() map[string]string {
	return map[string]string{
		"TEMPORAL_ADDRESS": env.hostPort, "TEMPORAL_NAMESPACE": env.namespace, "HCAOPS_ACTOR": "it-operator",
		"SDM_URL": env.sdmURL, "SDM_USERNAME": "hcaops", "SDM_PASSWORD": "secret", "ES_URL": env.esURL,
		"HCAOPS_SLA_RESOLUTION_URGENT": "4s", "HCAOPS_SLA_ES_URGENT": "4s",
		"HCAOPS_ES_RETRY_INITIAL": "100ms", "HCAOPS_ES_RETRY_MAX": "500ms", "HCAOPS_ES_RETRY_ATTEMPTS": "8",
		"HCAOPS_ES_STATUS_EVERY": "200ms", "HCAOPS_REPORT_DUE_AFTER": "2s", "HCAOPS_REPORT_RETRY_EVERY": "500ms",
		"HCAOPS_CONNECTIVITY_FAILURES": "3",
		// The tests drive the checks themselves (ConnectivityCheckWorkflow) or wait for the
		// monitor's own (TestMonitorChecksESItself sets its interval).
		"HCAOPS_CONNECTIVITY_EVERY": "1h",
		"HCAOPS_SMTP_ADDR":          env.mail.addr, "HCAOPS_SMTP_STARTTLS": "true", "HCAOPS_SMTP_CA_FILE": env.mail.caFile,
		"HCAOPS_SMTP_USERNAME": relayUser, "HCAOPS_SMTP_PASSWORD": relayPassword, "HCAOPS_SMTP_FROM": "hcaops <noreply@hcaops.example>",
		"HCAOPS_DIRECTORY": env.mail.directory, "HCAOPS_PAYLOAD_KEYS": env.keys,
		// Both desks, as during the move to Dynamics; SDM is the desk of new tickets.
		"HCAOPS_DESKS": "sdm,dynamics", "DYNAMICS_URL": env.dynURL, "DYNAMICS_TOKEN_URL": env.dynURL + dynamicsfake.FakeTokenPath,
		"DYNAMICS_CLIENT_ID": "hcaops", "DYNAMICS_CLIENT_SECRET": "secret",
		// A short overlap keeps the tests' polls small; intake looks back a minute.
		"SDM_POLL_OVERLAP": "3s", "HCAOPS_INTAKE_LOOKBACK": "1m",
	}
}

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "integration:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Every log line of the worker is kept, so tests can check that no PII reached it.
	logger := zerolog.New(io.MultiWriter(os.Stderr, &env.logs)).Level(zerolog.InfoLevel)
	// The in-process worker measures as the worker program does.
	var err error
	env.metrics, err = metrics.New(logger)
	if err != nil {
		return 0, err
	}
	server, err := startServer(ctx, client.Options{Logger: logging.SDK{L: logger}, MetricsHandler: env.metrics.Handler})
	if err != nil {
		return 0, err
	}
	code := 1
	defer func() { server.stop(code == 0) }()
	env.hostPort, env.namespace = server.hostPort, server.namespace
	// The tests, the in-process worker and the programs share one key ring, made for this run.
	// Its key ID is unique, so that on a shared server its payloads are told from other runs'.
	env.keyID = fmt.Sprintf("it-%d", time.Now().UnixNano())
	if env.keys, err = payloadcodec.NewKeyEntry(env.keyID); err != nil {
		return 0, err
	}

	env.sdm = sdmfake.NewFake("hcaops", "secret")
	env.sdm.AddUser("hrc-agent-3", "pw") // a person working in SDM
	srv := httptest.NewServer(env.sdm.Handler())
	defer srv.Close()
	env.sdmURL = srv.URL
	env.dyn = dynamicsfake.NewFake("hcaops", "secret")
	dynSrv := httptest.NewServer(env.dyn.Handler())
	defer dynSrv.Close()
	env.dynURL = dynSrv.URL
	env.es = esfake.New()
	esSrv := httptest.NewServer(tapBodies(&env.esWire, env.es.Handler()))
	defer esSrv.Close()
	env.esURL = esSrv.URL + "/voa/voaSvc"
	metricsSrv := httptest.NewServer(env.metrics.HTTPHandler())
	defer metricsSrv.Close()
	env.metricsURL = metricsSrv.URL

	dir, err := os.MkdirTemp("", "hcaops-bin")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	env.reports = filepath.Join(dir, "reports")
	if env.mail, err = startRelay(dir); err != nil {
		return 0, err
	}
	defer env.mail.stop()
	// The worker and the programs read the same settings, as in `make run`.
	for k, v := range programEnv() {
		os.Setenv(k, v)
	}
	// The one client constructor every program uses, so the tests' client encrypts too (the
	// server's own client only sets up and removes the run's namespace).
	if env.client, err = temporalclient.Dial(logger, temporalclient.WithMetrics(env.metrics.Handler)); err != nil {
		return 0, err
	}
	defer env.client.Close()
	if err := temporalclient.EnsureSearchAttributes(ctx, env.client, workflows.SearchAttributeKeys); err != nil {
		return 0, err
	}
	if err := awaitSearchAttributes(ctx); err != nil {
		return 0, err
	}
	cfg, err := config.Load()
	if err != nil {
		return 0, err
	}
	// The worker keeps file copies of reports; the programs never see that folder, as an
	// operator on another machine would not.
	cfg.ES.ReportsDir = env.reports
	acts, err := app.NewActivities(cfg, env.client, env.namespace, logger)
	if err != nil {
		return 0, err
	}
	w := worker.New(env.client, workflows.TaskQueue, worker.Options{})
	app.Register(w, acts)
	w.RegisterWorkflow(BareWorkflow) // the yardstick of issue 9 (bare_test.go)
	w.RegisterWorkflow(FloorWorkflow)
	if err := w.Start(); err != nil {
		return 0, err
	}
	defer w.Stop()
	if err := app.EnsureMonitor(ctx, env.client, cfg); err != nil {
		return 0, err
	}
	build := exec.CommandContext(ctx, "go", "build", "-o", dir+"/", "../starter", "../ticketctl", "../esctl", "../worker", "../reportctl", "../codecserver")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return 0, fmt.Errorf("build the programs: %w", err)
	}
	env.bin = dir
	env.ops = ticketclient.Client{Client: env.client, Namespace: env.namespace, UIURL: "http://localhost:8233", Policy: testPolicy()}
	// The gauges are sampled every second here (a minute in the worker program), so the
	// metrics tests see them soon. Each sample lists the open tickets, a visibility read
	// that shares the dev server's one SQLite connection with every write: benchmarks stop
	// it (tests run before benchmarks), as a worker samples once a minute.
	gctx, stopGauges := context.WithCancel(context.Background())
	defer stopGauges()
	env.stopGauges = stopGauges
	go (&metrics.Gauges{Tickets: env.ops, Client: env.client, Handler: env.metrics.Handler, Logger: logger}).Run(gctx, time.Second)
	code = m.Run()
	return code, nil
}

// awaitSearchAttributes waits until the server accepts queries on hcaops's search
// attributes: a cluster's frontends learn of new ones when they refresh their cache.
func awaitSearchAttributes(ctx context.Context) error {
	q := "TicketRef = 'probe' AND SubmittedDate = 'probe' AND SLABreached = false"
	for {
		_, err := env.client.CountWorkflow(ctx, countRequest(q))
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("search attributes not usable: %w", err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// tapBodies copies every request body into wire before h reads it, so a test can check
// what reached an external system (the decrypted form must reach ES, and only ES).
func tapBodies(wire *syncBuffer, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		_, _ = wire.Write(body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	})
}

// syncBuffer is a bytes.Buffer that the worker's goroutines can write to at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
