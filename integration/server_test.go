package integration

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"
	"google.golang.org/protobuf/types/known/durationpb"
)

// existingServerEnv names a running Temporal server to test against instead of a dev
// server of the tests' own, e.g. the cluster `make cluster` runs (see `make test-cluster`).
const existingServerEnv = "HCAOPS_TEST_TEMPORAL_ADDRESS"

// testServer is the Temporal server of a test run.
type testServer struct {
	client    client.Client
	hostPort  string
	namespace string
	// stop releases the server: the dev server stops; on an existing server the run's
	// namespace is deleted if every test passed, and kept for a look otherwise.
	stop func(passed bool)
}

func startServer(ctx context.Context, opts client.Options) (testServer, error) {
	if addr := os.Getenv(existingServerEnv); addr != "" {
		return useExistingServer(ctx, addr, opts)
	}
	cli := os.Getenv("HCAOPS_TEMPORAL_CLI")
	if cli == "" {
		cli = "../bin/temporal"
	}
	cli, _ = filepath.Abs(cli)
	if _, err := os.Stat(cli); err != nil {
		return testServer{}, fmt.Errorf("the Temporal CLI is missing at %s: run `make test`, which installs it (%w)", cli, err)
	}
	dev, err := testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath:  cli,
		ClientOptions: &opts,
		LogLevel:      "error",
		Stdout:        os.Stderr, Stderr: os.Stderr,
	})
	if err != nil {
		return testServer{}, fmt.Errorf("start the Temporal dev server: %w", err)
	}
	return testServer{client: dev.Client(), hostPort: dev.FrontendHostPort(), namespace: "default",
		stop: func(bool) { _ = dev.Stop() }}, nil
}

// useExistingServer gives the run a namespace of its own on the server at addr: the
// server's own workers (which serve the namespace default on the same task queue) never
// take the tests' tasks, and visibility counts start from zero as on a fresh dev server.
func useExistingServer(ctx context.Context, addr string, opts client.Options) (testServer, error) {
	ns := fmt.Sprintf("hcaops-it-%d", time.Now().Unix())
	opts.HostPort, opts.Namespace = addr, ns
	c, err := client.Dial(opts)
	if err != nil {
		return testServer{}, fmt.Errorf("connect to the Temporal server at %s (%s): %w", addr, existingServerEnv, err)
	}
	_, err = c.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace: ns, Description: "hcaops integration tests", WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour),
	})
	var exists *serviceerror.NamespaceAlreadyExists
	if err != nil && !errors.As(err, &exists) {
		c.Close()
		return testServer{}, fmt.Errorf("register the namespace %s on %s: %w", ns, addr, err)
	}
	// Frontends learn of a new namespace when they refresh their cache.
	for {
		_, err := c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: ns})
		if err == nil {
			break
		}
		select {
		case <-ctx.Done():
			c.Close()
			return testServer{}, fmt.Errorf("namespace %s not usable on %s: %w", ns, addr, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
	fmt.Fprintf(os.Stderr, "integration: testing against %s in the namespace %s\n", addr, ns)
	return testServer{client: c, hostPort: addr, namespace: ns, stop: func(passed bool) {
		defer c.Close()
		if !passed {
			fmt.Fprintf(os.Stderr, "integration: kept the namespace %s on %s for a look\n", ns, addr)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := c.OperatorService().DeleteNamespace(ctx, &operatorservice.DeleteNamespaceRequest{Namespace: ns}); err != nil {
			fmt.Fprintf(os.Stderr, "integration: delete the namespace %s: %v\n", ns, err)
		}
	}}, nil
}

// TestNoTestNamesTheDefaultNamespace keeps the suite runnable on an existing server, where
// it runs in a namespace of its own: a test that names "default" passes on the dev server
// and fails there. Use env.namespace.
func TestNoTestNamesTheDefaultNamespace(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("test sources: %v", err)
	}
	for _, f := range files {
		if f == "server_test.go" { // where the dev server's namespace is chosen
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, `"default"`) || strings.Contains(line, "/namespaces/default/") {
				t.Errorf("%s:%d names the namespace default: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}
