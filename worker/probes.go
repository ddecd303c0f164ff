package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/client"

	"github.com/hcaops/hcaops/servicedesk"
	"github.com/hcaops/hcaops/workflows"
)

// readinessProbeRef is a reference no ticket has: looking it up reads the desk and creates
// nothing, whatever the answer.
const readinessProbeRef = "hcaops-readiness-probe"

// serveProbes answers an orchestrator and Prometheus on one address:
//
//	GET /healthz  liveness: 200 while the process serves requests; restart it otherwise
//	GET /readyz   readiness: 200 when Temporal and the system of record both answer, else
//	              503 naming what does not (take the replica out of rotation, do not restart it)
//	GET /metrics  Prometheus metrics (the SDK's and hcaops's)
func serveProbes(addr string, c client.Client, desk servicedesk.Desk, metrics http.Handler, cache int, logger zerolog.Logger) *http.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/memory", func(rw http.ResponseWriter, r *http.Request) {
		writeJSON(rw, http.StatusOK, readMemory(cache))
	})
	mux.HandleFunc("GET /healthz", func(rw http.ResponseWriter, r *http.Request) {
		writeJSON(rw, http.StatusOK, map[string]string{"status": "ok", "taskQueue": workflows.TaskQueue})
	})
	mux.HandleFunc("GET /readyz", func(rw http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		checks := map[string]func(context.Context) error{
			"temporal": func(ctx context.Context) error {
				_, err := c.CheckHealth(ctx, &client.CheckHealthRequest{})
				return err
			},
			"serviceDesk": func(ctx context.Context) error {
				_, err := desk.FindIncident(ctx, readinessProbeRef)
				if errors.Is(err, servicedesk.ErrNotFound) {
					return nil
				}
				return err
			},
		}
		status, body := http.StatusOK, map[string]string{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for name, check := range checks {
			wg.Go(func() {
				result := "ok"
				if err := check(ctx); err != nil {
					result = "unreachable: " + err.Error()
				}
				mu.Lock()
				defer mu.Unlock()
				body[name] = result
				if result != "ok" {
					status = http.StatusServiceUnavailable
				}
			})
		}
		wg.Wait()
		writeJSON(rw, status, body)
	})
	mux.Handle("GET /metrics", metrics)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error().Err(err).Str("addr", addr).Msg("probe endpoint")
		}
	}()
	return srv
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

// memory is what the worker holds: the live heap after a collection, its goroutines (each
// cached workflow keeps its coroutines), and the cache that bounds both.
type memory struct {
	HeapLiveBytes uint64 `json:"heapLiveBytes"`
	HeapSysBytes  uint64 `json:"heapSysBytes"`
	Goroutines    int    `json:"goroutines"`
	WorkflowCache int    `json:"workflowCache"`
}

// readMemory collects garbage first, so the figure is what the worker keeps, not what it
// has yet to free: a debugging read, not for every scrape.
func readMemory(cache int) memory {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memory{HeapLiveBytes: ms.HeapAlloc, HeapSysBytes: ms.HeapSys, Goroutines: runtime.NumGoroutine(), WorkflowCache: cache}
}
