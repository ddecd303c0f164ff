// Command fakes serves the external systems hcaops cannot reach from a developer's
// machine, each speaking its real wire protocol: CA SDM REST (default :8050) and the
// Dynamics 365 Web API with its OAuth token endpoint (default :8051), and the Enrollment
// System's SOAP interface and daily report (default :8052), and a mail relay (SMTP on
// :2525, built on go-smtp) that keeps the mail it accepts instead of passing it on. The
// fake SDM is set up as a strict site with people working in it (see localSDM). Each
// keeps what it received: GET /caisd-rest/_fake/incidents, GET /_fake/incidents,
// GET /_fake/submissions, GET :8053/_fake/mail; the fake ES takes fault injection at
// POST /_fake/faults.
package main

import (
	"context"
	"errors"
	"flag"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/hcaops/hcaops/enrollment/esfake"
	"github.com/hcaops/hcaops/internal/logging"
	"github.com/hcaops/hcaops/notify/mailfake"
	"github.com/hcaops/hcaops/servicedesk/dynamics/dynamicsfake"
	"github.com/hcaops/hcaops/servicedesk/sdm/sdmfake"
)

func main() {
	logger := logging.New(os.Stderr, "fakes")
	sdmAddr := flag.String("sdm", envOr("FAKE_SDM_ADDR", "127.0.0.1:8050"), "fake SDM listen address (empty to skip)")
	dynAddr := flag.String("dynamics", envOr("FAKE_DYNAMICS_ADDR", "127.0.0.1:8051"), "fake Dynamics listen address (empty to skip)")
	esAddr := flag.String("es", envOr("FAKE_ES_ADDR", "127.0.0.1:8052"), "fake Enrollment System listen address (empty to skip)")
	mailAddr := flag.String("mail", envOr("FAKE_MAIL_ADDR", "127.0.0.1:2525"), "mail relay (SMTP) listen address (empty to skip)")
	mailHTTP := flag.String("mail-http", envOr("FAKE_MAIL_HTTP_ADDR", "127.0.0.1:8053"), "where the relay lists the mail it received")
	flag.Parse()

	servers := map[string]http.Handler{}
	if *sdmAddr != "" {
		servers[*sdmAddr] = localSDM().Handler()
	}
	if *dynAddr != "" {
		servers[*dynAddr] = dynamicsfake.NewFake(envOr("DYNAMICS_CLIENT_ID", "hcaops"), envOr("DYNAMICS_CLIENT_SECRET", "hcaops")).Handler()
	}
	if *esAddr != "" {
		servers[*esAddr] = esfake.New().Handler()
	}
	if *mailAddr != "" {
		relay := mailfake.New(mailfake.Config{})
		addr, err := relay.Listen(*mailAddr)
		if err != nil {
			logger.Error().Err(err).Msg("mail relay")
			os.Exit(1)
		}
		defer relay.Close()
		logger.Info().Str("addr", addr).Msg("mail relay listening (SMTP)")
		servers[*mailHTTP] = relay.Handler()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, logger, servers); err != nil {
		logger.Error().Err(err).Msg("fakes stopped")
		os.Exit(1)
	}
}

func serve(ctx context.Context, logger zerolog.Logger, servers map[string]http.Handler) error {
	var all []*http.Server
	errs := make(chan error, len(servers))
	for addr, h := range servers {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
		all = append(all, srv)
		logger.Info().Str("addr", addr).Msg("fake listening")
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errs <- err
			}
		}()
	}
	select {
	case <-ctx.Done():
	case err := <-errs:
		return err
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range all {
		_ = s.Shutdown(shutdown)
	}
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// localSDM is the fake SDM of the local run, set up like a strict site: incidents need an
// affected end user (a placeholder contact: tickets carry no PII), a category, an urgency
// and an impact; HRC agents and vets.gov engineers (FAKE_SDM_PEOPLE) work in it beside
// the integration user, through /caisd-rest/_fake/as/{userid}/...
func localSDM() *sdmfake.Fake {
	f := sdmfake.NewFake(envOr("SDM_USERNAME", "hcaops"), envOr("SDM_PASSWORD", "hcaops"))
	for _, p := range strings.Split(envOr("FAKE_SDM_PEOPLE", "hrc-agent-1,vets-eng-1"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			f.AddUser(p, "local")
		}
	}
	if os.Getenv("FAKE_SDM_STRICT") != "false" {
		f.Require("customer", "category", "urgency", "impact")
		f.AddContact(envOr("SDM_CUSTOMER", "Caller, HCA"))
		for _, c := range strings.Split(envOr("FAKE_SDM_CATEGORIES", "10-10EZ,Login"), ",") {
			f.AddCategory(strings.TrimSpace(c))
		}
	}
	if os.Getenv("SDM_CUSTOM_ATTRIBUTES") == "false" {
		f.WithoutCustomAttributes()
	}
	return f
}
