// Package metrics exports what a worker measures in Prometheus's text format: the Temporal
// SDK's own metrics (task latencies, failures, pollers, sticky cache) and hcaops's. Both go
// through one client.MetricsHandler, the SDK's, backed by OpenTelemetry and its Prometheus
// exporter: workflow code then emits hcaops's counters with workflow.GetMetricsHandler,
// which stays silent while a workflow replays.
package metrics

import (
	"context"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
)

// latencyBuckets (seconds) span what the SDK times: a poll or task in milliseconds up to
// a schedule-to-start of a minute when workers are short. OpenTelemetry's default buckets
// are meant for milliseconds and would put every task in the first one.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// Registry holds a worker's metrics.
type Registry struct {
	// Handler goes into client.Options.MetricsHandler; everything hcaops measures
	// goes through it too.
	Handler  client.MetricsHandler
	gatherer *prometheus.Registry
	provider *sdkmetric.MeterProvider
}

// New builds the registry, with the Go runtime and process collectors besides.
func New(logger zerolog.Logger) (*Registry, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	exporter, err := otelprom.New(otelprom.WithRegisterer(reg), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		return nil, err
	}
	provider := sdkmetric.NewMeterProvider(
		sdkmetric.WithReader(exporter),
		sdkmetric.WithView(sdkmetric.NewView(
			sdkmetric.Instrument{Name: "*", Unit: "s"},
			sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: latencyBuckets}},
		)),
	)
	h := temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{
		Meter: provider.Meter("hcaops"),
		// Counters only go up: exported as Prometheus counters (_total), not gauges.
		UseMonotonicCounters: true,
		// The default panics; a metric that cannot be recorded must not stop the worker.
		OnError: func(err error) { logger.Warn().Err(err).Msg("metric not recorded") },
	})
	return &Registry{Handler: h, gatherer: reg, provider: provider}, nil
}

// HTTPHandler serves GET /metrics.
func (r *Registry) HTTPHandler() http.Handler {
	return promhttp.HandlerFor(r.gatherer, promhttp.HandlerOpts{})
}

// Shutdown stops the meter provider.
func (r *Registry) Shutdown(ctx context.Context) error { return r.provider.Shutdown(ctx) }
