package mosquitto

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"time"
)

// Certificate lifetimes of the generated CA and server certificate.
const (
	CALifetime     = 10 * 365 * 24 * time.Hour
	ServerLifetime = 2 * 365 * 24 * time.Hour
	// RenewBefore: a server certificate that expires sooner is issued
	// again when the generator runs.
	RenewBefore = 30 * 24 * time.Hour
)

// keyPair is a certificate and its ECDSA key.
type keyPair struct {
	cert *x509.Certificate
	der  []byte
	key  *ecdsa.PrivateKey
}

// newCA makes a self-signed CA (ECDSA P-256) valid from now for
// CALifetime.
func newCA(now time.Time) (*keyPair, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("CA key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "sillage MQTT CA", Organization: []string{"sillage"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(CALifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	kp, err := sign(tmpl, key, tmpl, key)
	if err != nil {
		return nil, fmt.Errorf("CA certificate: %w", err)
	}
	return kp, nil
}

// newServer makes the broker's certificate for hosts (DNS names or IP
// addresses), signed by ca, valid from now for ServerLifetime.
func newServer(ca *keyPair, hosts []string, now time.Time) (*keyPair, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("server key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: hosts[0], Organization: []string{"sillage"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(ServerLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	kp, err := sign(tmpl, key, ca.cert, ca.key)
	if err != nil {
		return nil, fmt.Errorf("server certificate: %w", err)
	}
	return kp, nil
}

// sign makes the certificate tmpl for key, signed by parent with
// parentKey (tmpl and key themselves for a self-signed one).
func sign(tmpl *x509.Certificate, key *ecdsa.PrivateKey, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*keyPair, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &keyPair{cert: cert, der: der, key: key}, nil
}

// serial returns a random 128-bit certificate serial number.
func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return big.NewInt(time.Now().UnixNano())
	}
	return n
}

// certPEM and keyPEM encode a pair for files.
func (k *keyPair) certPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: k.der})
}

func (k *keyPair) keyPEM() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k.key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// errNoPair marks a certificate or key file that does not exist.
var errNoPair = errors.New("no certificate")

// loadPair reads a PEM certificate and its PKCS #8 ECDSA key.
func loadPair(certFile, keyFile string) (*keyPair, error) {
	cdata, cerr := os.ReadFile(certFile)
	kdata, kerr := os.ReadFile(keyFile)
	if errors.Is(cerr, os.ErrNotExist) && errors.Is(kerr, os.ErrNotExist) {
		return nil, errNoPair
	}
	if cerr != nil {
		return nil, cerr
	}
	if kerr != nil {
		return nil, kerr
	}
	cb, _ := pem.Decode(cdata)
	if cb == nil || cb.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%s: no PEM certificate", certFile)
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", certFile, err)
	}
	kb, _ := pem.Decode(kdata)
	if kb == nil {
		return nil, fmt.Errorf("%s: no PEM key", keyFile)
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", keyFile, err)
	}
	key, ok := k.(*ecdsa.PrivateKey)
	if !ok || !key.PublicKey.Equal(cert.PublicKey) {
		return nil, fmt.Errorf("%s is not the ECDSA key of %s", keyFile, certFile)
	}
	return &keyPair{cert: cert, der: cb.Bytes, key: key}, nil
}

// serverUsable reports why a server certificate must be issued again, or
// "" when it is signed by ca, covers every host and lasts past
// now+RenewBefore.
func serverUsable(s, ca *keyPair, hosts []string, now time.Time) string {
	if err := s.cert.CheckSignatureFrom(ca.cert); err != nil {
		return "not signed by the CA"
	}
	if now.Add(RenewBefore).After(s.cert.NotAfter) {
		return "expires " + s.cert.NotAfter.Format(time.DateOnly)
	}
	for _, h := range hosts {
		if err := s.cert.VerifyHostname(h); err != nil {
			return "does not cover " + h
		}
	}
	return ""
}
