// Package scale measures hcaops with many open tickets (issue 9): the worker binary as it
// runs in production, against a Temporal server (a fresh dev server, or the one named by
// HCAOPS_SCALE_TEMPORAL_ADDRESS) and the fake desk over HTTP. It prints figures and never
// fails on a time: `make bench-scale N=10000`.
package scale

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/enrollment/esfake"
	"github.com/hcaops/hcaops/internal/metrics"
	"github.com/hcaops/hcaops/internal/payloadcodec"
	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/servicedesk/sdm/sdmfake"
	"github.com/hcaops/hcaops/ticket"
	"github.com/hcaops/hcaops/ticketclient"
	"github.com/hcaops/hcaops/workflows"
)

// The sizes measured: the reference population, then N (HCAOPS_SCALE_N, default 10,000).
const reference = 1000

// starters open tickets at once, as several intake paths and operators would.
const starters = 32

type rig struct {
	c        client.Client
	ns       string
	ops      ticketclient.Client
	health   string
	run      string
	opened   int
	acted    map[int]bool
	rnd      *rand.Rand
	sdm      *sdmfake.Fake
	baseline memory
}

type memory struct {
	HeapLiveBytes uint64 `json:"heapLiveBytes"`
	Goroutines    int    `json:"goroutines"`
	WorkflowCache int    `json:"workflowCache"`
}

type phase struct {
	size         int
	startRate    float64       // tickets started per second
	clearedAfter time.Duration // from the last start until every ticket had run its first task
	total        time.Duration // from the first start of the phase until then
	p50, p95     time.Duration // an operator's action, 1 operator
	p50x, p95x   time.Duration // an operator's action, 16 operators at once
	mem          memory
	gaugeSample  time.Duration // one sample of the open-ticket gauges (visibility counts)
	gaugeList    time.Duration // listing every open ticket instead, as the gauges did before
	load         string
}

func BenchmarkScale(b *testing.B) {
	n := envInt(b, "HCAOPS_SCALE_N", 10000)
	cache := envInt(b, "HCAOPS_STICKY_CACHE_SIZE", config.DefaultStickyCacheSize)
	for b.Loop() {
		r := newRig(b, cache)
		var phases []phase
		// The reference, every tenfold step on the way (10,000 on the way to 100,000), and N.
		sizes := []int{n}
		if n > reference {
			sizes = []int{reference}
			for s := reference * 10; s < n; s *= 10 {
				sizes = append(sizes, s)
			}
			sizes = append(sizes, n)
		}
		for _, size := range sizes {
			phases = append(phases, r.grow(b, size))
		}
		report(phases, r.baseline, cache)
	}
}

func newRig(b *testing.B, cache int) *rig {
	b.Helper()
	ctx := context.Background()
	addr, ns := os.Getenv("HCAOPS_SCALE_TEMPORAL_ADDRESS"), "default"
	if addr == "" {
		cli, _ := filepath.Abs(envStr("HCAOPS_TEMPORAL_CLI", "../../bin/temporal"))
		srv, err := testsuite.StartDevServer(ctx, testsuite.DevServerOptions{ExistingPath: cli, LogLevel: "error"})
		if err != nil {
			b.Fatalf("start the dev server: %v", err)
		}
		b.Cleanup(func() { _ = srv.Stop() })
		addr = srv.FrontendHostPort()
	}
	// Payloads are encrypted as in production: the worker and this client share a key.
	keys, err := payloadcodec.NewKeyEntry("scale")
	if err != nil {
		b.Fatal(err)
	}
	codec, err := payloadcodec.FromEnv(func(name string) (string, bool) {
		if name == payloadcodec.EnvKeys {
			return keys, true
		}
		return "", false
	})
	if err != nil {
		b.Fatal(err)
	}
	if os.Getenv("HCAOPS_SCALE_TEMPORAL_ADDRESS") != "" {
		// A server of its own workers (make cluster) serves "default": the run has its own.
		ns = fmt.Sprintf("hcaops-scale-%d", time.Now().Unix())
		registerNamespace(b, addr, ns)
	}
	c, err := client.Dial(client.Options{HostPort: addr, Namespace: ns, DataConverter: codec.DataConverter(),
		Logger: log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.Close)
	b.Setenv("TEMPORAL_NAMESPACE", ns) // EnsureSearchAttributes reads the namespace from the environment
	if err := temporalclient.EnsureSearchAttributes(ctx, c, workflows.SearchAttributeKeys); err != nil {
		b.Fatal(err)
	}
	desk := sdmfake.NewFake("hcaops", "secret")
	sdmSrv := httptest.NewServer(desk.Handler())
	b.Cleanup(sdmSrv.Close)
	es := httptest.NewServer(esfake.New().Handler())
	b.Cleanup(es.Close)

	dir := b.TempDir()
	build := exec.Command("go", "build", "-o", dir+"/", "../../worker")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		b.Fatalf("build the worker: %v", err)
	}
	health := freeAddr(b)
	w := exec.Command(filepath.Join(dir, "worker"))
	w.Env = append(os.Environ(), "TEMPORAL_ADDRESS="+addr, "TEMPORAL_NAMESPACE="+ns,
		"SDM_URL="+sdmSrv.URL, "SDM_USERNAME=hcaops", "SDM_PASSWORD=secret", "ES_URL="+es.URL+"/voa/voaSvc",
		payloadcodec.EnvKeys+"="+keys, "HCAOPS_HEALTH_ADDR="+health, "HCAOPS_STICKY_CACHE_SIZE="+strconv.Itoa(cache), "HCAOPS_LOG_LEVEL=warn",
		// Desk polls read every incident the desk changed, and the metrics gauges sample on
		// their own clock: neither is what the actions' figures measure (the gauges' sample
		// is timed apart).
		"HCAOPS_DESK_POLL_EVERY=24h", "HCAOPS_GAUGES_EVERY=off")
	logs, err := os.Create(filepath.Join(dir, "worker.log"))
	if err != nil {
		b.Fatal(err)
	}
	w.Stdout, w.Stderr = logs, logs
	if err := w.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = w.Process.Signal(syscall.SIGTERM)
		_ = w.Wait()
	})
	r := &rig{c: c, ns: ns, health: "http://" + health, run: strconv.FormatInt(time.Now().Unix()%100000, 10),
		acted: map[int]bool{}, rnd: rand.New(rand.NewPCG(1, 2)), sdm: desk,
		ops: ticketclient.Client{Client: c, Namespace: ns, UIURL: "http://localhost:8233", Policy: ticket.DefaultPolicy()}}
	deadline := time.Now().Add(time.Minute)
	for {
		if m, err := r.memory(); err == nil {
			r.baseline = m
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("the worker did not come up; its log is %s", logs.Name())
		}
		time.Sleep(200 * time.Millisecond)
	}
	return r
}

func (r *rig) ref(i int) string { return fmt.Sprintf("SCALE-%s-%d", r.run, i) }

// grow opens tickets up to size, escalated as they open so their clocks run, waits until
// the worker has run every one's first task, and measures actions and the worker there.
func (r *rig) grow(b *testing.B, size int) phase {
	ctx := context.Background()
	p := phase{size: size, load: loadAverage()}
	first := time.Now()
	var next atomic.Int64
	next.Store(int64(r.opened))
	var wg sync.WaitGroup
	errs := make(chan error, starters)
	for range starters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= size {
					return
				}
				_, err := r.ops.Open(ctx, ticket.NewTicket{Ref: r.ref(i), Channel: ticket.ChannelPhone, Product: ticket.ProductOnline1010EZ,
					Summary: "scale ticket", Priority: ticket.Priorities[i%len(ticket.Priorities)], Reporter: "hrc-agent-1"},
					ticket.Step{Action: ticket.ActEscalate, Request: ticket.Request{Actor: "scale", Comment: "escalated at intake"}})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	lastStart := time.Now()
	p.startRate = float64(size-r.opened) / lastStart.Sub(first).Seconds()
	r.opened = size
	for {
		resp, err := r.c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: r.ns,
			Query: "WorkflowType = 'TicketWorkflow' AND TicketStatus = 'Triage' AND ExecutionStatus = 'Running'"})
		if err != nil {
			b.Fatal(err)
		}
		if int(resp.Count)+len(r.acted) >= size {
			break
		}
		if time.Since(lastStart) > 2*time.Hour {
			b.Fatalf("backlog not cleared two hours after the last start: %d of %d", resp.Count, size)
		}
		time.Sleep(500 * time.Millisecond)
	}
	p.clearedAfter, p.total = time.Since(lastStart), time.Since(first)
	m, err := r.memory()
	if err != nil {
		b.Fatal(err)
	}
	p.mem = m
	p.p50, p.p95 = r.actions(b, 1, 200)
	p.p50x, p.p95x = r.actions(b, 16, 25)
	// The worker's gauges are off (they would sample while actions are timed); the harness
	// takes one sample of them itself, as a worker does every HCAOPS_GAUGES_EVERY.
	g := &metrics.Gauges{Tickets: r.ops, Client: r.c, Handler: client.MetricsNopHandler, Logger: zerolog.Nop()}
	t0 := time.Now()
	if err := g.Sample(ctx); err != nil {
		b.Fatal(err)
	}
	p.gaugeSample = time.Since(t0)
	// What a sample did before: list every open ticket and count the rows.
	t0 = time.Now()
	if _, err := r.ops.List(ctx, ticketclient.Filter{Open: true, Limit: 100_000}); err != nil {
		b.Fatal(err)
	}
	p.gaugeList = time.Since(t0)
	return p
}

// actions has ops operators each take per tickets, never acted on before and picked at
// random among the open ones (most are not in the worker's cache at scale), from triage
// to in progress, and returns the p50 and p95 of the wait.
func (r *rig) actions(b *testing.B, ops, per int) (time.Duration, time.Duration) {
	ctx := context.Background()
	var picks [][]int
	for range ops {
		var mine []int
		for len(mine) < per {
			i := r.rnd.IntN(r.opened)
			if !r.acted[i] {
				r.acted[i] = true
				mine = append(mine, i)
			}
		}
		picks = append(picks, mine)
	}
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	for _, mine := range picks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, i := range mine {
				t0 := time.Now()
				_, err := r.ops.Act(ctx, r.ref(i), ticket.ActStartFix, ticket.Request{Actor: "scale-operator"})
				d := time.Since(t0)
				if err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return percentile(lat, 50), percentile(lat, 95)
}

func (r *rig) memory() (memory, error) {
	resp, err := http.Get(r.health + "/debug/memory")
	if err != nil {
		return memory{}, err
	}
	defer resp.Body.Close()
	var m memory
	if resp.StatusCode != http.StatusOK {
		return m, fmt.Errorf("worker memory: %s", resp.Status)
	}
	return m, json.NewDecoder(resp.Body).Decode(&m)
}

func report(phases []phase, base memory, cache int) {
	fmt.Printf("\nhcaops at scale: open escalated tickets with running clocks (worker cache %d workflows)\n", cache)
	fmt.Printf("worker before any ticket: heap %.1f MiB, %d goroutines\n", mib(base.HeapLiveBytes), base.Goroutines)
	fmt.Printf("%-44s", "")
	for _, p := range phases {
		fmt.Printf(" %14d", p.size)
	}
	fmt.Println()
	row := func(name string, f func(p phase) string) {
		fmt.Printf("%-44s", name)
		for _, p := range phases {
			fmt.Printf(" %14s", f(p))
		}
		fmt.Println()
	}
	row("load average when the phase began", func(p phase) string { return p.load })
	row("start rate (tickets/s)", func(p phase) string { return fmt.Sprintf("%.0f", p.startRate) })
	row("backlog cleared after the last start", func(p phase) string { return p.clearedAfter.Round(100 * time.Millisecond).String() })
	row("phase, first start to cleared", func(p phase) string { return p.total.Round(100 * time.Millisecond).String() })
	row("action p50, 1 operator", func(p phase) string { return ms(p.p50) })
	row("action p95, 1 operator", func(p phase) string { return ms(p.p95) })
	row("action p50, 16 operators", func(p phase) string { return ms(p.p50x) })
	row("action p95, 16 operators", func(p phase) string { return ms(p.p95x) })
	row("worker heap after GC (MiB)", func(p phase) string { return fmt.Sprintf("%.1f", mib(p.mem.HeapLiveBytes)) })
	row("worker goroutines", func(p phase) string { return strconv.Itoa(p.mem.Goroutines) })
	row("open-ticket gauges, one sample (counts)", func(p phase) string { return ms(p.gaugeSample) })
	row("listing every open ticket instead", func(p phase) string { return ms(p.gaugeList) })
	row("tickets the cache can hold", func(p phase) string { return strconv.Itoa(min(p.size, cache)) })
	row("heap per cached ticket (KiB)", func(p phase) string {
		return fmt.Sprintf("%.1f", float64(p.mem.HeapLiveBytes-base.HeapLiveBytes)/float64(min(p.size, cache))/1024)
	})
	for _, z := range phases[1:] {
		a := phases[0]
		fmt.Printf("action p95 at %d / at %d: %.2f (1 operator), %.2f (16 operators)\n", z.size, a.size,
			float64(z.p95)/float64(a.p95), float64(z.p95x)/float64(a.p95x))
	}
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(p/100*float64(len(s))+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
func mib(n uint64) float64      { return float64(n) / (1 << 20) }

func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil || len(data) < 4 {
		return "?"
	}
	var one float64
	fmt.Sscanf(string(data), "%f", &one)
	return fmt.Sprintf("%.2f", one)
}

func envStr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive whole number", name, v)
	}
	return n
}

func freeAddr(b *testing.B) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// registerNamespace makes the run's namespace on an existing server and waits until the
// frontend knows it.
func registerNamespace(b *testing.B, addr, ns string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := client.Dial(client.Options{HostPort: addr, Logger: log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if _, err := c.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace: ns, Description: "hcaops scale benchmark", WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour),
	}); err != nil {
		b.Fatalf("register namespace %s: %v", ns, err)
	}
	for {
		if _, err := c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: ns}); err == nil {
			return
		}
		select {
		case <-ctx.Done():
			b.Fatalf("namespace %s not usable", ns)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
