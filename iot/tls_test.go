package iot_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/internal/mosquittotest"
)

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key
// into dir and returns their paths.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "sillage test broker"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestTLS runs the ingest against mosquitto over TLS with a self-signed
// certificate, and checks that a client without the CA is refused.
func TestTLS(t *testing.T) {
	mosquittotest.Require(t)
	cert, key := selfSigned(t, t.TempDir())
	broker := mosquittotest.Start(t, mosquittotest.Options{TLSCert: cert, TLSKey: key})
	st := seedTiny(t, "sqlite://"+t.TempDir()+"/tls.db")
	runIngest(t, st, iot.ClientConfig{Broker: broker.URL, ClientID: "tls-ingest", CAFile: cert})
	ctx := context.Background()

	cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	if _, c, err := iot.Dial(cctx, iot.ClientConfig{Broker: broker.URL, ClientID: "tls-noca", CleanSession: true}); err == nil {
		c.Disconnect(0)
		t.Errorf("connected without trusting the broker's certificate")
	}
	cancel()

	pub, c, err := iot.Dial(ctx, iot.ClientConfig{Broker: broker.URL, ClientID: "tls-site", CAFile: cert, CleanSession: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Disconnect(100)
	if err := pub.Publish(ctx, iot.SiteTopic("BTQ-LON", iot.KindStock), []byte(`{"kind":"delta","time":"2026-03-01T08:00:00Z","positions":[{"sku":"EDP-01","on_hand":42}]}`)); err != nil {
		t.Fatal(err)
	}
	waitPosition(t, st, "BTQ-LON", "EDP-01", 42)
}
