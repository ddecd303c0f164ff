package deploy

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// composeDefault is the value docker-compose gives "${VAR:-default}" when VAR is unset.
var composeVar = regexp.MustCompile(`^\$\{\w+:-(.*)\}$`)

func composeDefault(v string) string {
	if m := composeVar.FindStringSubmatch(v); m != nil {
		return m[1]
	}
	return v
}

// uiTemplateEnv matches the only template form deploy/ui/hcaops.yaml uses:
// {{ env "NAME" | default "VALUE" }}.
var uiTemplateEnv = regexp.MustCompile(`\{\{\s*env "(\w+)"\s*\|\s*default "([^"]*)"\s*\}\}`)

type uiConfig struct {
	TemporalGrpcAddress string `yaml:"temporalGrpcAddress"`
	Host                string `yaml:"host"`
	Port                int    `yaml:"port"`
	DefaultNamespace    string `yaml:"defaultNamespace"`
	Codec               struct {
		Endpoint           string `yaml:"endpoint"`
		IncludeCredentials bool   `yaml:"includeCredentials"`
		PassAccessToken    bool   `yaml:"passAccessToken"`
		DefaultErrorLink   string `yaml:"defaultErrorLink"`
	} `yaml:"codec"`
}

// renderUIConfig fills deploy/ui/hcaops.yaml as ui-server does, from env.
func renderUIConfig(t *testing.T, env map[string]string) uiConfig {
	t.Helper()
	data, err := os.ReadFile("ui/hcaops.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := uiTemplateEnv.ReplaceAllStringFunc(string(data), func(m string) string {
		sub := uiTemplateEnv.FindStringSubmatch(m)
		if v, ok := env[sub[1]]; ok {
			return v
		}
		return sub[2]
	})
	if strings.Contains(text, "{{") {
		t.Fatalf("ui/hcaops.yaml has a template form this test does not know:\n%s", text)
	}
	var cfg uiConfig
	if err := yaml.Unmarshal([]byte(text), &cfg); err != nil {
		t.Fatalf("ui/hcaops.yaml: %v", err)
	}
	return cfg
}

// TestUIConfigSendsTheSignInCookieToTheCodecServer: the one UI config (make run, make
// cluster, compose) sends the browser's cookies to the codec server named by
// HCAOPS_CODEC_URL and forwards no access token.
func TestUIConfigSendsTheSignInCookieToTheCodecServer(t *testing.T) {
	cfg := renderUIConfig(t, map[string]string{
		"TEMPORAL_ADDRESS": "temporal:7233", "HCAOPS_UI_HOST": "0.0.0.0", "HCAOPS_UI_PORT": "8080",
		"TEMPORAL_NAMESPACE": "default", "HCAOPS_CODEC_URL": "https://codec.example.va.gov:9443",
	})
	if cfg.Codec.Endpoint != "https://codec.example.va.gov:9443" || !cfg.Codec.IncludeCredentials || cfg.Codec.PassAccessToken {
		t.Errorf("codec settings %+v; want the endpoint from HCAOPS_CODEC_URL, includeCredentials, no access token", cfg.Codec)
	}
	if cfg.Codec.DefaultErrorLink != "https://codec.example.va.gov:9443/signin" {
		t.Errorf("the ciphertext banner links to %q, not the codec server's sign-in page", cfg.Codec.DefaultErrorLink)
	}
	if cfg.TemporalGrpcAddress != "temporal:7233" || cfg.Host != "0.0.0.0" || cfg.Port != 8080 || cfg.DefaultNamespace != "default" {
		t.Errorf("UI settings %+v do not follow the environment", cfg)
	}
	// Unset, the defaults are make run's: the UI on :8233, the codec server on :8089, both localhost.
	local := renderUIConfig(t, nil)
	if local.Port != 8233 || local.Codec.Endpoint != "http://localhost:8089" || local.Host != "127.0.0.1" {
		t.Errorf("defaults %+v", local)
	}
}

// TestComposeUIsReachTheirCodecServer: each UI of the compose file runs hcaops's UI config
// in place of the image's, and it and its codec server agree on where each is as the
// browser sees them: the codec URL is the codec server's published port, the codec server
// allows exactly the UI's origin, and both share the host name (the sign-in cookie is
// SameSite=Strict).
func TestComposeUIsReachTheirCodecServer(t *testing.T) {
	c := readCompose(t)
	for ui, codec := range map[string]string{"temporal-ui": "codec-server", "ui-demo": "codec-server-demo"} {
		u, cs := c.Services[ui], c.Services[codec]
		if !slices.Contains(u.Volumes, "./deploy/ui/hcaops.yaml:/home/ui-server/config/docker.yaml:ro") {
			t.Errorf("%s does not run deploy/ui/hcaops.yaml (the image reads /home/ui-server/config/docker.yaml): %v", ui, u.Volumes)
		}
		uiPort := u.Environment["HCAOPS_UI_PORT"]
		if u.Environment["HCAOPS_UI_HOST"] != "0.0.0.0" || !slices.Contains(u.Ports, uiPort+":"+uiPort) {
			t.Errorf("%s listens on %s:%s, publishes %v", ui, u.Environment["HCAOPS_UI_HOST"], uiPort, u.Ports)
		}
		codecPort := port(t, cs.Environment["HCAOPS_CODEC_ADDR"])
		if !slices.Contains(cs.Ports, codecPort+":"+codecPort) {
			t.Errorf("%s listens on %s, publishes %v", codec, codecPort, cs.Ports)
		}
		codecURL := composeDefault(u.Environment["HCAOPS_CODEC_URL"])
		origins := composeDefault(cs.Environment["HCAOPS_CODEC_ORIGINS"])
		if codecURL != "http://localhost:"+codecPort || origins != "http://localhost:"+uiPort {
			t.Errorf("%s calls the codec server at %q; %s allows the origins %q", ui, codecURL, codec, origins)
		}
	}
}

// TestComposeGivesEveryProgramTheKeyRing: every hcaops container but the fakes reads the
// payload keys from the secret payload-keys (a worker without them refuses to start), the
// codec servers also their operator tokens, and the keys are never inline in the file nor
// in the repository or the image's build context.
func TestComposeGivesEveryProgramTheKeyRing(t *testing.T) {
	c := readCompose(t)
	programs := 0
	for name, s := range c.Services {
		if s.Build == nil {
			continue // an image of its own (PostgreSQL, Temporal, the UI, Prometheus)
		}
		if _, inline := s.Environment["HCAOPS_PAYLOAD_KEYS"]; inline {
			t.Errorf("%s has its payload keys inline", name)
		}
		if name == "fakes" {
			if len(s.Secrets) != 0 {
				t.Errorf("the fakes get secrets %v they never use", s.Secrets)
			}
			continue
		}
		programs++
		if !slices.Contains(s.Secrets, "payload-keys") || s.Environment["HCAOPS_PAYLOAD_KEYS_FILE"] != "/run/secrets/payload-keys" {
			t.Errorf("%s: secrets %v, HCAOPS_PAYLOAD_KEYS_FILE %q", name, s.Secrets, s.Environment["HCAOPS_PAYLOAD_KEYS_FILE"])
		}
		if strings.Contains(name, "codec-server") &&
			(!slices.Contains(s.Secrets, "codec-tokens") || s.Environment["HCAOPS_CODEC_TOKENS_FILE"] != "/run/secrets/codec-tokens") {
			t.Errorf("%s: secrets %v, HCAOPS_CODEC_TOKENS_FILE %q", name, s.Secrets, s.Environment["HCAOPS_CODEC_TOKENS_FILE"])
		}
	}
	if programs < 6 { // worker, codec-server, ctl, and the demo's worker, codec server and starter
		t.Errorf("%d hcaops programs in the compose file", programs)
	}
	for name, secret := range c.Secrets {
		if !strings.HasPrefix(secret.File, "./deploy/secrets/") {
			t.Errorf("secret %s is read from %s, outside deploy/secrets/", name, secret.File)
		}
	}
	for _, ignore := range []string{"../.gitignore", "../.dockerignore"} {
		data, err := os.ReadFile(ignore)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		for _, dir := range []string{"deploy/secrets/", "data/"} {
			if !slices.Contains(lines, dir) {
				t.Errorf("%s does not leave out %s (payload keys, tokens, histories)", ignore, dir)
			}
		}
	}
}
