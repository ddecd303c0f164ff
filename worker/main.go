// Command worker runs every hcaops workflow and activity. It connects to Temporal with the
// standard TEMPORAL_* environment, reads its own settings from HCAOPS_*, SDM_* and
// DYNAMICS_* (see README), logs JSON lines, serves GET /healthz, /readyz and /metrics, and
// stops gracefully on SIGINT or SIGTERM after in-flight activities finish.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.temporal.io/sdk/worker"

	"github.com/rs/zerolog"

	"github.com/hcaops/hcaops/config"
	"github.com/hcaops/hcaops/internal/app"
	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/internal/metrics"
	"github.com/hcaops/hcaops/internal/temporalclient"
	"github.com/hcaops/hcaops/ticketclient"
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
	reg, err := metrics.New(logger)
	if err != nil {
		return err
	}
	c, err := temporalclient.Dial(logger, temporalclient.WithMetrics(reg.Handler))
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
	w := worker.New(c, workflows.TaskQueue, workerOptions(cfg.Worker))
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
	if every := cfg.Worker.GaugesEvery; every > 0 {
		tickets := ticketclient.Client{Client: c, Namespace: temporalclient.Namespace()}
		g := &metrics.Gauges{Tickets: tickets, Client: c, Handler: reg.Handler, Logger: logger}
		go g.Run(ctx, every)
	}
	probes := serveProbes(cfg.HealthAddr, c, acts.ServiceDesk.Desk, reg.HTTPHandler(), cfg.Worker.StickyCacheSize, logger)
	logger.Info().Str("taskQueue", workflows.TaskQueue).Str("ticketing", acts.ServiceDesk.Desk.Name()).
		Str("health", cfg.HealthAddr).Msg("worker started")

	<-ctx.Done()
	logger.Info().Msg("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = probes.Shutdown(shutdown)
	w.Stop()
	_ = reg.Shutdown(shutdown)
	return nil
}

// workerOptions applies the capacity settings; zero values keep the SDK's defaults.
func workerOptions(cfg config.Worker) worker.Options {
	if cfg.StickyCacheSize > 0 {
		// Process-wide, and only effective before the first worker starts.
		worker.SetStickyWorkflowCacheSize(cfg.StickyCacheSize)
	}
	return worker.Options{
		WorkerStopTimeout:                  30 * time.Second,
		MaxConcurrentWorkflowTaskPollers:   cfg.WorkflowPollers,
		MaxConcurrentActivityTaskPollers:   cfg.ActivityPollers,
		MaxConcurrentActivityExecutionSize: cfg.MaxActivities,
	}
}
