// Command codecserver serves hcaops's payload codec to the Temporal UI and CLI so that
// operators read decrypted history while Temporal stores ciphertext. It reads the same
// payload keys as every other program (HCAOPS_PAYLOAD_KEYS or HCAOPS_PAYLOAD_KEYS_FILE)
// and its own HCAOPS_CODEC_* settings (see README), and answers 401 to anyone who is not a
// signed-in operator. It does not connect to Temporal.
//
//	codecserver                 serve
//	codecserver new-key KEYID   print a new key ring entry KEYID:BASE64
//	codecserver new-token NAME  print a new operator entry NAME:TOKEN
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/hcaops/hcaops/internal/codecserver"
	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/internal/payloadcodec"
)

func main() {
	if len(os.Args) > 1 {
		if err := generate(os.Args[1:], os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "codecserver:", err)
			os.Exit(2)
		}
		return
	}
	logger := logging.New(os.Stderr, "codecserver")
	if err := serve(logger); err != nil {
		logger.Error().Err(err).Msg("codec server stopped")
		os.Exit(1)
	}
}

func generate(args []string, out io.Writer) error {
	if len(args) != 2 {
		return errors.New("usage: codecserver [new-key KEYID | new-token NAME]")
	}
	var entry string
	var err error
	switch args[0] {
	case "new-key":
		entry, err = payloadcodec.NewKeyEntry(args[1])
	case "new-token":
		entry, err = codecserver.NewTokenEntry(args[1])
	default:
		return fmt.Errorf("unknown command %q: usage: codecserver [new-key KEYID | new-token NAME]", args[0])
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(out, entry)
	return err
}

func serve(logger zerolog.Logger) error {
	cfg, cfgErr := codecserver.LoadConfig(os.LookupEnv)
	codec, keyErr := payloadcodec.FromEnv(os.LookupEnv)
	if err := errors.Join(cfgErr, keyErr); err != nil {
		return err
	}
	srv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           codecserver.New(cfg, codec, logger),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() {
		if cfg.TLSCert != "" {
			errc <- srv.ListenAndServeTLS(cfg.TLSCert, cfg.TLSKey)
			return
		}
		errc <- srv.ListenAndServe()
	}()
	logger.Info().Str("addr", cfg.Addr).Strs("origins", cfg.Origins).Strs("namespaces", cfg.Namespaces).
		Str("activeKey", codec.KeyRing().ActiveKeyID()).Bool("tls", cfg.TLSCert != "").Msg("codec server started")
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info().Msg("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}
