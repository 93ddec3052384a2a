package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/mosquitto"
)

// siteClients connects to the broker on behalf of sites, as the RFID
// simulator and the simulated warehouses do. With sitePassword each site
// gets its own connection, user name = site id and the password it
// returns, so the broker's ACL sees the site itself; without it, every
// site shares one connection.
type siteClients struct {
	base         iot.ClientConfig
	sitePassword func(site string) (string, error)

	mu      sync.Mutex
	shared  *siteConn
	bySite  map[string]*siteConn // with sitePassword: one connection per site
	clients []mqtt.Client
}

type siteConn struct {
	pub    iot.MQTTPublisher
	client mqtt.Client
}

// dial returns the connection to use for site, connecting when needed:
// a site is connected once (a second connection with its client id would
// take its session over).
func (s *siteClients) dial(ctx context.Context, site string) (iot.MQTTPublisher, mqtt.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sitePassword == nil && s.shared != nil {
		return s.shared.pub, s.shared.client, nil
	}
	if c, ok := s.bySite[site]; ok {
		return c.pub, c.client, nil
	}
	cfg := s.base
	if s.sitePassword != nil {
		pw, err := s.sitePassword(site)
		if err != nil {
			return iot.MQTTPublisher{}, nil, fmt.Errorf("site %s: %w", site, err)
		}
		cfg.Username, cfg.Password = site, pw
		cfg.ClientID = s.base.ClientID + "-" + site
	}
	pub, c, err := iot.Dial(ctx, cfg)
	if err != nil {
		return iot.MQTTPublisher{}, nil, err
	}
	s.clients = append(s.clients, c)
	if s.sitePassword == nil {
		s.shared = &siteConn{pub: pub, client: c}
	} else {
		if s.bySite == nil {
			s.bySite = map[string]*siteConn{}
		}
		s.bySite[site] = &siteConn{pub: pub, client: c}
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

// sitePasswordFlags are --site-password and --site-credentials of the
// simulator and the warehouses.
type sitePasswordFlags struct{ format, dir *string }

func declareSitePasswordFlags(fs *flag.FlagSet) sitePasswordFlags {
	return sitePasswordFlags{
		format: fs.String("site-password", "", "connect one client per site, user = site id, password = fmt `FORMAT` of the site id"),
		dir:    fs.String("site-credentials", "", "connect one client per site, user = site id, password from `DIR`/credentials/SITE (the --out of sillage mqtt-users)"),
	}
}

// passwords returns the per-site password function of the flags, nil
// when neither is given.
func (f sitePasswordFlags) passwords() (func(string) (string, error), error) {
	switch {
	case *f.format != "" && *f.dir != "":
		return nil, usageErrorf("give --site-password or --site-credentials, not both")
	case *f.format != "":
		format := *f.format
		return func(site string) (string, error) { return fmt.Sprintf(format, site), nil }, nil
	case *f.dir != "":
		if _, err := os.Stat(filepath.Join(*f.dir, mosquitto.DirCredentials)); err != nil {
			return nil, usageErrorf("--site-credentials: %v", err)
		}
		dir := *f.dir
		return func(site string) (string, error) { return mosquitto.ReadPassword(mosquitto.CredentialsFile(dir, site)) }, nil
	}
	return nil, nil
}

// newSiteClients checks the broker flags mf and the per-site password
// flags sp of a command that acts for every site (simulate, warehouse),
// and returns its connections, with clean sessions or persistent ones.
// It connects nothing yet.
func newSiteClients(mf *mqttFlags, sp sitePasswordFlags, cleanSession bool) (*siteClients, error) {
	if err := mf.check(); err != nil {
		return nil, err
	}
	passwords, err := sp.passwords()
	if err != nil {
		return nil, err
	}
	base := mf.config()
	base.CleanSession = cleanSession
	return &siteClients{base: base, sitePassword: passwords}, nil
}
