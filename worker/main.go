// Command worker runs every hcaops workflow and activity. It connects to Temporal with the
// standard TEMPORAL_* environment, reads its own settings from HCAOPS_*, SDM_* and
// DYNAMICS_* (see README), logs JSON lines, serves GET /healthz, and stops gracefully on
// SIGINT or SIGTERM after in-flight activities finish.
package main

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/rs/zerolog"

	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/internal/app"
	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/workflows"
)

func main() {
	logger := logging.New(os.Stderr, "worker")
	if err := run(logger); err != nil {
		logger.Error().Err(err).Msg("worker stopped")
		os.Exit(1)
	}
}

func run(logger zerolog.Logger) error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	c, err := temporalclient.Dial(logger)
	if err != nil {
		return err
	}
	defer c.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := temporalclient.EnsureSearchAttributes(ctx, c, workflows.SearchAttributeKeys); err != nil {
		return err
	}

	acts, err := app.NewActivities(cfg, c, temporalclient.Namespace(), logger)
	if err != nil {
		return err
	}
	w := worker.New(c, workflows.TaskQueue, worker.Options{WorkerStopTimeout: 30 * time.Second})
	app.Register(w, acts)
	if err := w.Start(); err != nil {
		return err
	}
	if err := app.EnsureSchedules(ctx, c, cfg); err != nil {
		w.Stop()
		return err
	}
	if err := app.EnsureMonitor(ctx, c, cfg); err != nil {
		w.Stop()
		return err
	}
	health := serveHealth(cfg.HealthAddr, c, logger)
	logger.Info().Str("taskQueue", workflows.TaskQueue).Str("ticketing", acts.ServiceDesk.Desk.Name()).
		Str("health", cfg.HealthAddr).Msg("worker started")

	<-ctx.Done()
	logger.Info().Msg("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = health.Shutdown(shutdown)
	w.Stop()
	return nil
}

// serveHealth answers 200 while the Temporal server answers the worker's client.
func serveHealth(addr string, c client.Client, logger zerolog.Logger) *http.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(rw http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		if _, err := c.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
			http.Error(rw, "temporal unreachable: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		_, _ = rw.Write([]byte(`{"status":"ok","taskQueue":"` + workflows.TaskQueue + `"}`))
	})
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error().Err(err).Str("addr", addr).Msg("health endpoint")
		}
	}()
	return srv
}
