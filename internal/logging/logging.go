// Package logging is the one logger of hcaops: JSON lines through zerolog, and an adapter
// so the Temporal SDK's own logs come out the same way.
package logging

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/log"
)

// New returns a JSON logger at the level named by HCAOPS_LOG_LEVEL (default info).
func New(w io.Writer, component string) zerolog.Logger {
	if w == nil {
		w = os.Stderr
	}
	level, err := zerolog.ParseLevel(strings.ToLower(os.Getenv("HCAOPS_LOG_LEVEL")))
	if err != nil || level == zerolog.NoLevel {
		level = zerolog.InfoLevel
	}
	return zerolog.New(w).Level(level).With().Timestamp().Str("component", component).Logger()
}

// SDK adapts a zerolog.Logger to the Temporal SDK's log.Logger.
type SDK struct {
	L zerolog.Logger
}

var (
	_ log.Logger     = SDK{}
	_ log.WithLogger = SDK{}
)

func (s SDK) Debug(msg string, keyvals ...any) { s.event(s.L.Debug(), msg, keyvals) }
func (s SDK) Info(msg string, keyvals ...any)  { s.event(s.L.Info(), msg, keyvals) }
func (s SDK) Warn(msg string, keyvals ...any)  { s.event(s.L.Warn(), msg, keyvals) }
func (s SDK) Error(msg string, keyvals ...any) { s.event(s.L.Error(), msg, keyvals) }

// With returns a logger that adds keyvals to every line.
func (s SDK) With(keyvals ...any) log.Logger {
	ctx := s.L.With()
	for i := 0; i < len(keyvals); i += 2 {
		ctx = ctx.Interface(key(keyvals, i), value(keyvals, i))
	}
	return SDK{L: ctx.Logger()}
}

func (s SDK) event(e *zerolog.Event, msg string, keyvals []any) {
	for i := 0; i < len(keyvals); i += 2 {
		v := value(keyvals, i)
		if err, ok := v.(error); ok {
			e = e.AnErr(key(keyvals, i), err)
			continue
		}
		e = e.Interface(key(keyvals, i), v)
	}
	e.Msg(msg)
}

func key(kv []any, i int) string {
	if k, ok := kv[i].(string); ok {
		return k
	}
	return fmt.Sprint(kv[i])
}

func value(kv []any, i int) any {
	if i+1 < len(kv) {
		return kv[i+1]
	}
	return "(missing)"
}
