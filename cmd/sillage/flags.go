package main

import (
	"context"
	"flag"
	"os"
	"strings"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/mosquitto"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store"
)

// Flags that several subcommands declare alike: --db, the MQTT broker
// connection, the carbon commands' network and company flags.

// carbonFlags are the flags that the carbon commands (footprint, report)
// both declare: the network file, the company factor file and the PACT
// company and product classes.
type carbonFlags struct {
	network   *string // network FILE (YAML)
	factors   *string // company factor FILE, "" for the shipped factors only
	company   *string // company NAME, "" for pact.CompanyName's default
	companyID *string // company URN for PACT, "" to derive it from the name
	cpc       *string // CLASS=CODE,... for product classes without a default
}

// declareCarbonFlags declares the carbonFlags in fs; companyFor says what
// the company name is used for, in its help.
func declareCarbonFlags(fs *flag.FlagSet, companyFor string) carbonFlags {
	return carbonFlags{
		network:   fs.String("network", "", "network `FILE` (YAML)"),
		factors:   fs.String("factors", "", "company factor `FILE` (YAML) applied on top of the shipped factors (freight, grid, materials, hubs)"),
		company:   fs.String("company", "", "company `NAME` for "+companyFor+" (default: the products' maison)"),
		companyID: fs.String("company-id", "", "company `URN` for PACT (default: derived from the name)"),
		cpc:       fs.String("cpc", "", "UN CPC codes for product classes without a default, `CLASS=CODE,...`"),
	}
}

// parseCPC parses --cpc: CLASS=CODE,CLASS=CODE.
func parseCPC(s string) (map[string]string, error) {
	m := map[string]string{}
	if s == "" {
		return m, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok || k == "" || v == "" {
			return nil, usageErrorf("--cpc: %q is not CLASS=CODE", kv)
		}
		m[k] = v
	}
	return m, nil
}

// envDB names the environment variable that gives the default of --db.
const envDB = "SILLAGE_DB"

// dbFlag declares the --db flag shared by the subcommands that use the
// store. Its default is $SILLAGE_DB when set, else store.DefaultURL.
func dbFlag(fs *flag.FlagSet) *string {
	def := store.DefaultURL
	if v := os.Getenv(envDB); v != "" {
		def = v
	}
	return fs.String("db", def, "database `URL`: sqlite://PATH or postgres://USER@HOST:PORT/DB (default from $"+envDB+")")
}

// storedNetworkFlags are --db and --network of the subcommands that read
// one stored network (demand, trace, ledger, epcis-serve, stock,
// discrepancies).
type storedNetworkFlags struct {
	db, netName *string
}

// declareStoredNetworkFlags declares the flags of storedNetworkFlags on fs.
func declareStoredNetworkFlags(fs *flag.FlagSet) storedNetworkFlags {
	return storedNetworkFlags{db: dbFlag(fs), netName: networkFlag(fs)}
}

// openNetwork opens the store and resolves the network (see
// openNetworkStore). The caller closes the store.
func (f storedNetworkFlags) openNetwork(ctx context.Context) (*store.Store, string, error) {
	return openNetworkStore(ctx, *f.db, *f.netName)
}

// siteQueryFlags are the flags of the subcommands that read one stored
// network, optionally one site of it (stock, discrepancies): --db,
// --network, --site and --json.
type siteQueryFlags struct {
	storedNetworkFlags
	site   *string
	asJSON *bool
}

// declareSiteQueryFlags declares the flags of siteQueryFlags on fs.
func declareSiteQueryFlags(fs *flag.FlagSet) siteQueryFlags {
	return siteQueryFlags{
		storedNetworkFlags: declareStoredNetworkFlags(fs),
		site:               fs.String("site", "", "only this site `id`"),
		asJSON:             fs.Bool("json", false, "print JSON"),
	}
}

// open refuses arguments, then opens the store and resolves the network
// (see openNetworkStore). The caller closes the store.
func (f siteQueryFlags) open(ctx context.Context, e *env) (*store.Store, string, error) {
	if len(e.args) > 0 {
		return nil, "", usageErrorf("unexpected argument %q", e.args[0])
	}
	return f.openNetwork(ctx)
}

// requireNetworkFile returns the usage errors of the subcommands that
// read a network FILE (--network) and take no arguments: first a missing
// --network, then an argument.
func requireNetworkFile(file string, e *env) error {
	if file == "" {
		return usageErrorf("--network is required")
	}
	if len(e.args) > 0 {
		return usageErrorf("unexpected argument %q", e.args[0])
	}
	return nil
}

// networkFlag declares the --network flag of the subcommands that read
// one stored network; empty means the only one (see networkName).
func networkFlag(fs *flag.FlagSet) *string {
	return fs.String("network", "", "`NAME` of the stored network (default: the only one)")
}

// envMQTTPassword names the environment variable that gives the default of
// --password, so that passwords need not appear in process lists.
const envMQTTPassword = "SILLAGE_MQTT_PASSWORD"

// mqttFlags are the broker connection flags shared by ingest and simulate.
type mqttFlags struct {
	broker, username, password, passwordFile, clientID *string
	caFile, certFile, keyFile                          *string
}

func declareMQTTFlags(fs *flag.FlagSet, defaultClientID string) *mqttFlags {
	return &mqttFlags{
		broker:       fs.String("broker", "tcp://127.0.0.1:1883", "MQTT broker `URL`: tcp://HOST:PORT, or ssl://HOST:PORT for TLS"),
		username:     fs.String("username", "", "MQTT user `name`"),
		password:     fs.String("password", os.Getenv(envMQTTPassword), "MQTT `password` (default from $"+envMQTTPassword+")"),
		passwordFile: fs.String("password-file", "", "read the MQTT password from `FILE` (its first line), e.g. a credentials file of sillage mqtt-users; overrides --password"),
		clientID:     fs.String("client-id", defaultClientID, "MQTT client `id` (ingest: fixed, default sillage-ingest-NETWORK)"),
		caFile:       fs.String("ca-file", "", "PEM `file` of the CA that signs the broker's TLS certificate (with ssl://, tls:// or mqtts:// brokers)"),
		certFile:     fs.String("cert-file", "", "client TLS certificate PEM `file`, for brokers that require one"),
		keyFile:      fs.String("key-file", "", "client TLS key PEM `file`"),
	}
}

// config returns the client configuration of the flags; check reads
// --password-file first.
func (m *mqttFlags) config() iot.ClientConfig {
	return iot.ClientConfig{Broker: *m.broker, ClientID: *m.clientID, Username: *m.username, Password: *m.password,
		CAFile: *m.caFile, CertFile: *m.certFile, KeyFile: *m.keyFile}
}

// check reports a usage error for inconsistent connection flags, and
// reads --password-file into the password.
func (m *mqttFlags) check() error {
	if !strings.Contains(*m.broker, "://") {
		return usageErrorf("--broker %q: want tcp://HOST:PORT or ssl://HOST:PORT", *m.broker)
	}
	if *m.passwordFile != "" {
		pw, err := mosquitto.ReadPassword(*m.passwordFile)
		if err != nil {
			return usageErrorf("--password-file: %v", err)
		}
		*m.password = pw
	}
	if (*m.certFile == "") != (*m.keyFile == "") {
		return usageErrorf("--cert-file and --key-file go together")
	}
	if _, err := m.config().TLSConfig(); err != nil {
		return usageErrorf("TLS: %v", err)
	}
	return nil
}

// optimizeFlagGiven reports whether the flag name was given on the command line.
func optimizeFlagGiven(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

// load parses --cpc, then reads the network file and the factor tables
// (the shipped ones with --factors applied), in that order.
func (c carbonFlags) load() (*sillage.Network, carbon.FactorTables, map[string]string, error) {
	cpc, err := parseCPC(*c.cpc)
	if err != nil {
		return nil, carbon.FactorTables{}, nil, err
	}
	n, err := network.Load(*c.network)
	if err != nil {
		return nil, carbon.FactorTables{}, nil, err
	}
	ts, err := loadFactorTables(*c.factors)
	if err != nil {
		return nil, carbon.FactorTables{}, nil, err
	}
	return n, ts, cpc, nil
}
