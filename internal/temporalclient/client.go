// Package temporalclient dials Temporal the one way hcaops does: from the standard
// TEMPORAL_* environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS and API key variables,
// or a profile in the Temporal config file), with the zerolog adapter as the SDK logger,
// and with the payload codec (HCAOPS_PAYLOAD_KEYS or HCAOPS_PAYLOAD_KEYS_FILE), so every
// payload and failure message the program writes is encrypted.
package temporalclient

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/rs/zerolog"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/contrib/envconfig"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/internal/payloadcodec"
)

// Option adjusts the client options before dialing.
type Option func(*client.Options)

// WithMetrics reports the SDK's metrics (and whatever hcaops records through the client)
// to h.
func WithMetrics(h client.MetricsHandler) Option {
	return func(o *client.Options) { o.MetricsHandler = h }
}

// Dial connects with the environment's settings. It refuses to connect without payload keys.
func Dial(logger zerolog.Logger, options ...Option) (client.Client, error) {
	opts, err := envconfig.LoadDefaultClientOptions()
	if err != nil {
		return nil, fmt.Errorf("temporal client options: %w", err)
	}
	codec, err := Codec()
	if err != nil {
		return nil, err
	}
	opts.Logger = logging.SDK{L: logger}
	for _, o := range options {
		o(&opts)
	}
	// Set here, after the profile and the options: a remote codec from a Temporal config
	// profile must not replace the local one (and workers must never call a codec server
	// during replay).
	opts.DataConverter = codec.DataConverter()
	opts.FailureConverter = codec.FailureConverter()
	// Every payload is ciphertext, which gzip cannot shrink: the SDK's default compression
	// of each request only cost CPU in the worker and the server (make bench's profile).
	if opts.ConnectionOptions.GrpcCompression == nil {
		opts.ConnectionOptions.GrpcCompression = &client.GrpcCompressionNone{}
	}
	c, err := client.Dial(opts)
	if err != nil {
		addr := opts.HostPort
		if addr == "" {
			addr = client.DefaultHostPort
		}
		return nil, fmt.Errorf("connect to Temporal at %s: %w", addr, err)
	}
	return c, nil
}

// Codec is the payload codec the environment configures; the replayer and the codec
// server use it too.
func Codec() (*payloadcodec.Codec, error) {
	return payloadcodec.FromEnv(os.LookupEnv)
}

// DataConverter is the converter Dial gives the client, for payloads the client hands back
// as they are stored: memos in visibility listings are encrypted like everything else.
func DataConverter() (converter.DataConverter, error) {
	codec, err := Codec()
	if err != nil {
		return nil, err
	}
	return codec.DataConverter(), nil
}

// Namespace is the namespace the environment selects.
func Namespace() string {
	opts, err := envconfig.LoadDefaultClientOptions()
	if err != nil || opts.Namespace == "" {
		return client.DefaultNamespace
	}
	return opts.Namespace
}

// EnsureSearchAttributes registers the keys on the namespace if they are missing, so the
// worker can start on a fresh server.
func EnsureSearchAttributes(ctx context.Context, c client.Client, keys []temporal.SearchAttributeKey) error {
	ns := Namespace()
	resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: ns})
	if err != nil {
		return fmt.Errorf("list search attributes of %s: %w", ns, err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for _, k := range keys {
		want := k.GetValueType()
		if have, ok := resp.GetCustomAttributes()[k.GetName()]; ok {
			if have != want {
				return fmt.Errorf("search attribute %s exists as %s, hcaops needs %s", k.GetName(), have, want)
			}
			continue
		}
		missing[k.GetName()] = want
	}
	if len(missing) == 0 {
		return nil
	}
	_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: ns, SearchAttributes: missing,
	})
	if err != nil {
		// Another worker may have registered them a moment ago.
		var exists *serviceerror.AlreadyExists
		if !errors.As(err, &exists) {
			return fmt.Errorf("add search attributes to %s: %w", ns, err)
		}
	}
	return nil
}
