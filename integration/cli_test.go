package integration

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// result is what a program printed and how it exited.
type result struct {
	out, err string
	code     int
}

// program runs one of the built binaries against the dev server, as an operator would.
func program(t *testing.T, name string, args ...string) result {
	t.Helper()
	return programWith(t, nil, name, args...)
}

// programWith runs a program with some of programEnv's variables replaced ("" unsets).
func programWith(t *testing.T, override map[string]string, name string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, env.bin+"/"+name, args...)
	// Another working directory and no HCAOPS_REPORTS_DIR: like an operator's own
	// machine, which reaches Temporal and nothing of the worker's disk.
	cmd.Dir = t.TempDir()
	for _, kv := range cmd.Environ() {
		if !strings.HasPrefix(kv, "HCAOPS_REPORTS_DIR=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range programEnv() {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	for k, v := range override {
		cmd.Env = append(cmd.Env, k+"="+v) // the last value of a variable wins
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return result{out: out.String(), err: errOut.String(), code: code}
}

// ok runs a program and fails the test unless it succeeds.
func ok(t *testing.T, name string, args ...string) string {
	t.Helper()
	r := program(t, name, args...)
	if r.code != 0 {
		t.Fatalf("%s %s: exit %d\n%s%s", name, strings.Join(args, " "), r.code, r.out, r.err)
	}
	return r.out
}

// refused runs an action that must be rejected, and returns the explanation.
func refused(t *testing.T, args ...string) string {
	t.Helper()
	r := program(t, "ticketctl", args...)
	if r.code == 0 {
		t.Fatalf("ticketctl %s: accepted, want refused\n%s", strings.Join(args, " "), r.out)
	}
	return r.err
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, within)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
