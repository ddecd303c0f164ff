package integration

import (
	"context"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// freeAddr is a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startWorker runs the worker program with extra environment; its log is returned.
func startWorker(t *testing.T, extraEnv ...string) (addr string, logs *syncBuffer, done chan error, cmd *exec.Cmd) {
	t.Helper()
	addr = freeAddr(t)
	cmd = exec.Command(env.bin + "/worker")
	cmd.Env = append(cmd.Environ(), "TEMPORAL_ADDRESS="+env.hostPort, "HCAOPS_HEALTH_ADDR="+addr,
		"SDM_URL="+env.sdmURL, "SDM_USERNAME=hcaops", "SDM_PASSWORD=secret")
	cmd.Env = append(cmd.Env, extraEnv...)
	logs = &syncBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done = make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return addr, logs, done, cmd
}

// get answers the status and body of GET url, or 0 when nothing answers.
func get(url string) (int, string) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestWorkerBinaryServesProbesAndStopsGracefully runs the real worker program: it must
// register on the server, answer /healthz and /readyz, serve the SDK's metrics, log JSON,
// and exit 0 on SIGTERM.
func TestWorkerBinaryServesProbesAndStopsGracefully(t *testing.T) {
	addr, logs, done, cmd := startWorker(t)
	var body string
	eventually(t, 20*time.Second, "worker readiness endpoint answers 200", func() bool {
		var code int
		code, body = get("http://" + addr + "/readyz")
		return code == http.StatusOK
	})
	if !strings.Contains(body, `"temporal":"ok"`) || !strings.Contains(body, `"serviceDesk":"ok"`) {
		t.Fatalf("readiness body %q", body)
	}
	if code, body := get("http://" + addr + "/healthz"); code != http.StatusOK || !strings.Contains(body, `"status":"ok"`) {
		t.Fatalf("health: %d %q", code, body)
	}
	// The SDK's metrics appear as soon as the worker polls.
	eventually(t, 20*time.Second, "the SDK's metrics at /metrics", func() bool {
		code, body := get("http://" + addr + "/metrics")
		return code == http.StatusOK && strings.Contains(body, "temporal_num_pollers{") &&
			strings.Contains(body, "temporal_request_total{") && strings.Contains(body, "go_goroutines ")
	})
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("worker exited with %v after SIGTERM\n%s", err, logs.String())
		}
	case <-ctx.Done():
		t.Fatal("worker did not stop after SIGTERM")
	}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if !strings.HasPrefix(line, "{") {
			t.Fatalf("worker log line is not JSON: %q", line)
		}
	}
	if !strings.Contains(logs.String(), `"message":"worker started"`) || !strings.Contains(logs.String(), `"message":"shutting down"`) {
		t.Fatalf("worker logs lack start/stop lines:\n%s", logs.String())
	}
}

// TestWorkerNotReadyWhileTheServiceDeskIsDown: with the system of record unreachable the
// worker stays alive (/healthz 200: no restart would help) but is not ready (/readyz 503,
// naming the desk), and the readiness probe created nothing in the desk.
func TestWorkerNotReadyWhileTheServiceDeskIsDown(t *testing.T) {
	deskDown := "http://" + freeAddr(t)
	addr, _, _, _ := startWorker(t, "SDM_URL="+deskDown, "HCAOPS_GAUGES_EVERY=off")
	var body string
	eventually(t, 20*time.Second, "worker readiness endpoint answers 503", func() bool {
		var code int
		code, body = get("http://" + addr + "/readyz")
		return code == http.StatusServiceUnavailable
	})
	if !strings.Contains(body, `"temporal":"ok"`) || !strings.Contains(body, `"serviceDesk":"unreachable: `) {
		t.Fatalf("readiness body %q", body)
	}
	if code, _ := get("http://" + addr + "/healthz"); code != http.StatusOK {
		t.Fatalf("liveness with the desk down: %d", code)
	}

	// On a desk that is up, the probe finds nothing and creates nothing.
	up, _, _, _ := startWorker(t, "HCAOPS_GAUGES_EVERY=off")
	for range 3 {
		eventually(t, 20*time.Second, "worker ready", func() bool { code, _ := get("http://" + up + "/readyz"); return code == http.StatusOK })
	}
	if inc, found := sdmIncident("hcaops-readiness-probe"); found {
		t.Fatalf("the readiness probe created an incident: %+v", inc)
	}
}
