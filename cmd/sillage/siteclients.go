package main

import (
	"context"
	"fmt"
	"sync"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/sillage/sillage/iot"
)

// siteClients connects to the broker on behalf of sites, as the RFID
// simulator and the simulated warehouses do. With a password format (e.g.
// "dev-%s") each site gets its own connection, user name = site id and
// password = the format applied to the id, so the broker's ACL sees the
// site itself; without one, every site shares one connection.
type siteClients struct {
	base           iot.ClientConfig
	passwordFormat string

	mu      sync.Mutex
	shared  *siteConn
	clients []mqtt.Client
}

type siteConn struct {
	pub    iot.MQTTPublisher
	client mqtt.Client
}

// dial returns the connection to use for site, connecting when needed.
func (s *siteClients) dial(ctx context.Context, site string) (iot.MQTTPublisher, mqtt.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.passwordFormat == "" && s.shared != nil {
		return s.shared.pub, s.shared.client, nil
	}
	cfg := s.base
	if s.passwordFormat != "" {
		cfg.Username, cfg.Password = site, fmt.Sprintf(s.passwordFormat, site)
		cfg.ClientID = s.base.ClientID + "-" + site
	}
	pub, c, err := iot.Dial(ctx, cfg)
	if err != nil {
		return iot.MQTTPublisher{}, nil, err
	}
	s.clients = append(s.clients, c)
	if s.passwordFormat == "" {
		s.shared = &siteConn{pub: pub, client: c}
	}
	return pub, c, nil
}

// close disconnects every connection, waiting up to 250 ms for each.
func (s *siteClients) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.clients {
		c.Disconnect(250)
	}
	s.clients, s.shared = nil, nil
}
