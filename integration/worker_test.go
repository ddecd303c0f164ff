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

// TestWorkerBinaryServesHealthAndStopsGracefully runs the real worker program: it must
// register on the server, answer /healthz, log JSON, and exit 0 on SIGTERM.
func TestWorkerBinaryServesHealthAndStopsGracefully(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	cmd := exec.Command(env.bin + "/worker")
	cmd.Env = append(cmd.Environ(), "TEMPORAL_ADDRESS="+env.hostPort, "HCAOPS_HEALTH_ADDR="+addr,
		"SDM_URL="+env.sdmURL, "SDM_USERNAME=hcaops", "SDM_PASSWORD=secret")
	var logs strings.Builder
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	var body string
	eventually(t, 20*time.Second, "worker health endpoint answers 200", func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body = string(b)
		return resp.StatusCode == http.StatusOK
	})
	if !strings.Contains(body, `"status":"ok"`) {
		t.Fatalf("health body %q", body)
	}
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
