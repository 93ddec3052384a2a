package iot

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// ClientConfig is how a paho client of the package connects to the broker.
type ClientConfig struct {
	// Broker is the broker URL: tcp://127.0.0.1:1883, or ssl://HOST:8883
	// (also tls://, mqtts://) for TLS.
	Broker   string
	ClientID string
	Username string
	Password string
	// CAFile is a PEM file of the CAs that sign the broker's certificate;
	// empty means the system pool.
	CAFile string
	// CertFile and KeyFile are the client's certificate and key (PEM) for
	// brokers that require client certificates; both or neither.
	CertFile, KeyFile string
	// CleanSession false keeps the session (subscriptions and queued QoS 1
	// messages) on the broker across disconnects; the ingest needs it.
	CleanSession bool
	// ConnectTimeout bounds one connection attempt; 0 means 10 s.
	ConnectTimeout time.Duration
}

// TLSConfig returns the TLS configuration of the CA and client
// certificate files, or nil when none is set.
func (c ClientConfig) TLSConfig() (*tls.Config, error) {
	if c.CAFile == "" && c.CertFile == "" && c.KeyFile == "" {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("read CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("CA file %s holds no PEM certificate", c.CAFile)
		}
		cfg.RootCAs = pool
	}
	if (c.CertFile == "") != (c.KeyFile == "") {
		return nil, fmt.Errorf("give both the client certificate and its key, or neither")
	}
	if c.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("load client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

// Options returns paho options for the configuration: QoS is chosen per
// call, auto reconnect is on, the first connection is retried.
func (c ClientConfig) Options() (*mqtt.ClientOptions, error) {
	if c.Broker == "" {
		return nil, fmt.Errorf("no broker URL")
	}
	o := mqtt.NewClientOptions().AddBroker(c.Broker).SetClientID(c.ClientID).SetCleanSession(c.CleanSession)
	o.SetUsername(c.Username).SetPassword(c.Password)
	o.SetAutoReconnect(true).SetMaxReconnectInterval(10 * time.Second)
	o.SetConnectRetry(true).SetConnectRetryInterval(time.Second)
	o.SetKeepAlive(30 * time.Second).SetPingTimeout(10 * time.Second)
	o.SetOrderMatters(true)
	timeout := c.ConnectTimeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	o.SetConnectTimeout(timeout)
	tc, err := c.TLSConfig()
	if err != nil {
		return nil, err
	}
	if tc != nil {
		o.SetTLSConfig(tc)
	}
	return o, nil
}

// wait waits for a paho token until ctx is done.
func wait(ctx context.Context, t mqtt.Token) error {
	select {
	case <-t.Done():
		return t.Error()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// connect connects a client and waits for the first connection until ctx
// is done (with ConnectRetry the token only completes on success).
func connect(ctx context.Context, o *mqtt.ClientOptions) (mqtt.Client, error) {
	c := mqtt.NewClient(o)
	if err := wait(ctx, c.Connect()); err != nil {
		c.Disconnect(0)
		return nil, fmt.Errorf("connect to %v: %w", o.Servers, err)
	}
	return c, nil
}

// Publisher publishes one message at QoS 1 and returns once the broker
// acknowledged it (PUBACK) or ctx is done.
type Publisher interface {
	Publish(ctx context.Context, topic string, payload []byte) error
}

// MQTTPublisher is a Publisher over a connected paho client.
type MQTTPublisher struct{ Client mqtt.Client }

// Publish sends payload on topic at QoS 1, not retained.
func (p MQTTPublisher) Publish(ctx context.Context, topic string, payload []byte) error {
	if err := wait(ctx, p.Client.Publish(topic, 1, false, payload)); err != nil {
		return fmt.Errorf("publish on %s: %w", topic, err)
	}
	return nil
}

// Dial connects a client with the configuration and returns a Publisher on
// it with the client, which the caller disconnects when done.
func Dial(ctx context.Context, c ClientConfig) (MQTTPublisher, mqtt.Client, error) {
	o, err := c.Options()
	if err != nil {
		return MQTTPublisher{}, nil, err
	}
	cl, err := connect(ctx, o)
	if err != nil {
		return MQTTPublisher{}, nil, err
	}
	return MQTTPublisher{cl}, cl, nil
}
