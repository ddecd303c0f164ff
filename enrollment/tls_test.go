package enrollment_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/esfake"
)

// testPKI is a CA with a server certificate for 127.0.0.1 and a client certificate,
// written as PEM files.
type testPKI struct {
	dir                         string
	caFile, certFile, keyFile   string
	caPool                      *x509.CertPool
	serverCert                  tls.Certificate
	otherCAFile                 string // a CA that signed nothing here
	untrustedCert, untrustedKey string // a client certificate from otherCA
}

func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	dir := t.TempDir()
	p := &testPKI{dir: dir}
	ca, caKey := newCA(t, "test ES CA")
	p.caFile = writePEM(t, dir, "ca.pem", "CERTIFICATE", ca.Raw)
	p.caPool = x509.NewCertPool()
	p.caPool.AddCert(ca)

	serverDER, serverKey := newLeaf(t, ca, caKey, "es.test", x509.ExtKeyUsageServerAuth)
	p.serverCert = tls.Certificate{Certificate: [][]byte{serverDER}, PrivateKey: serverKey}

	clientDER, clientKey := newLeaf(t, ca, caKey, "hcaops", x509.ExtKeyUsageClientAuth)
	p.certFile = writePEM(t, dir, "client.pem", "CERTIFICATE", clientDER)
	p.keyFile = writeKey(t, dir, "client.key", clientKey)

	other, otherKey := newCA(t, "someone else's CA")
	p.otherCAFile = writePEM(t, dir, "other-ca.pem", "CERTIFICATE", other.Raw)
	untrustedDER, untrustedKey := newLeaf(t, other, otherKey, "intruder", x509.ExtKeyUsageClientAuth)
	p.untrustedCert = writePEM(t, dir, "untrusted.pem", "CERTIFICATE", untrustedDER)
	p.untrustedKey = writeKey(t, dir, "untrusted.key", untrustedKey)
	return p
}

func newCA(t *testing.T, name string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

func newLeaf(t *testing.T, ca *x509.Certificate, caKey *ecdsa.PrivateKey, name string, usage x509.ExtKeyUsage) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return der, key
}

func writePEM(t *testing.T, dir, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeKey(t *testing.T, dir, name string, key *ecdsa.PrivateKey) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return writePEM(t, dir, name, "PRIVATE KEY", der)
}

// startMutualTLSFake serves the fake ES over TLS that requires a client certificate
// signed by the test CA.
func startMutualTLSFake(t *testing.T, p *testPKI) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(esfake.New().Handler())
	srv.TLS = &tls.Config{
		Certificates: []tls.Certificate{p.serverCert},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    p.caPool,
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // rejected handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL + "/voa/voaSvc"
}

func TestMutualTLS(t *testing.T) {
	p := newTestPKI(t)
	endpoint := startMutualTLSFake(t, p)

	t.Run("client certificate accepted", func(t *testing.T) {
		c, err := enrollment.NewClient(enrollment.Config{Endpoint: endpoint, CertFile: p.certFile, KeyFile: p.keyFile, CAFile: p.caFile})
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.Submit(context.Background(), validApplication(), testNow)
		if err != nil || res.Status != enrollment.StatusSubmitted {
			t.Fatalf("Submit = %+v, %v", res, err)
		}
	})

	rejected := []struct {
		name string
		cfg  enrollment.Config
		msg  string
	}{
		{"no client certificate", enrollment.Config{CAFile: p.caFile}, "ES refused the TLS handshake (is the client certificate configured and trusted by ES?)"},
		{"client certificate from another CA", enrollment.Config{CertFile: p.untrustedCert, KeyFile: p.untrustedKey, CAFile: p.caFile}, "ES refused the TLS handshake"},
		{"server not trusted", enrollment.Config{CertFile: p.certFile, KeyFile: p.keyFile, CAFile: p.otherCAFile}, "ES server certificate not trusted (check CAFile and the endpoint host name)"},
	}
	for _, tt := range rejected {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Endpoint = endpoint
			c, err := enrollment.NewClient(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Status(context.Background(), 1)
			e, ok := errors.AsType[*enrollment.Error](err)
			if !ok || !strings.Contains(e.Msg, tt.msg) {
				t.Fatalf("Status = %v, want a message with %q", err, tt.msg)
			}
			if !e.Retryable() { // a certificate rotation must not fail Veterans' applications
				t.Errorf("TLS failure is %v, want retryable", e.Kind)
			}
		})
	}

	t.Run("plain HTTP to a TLS endpoint", func(t *testing.T) {
		c, err := enrollment.NewClient(enrollment.Config{Endpoint: strings.Replace(endpoint, "https://", "http://", 1)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Status(context.Background(), 1)
		if err == nil {
			t.Fatal("plain HTTP succeeded")
		}
	})
}

func TestMutualTLSFilesInvalid(t *testing.T) {
	p := newTestPKI(t)
	garbage := filepath.Join(p.dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  enrollment.Config
		want []string
	}{
		{"key does not match", enrollment.Config{CertFile: p.certFile, KeyFile: p.untrustedKey}, []string{"client certificate " + p.certFile, "private key does not match public key"}},
		{"certificate file is garbage", enrollment.Config{CertFile: garbage, KeyFile: p.keyFile}, []string{"client certificate " + garbage}},
		{"CA file is garbage", enrollment.Config{CAFile: garbage}, []string{"ES CA file " + garbage + ": no PEM certificate found"}},
		{"key file missing", enrollment.Config{CertFile: p.certFile, KeyFile: filepath.Join(p.dir, "nope.key")}, []string{"nope.key", "no such file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Endpoint = "https://es.test/voa/voaSvc"
			_, err := enrollment.NewClient(tt.cfg)
			if err == nil {
				t.Fatal("NewClient accepted it")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
