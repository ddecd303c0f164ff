package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const goodDirectory = `vets.gov: oncall@vets.example
ES Tier 2/3: es-support@va.example
hca-product-manager: pm@va.example
es-liaison: liaison@va.example
`

func TestMailWithDirectory(t *testing.T) {
	c, err := load(lookup(map[string]string{"HCAOPS_SMTP_ADDR": "127.0.0.1:2525", "HCAOPS_SMTP_STARTTLS": "false",
		"HCAOPS_DIRECTORY": writeFile(t, "directory.txt", goodDirectory)}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Mail.StartTLS || c.Mail.SMTPAddr != "127.0.0.1:2525" || c.Mail.From != "no-reply@va.gov" {
		t.Errorf("mail %+v", c.Mail)
	}
	if got := c.Mail.Directory.Resolve("es-liaison"); !reflect.DeepEqual(got, []string{"liaison@va.example"}) {
		t.Errorf("es-liaison = %q", got)
	}
	if d, _ := load(lookup(nil)); !d.Mail.StartTLS {
		t.Error("STARTTLS is not required by default")
	}
}

// What would fail the first notice fails the start instead, each naming its variable,
// and a directory error names the file and the line.
func TestMailMistakesStopTheStart(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"relay without directory", map[string]string{"HCAOPS_SMTP_ADDR": "smtp.example.gov:587"},
			[]string{`HCAOPS_DIRECTORY="" must name the group directory file when HCAOPS_SMTP_ADDR is set`}},
		{"password in clear", map[string]string{"HCAOPS_SMTP_ADDR": "smtp.example.gov:587", "HCAOPS_SMTP_STARTTLS": "false",
			"HCAOPS_SMTP_USERNAME": "hcaops", "HCAOPS_SMTP_PASSWORD": "pw", "HCAOPS_DIRECTORY": "%DIR%"},
			[]string{`HCAOPS_SMTP_STARTTLS="false" must be true when HCAOPS_SMTP_USERNAME is set`}},
		{"bad values", map[string]string{"HCAOPS_SMTP_ADDR": "smtp.example.gov", "HCAOPS_SMTP_STARTTLS": "maybe",
			"HCAOPS_SMTP_CA_FILE": "/nonexistent/ca.pem", "HCAOPS_DIRECTORY": "%DIR%"},
			[]string{`HCAOPS_SMTP_ADDR="smtp.example.gov" must be host:port`, `HCAOPS_SMTP_STARTTLS="maybe" must be true or false`,
				`HCAOPS_SMTP_CA_FILE="/nonexistent/ca.pem" cannot be read`}},
		{"missing groups", map[string]string{"HCAOPS_DIRECTORY": "%SHORT%", "HCAOPS_AGENDA_TO": "vets.gov, ES call list"},
			[]string{`group directory lists no addresses for "ES call list" (the ES call agenda (HCAOPS_AGENDA_TO)), "es-liaison" (ES stall escalations and outages (HCAOPS_ES_LIAISON))`}},
		{"bad line", map[string]string{"HCAOPS_DIRECTORY": "%BAD%"},
			[]string{"HCAOPS_DIRECTORY: group directory: ", `bad.txt:2: group "ES Tier 2/3": address 1 is not a valid email address`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range tc.env {
				switch v {
				case "%DIR%":
					v = writeFile(t, "directory.txt", goodDirectory)
				case "%SHORT%":
					v = writeFile(t, "short.txt", "vets.gov: a@vets.example\nES Tier 2/3: b@va.example\nhca-product-manager: c@va.example\n")
				case "%BAD%":
					v = writeFile(t, "bad.txt", "vets.gov: a@vets.example\nES Tier 2/3: es support\n")
				}
				env[k] = v
			}
			_, err := load(lookup(env))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if strings.Contains(err.Error(), `"pw"`) {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

// The directory of `make run` lists every group the default configuration sends to.
func TestDemoDirectoryServesTheDefaults(t *testing.T) {
	c, err := load(lookup(map[string]string{"HCAOPS_SMTP_ADDR": "127.0.0.1:2525", "HCAOPS_SMTP_STARTTLS": "false",
		"HCAOPS_DIRECTORY": "../demo/directory.txt"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Mail.Directory.Resolve("vets.gov"); len(got) != 2 {
		t.Errorf("vets.gov = %q", got)
	}
}
