package main

import (
	"flag"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/sillage/sillage/store"
)

// No Docker engine runs where the tests run: these tests read
// docker-compose.yml, the Dockerfile and the files they mount, and check
// them against each other and against the flags the binary really has.

// composeFile is the part of the Compose specification the tests read.
type composeFile struct {
	Name     string                    `yaml:"name"`
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Image         string                  `yaml:"image"`
	Build         any                     `yaml:"build"`
	ContainerName string                  `yaml:"container_name"`
	Command       []string                `yaml:"command"`
	Entrypoint    any                     `yaml:"entrypoint"`
	Environment   map[string]string       `yaml:"environment"`
	Ports         []string                `yaml:"ports"`
	Volumes       []string                `yaml:"volumes"`
	DependsOn     map[string]composeDepOn `yaml:"depends_on"`
	Healthcheck   *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	Deploy *struct {
		Replicas int `yaml:"replicas"`
	} `yaml:"deploy"`
	Restart  string   `yaml:"restart"`
	User     string   `yaml:"user"`
	Profiles []string `yaml:"profiles"`
}

type composeDepOn struct {
	Condition string `yaml:"condition"`
}

const repoRoot = "../.."

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	// Keys the tests do not model (x- extensions, health check timings,
	// stop_grace_period...) are ignored.
	var f composeFile
	if err := yaml.Unmarshal([]byte(interpolate(t, string(data))), &f); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	if len(f.Services) == 0 {
		t.Fatal("docker-compose.yml has no services")
	}
	return f
}

// composeVar is a variable reference of the Compose file format.
var composeVar = regexp.MustCompile(`\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}`)

// interpolate replaces ${VAR:-default} by its default, as docker compose
// does without an .env file, and $$ by $. Every variable must have a
// default, so that `docker compose up` works as it is.
func interpolate(t *testing.T, s string) string {
	t.Helper()
	return composeVar.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$$" {
			return "$"
		}
		sub := composeVar.FindStringSubmatch(m)
		if !strings.Contains(m, "-") {
			t.Errorf("docker-compose.yml: %s has no default", m)
		}
		return sub[2]
	})
}

// isSillage reports whether a service runs the sillage image.
func (s composeService) isSillage() bool {
	return strings.Contains(s.Image, "sillage") && s.Build != nil
}

// checkArgs parses a sillage command line with the registered command's
// own flag set, as the binary would.
func checkArgs(t *testing.T, service string, args []string) *flag.FlagSet {
	t.Helper()
	if len(args) == 0 {
		t.Errorf("%s: no command", service)
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		t.Errorf("%s: sillage has no command %q", service, args[0])
		return nil
	}
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.flags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		t.Errorf("%s: sillage %s: %v", service, args[0], err)
		return nil
	}
	if fs.NArg() > 0 {
		t.Errorf("%s: sillage %s: unexpected arguments %q", service, args[0], fs.Args())
	}
	return fs
}

func TestComposeServices(t *testing.T) {
	f := loadCompose(t)
	for _, name := range []string{"postgres", "temporal", "temporal-ui", "mqtt-users", "mosquitto", "searchattrs", "seed", "schedules",
		"worker", "ingest-1", "ingest-2", "footprints", "pact-serve", "simulator", "warehouse", "prometheus"} {
		if _, ok := f.Services[name]; !ok {
			t.Errorf("no service %s", name)
		}
	}
	hostPorts := map[string]string{}
	for name, s := range f.Services {
		if s.Image == "" {
			t.Errorf("%s: no image", name)
		}
		for _, p := range s.Ports {
			parts := strings.Split(p, ":")
			host := strings.Join(parts[:len(parts)-1], ":")
			if other, dup := hostPorts[host]; dup {
				t.Errorf("host port %s published by %s and %s", host, name, other)
			}
			hostPorts[host] = name
		}
		// depends_on: the target exists; a health condition needs a
		// health check; completion needs a one-shot job.
		for dep, d := range s.DependsOn {
			target, ok := f.Services[dep]
			switch {
			case !ok:
				t.Errorf("%s depends on unknown service %s", name, dep)
			case d.Condition == "service_healthy" && target.Healthcheck == nil:
				t.Errorf("%s waits for %s to be healthy, which has no health check", name, dep)
			case d.Condition == "service_completed_successfully" && target.Restart != "no":
				t.Errorf("%s waits for %s to complete, which is not a one-shot job (restart %q)", name, dep, target.Restart)
			case d.Condition == "":
				t.Errorf("%s depends on %s without a condition", name, dep)
			}
		}
		// Volumes: named ones are declared, bind mounts exist.
		for _, v := range s.Volumes {
			src := strings.SplitN(v, ":", 2)[0]
			if strings.HasPrefix(src, "./") {
				if _, err := os.Stat(filepath.Join(repoRoot, src)); err != nil {
					t.Errorf("%s mounts %s: %v", name, src, err)
				}
			} else if _, ok := f.Volumes[src]; !ok {
				t.Errorf("%s uses volume %s, not declared under volumes:", name, src)
			}
		}
	}
	for _, name := range []string{"postgres", "temporal", "mosquitto", "worker", "ingest-1", "ingest-2"} {
		if f.Services[name].Healthcheck == nil {
			t.Errorf("%s has no health check", name)
		}
	}
	// Only the UIs and Temporal's frontend are published, on loopback;
	// MQTT is for the warehouses.
	for _, p := range f.Services["temporal"].Ports {
		if !strings.HasPrefix(p, "127.0.0.1:") {
			t.Errorf("temporal publishes %s beyond loopback", p)
		}
	}
	if len(f.Services["postgres"].Ports) > 0 {
		t.Error("postgres publishes a port")
	}
	// MQTT leaves the host with TLS only.
	if p := f.Services["mosquitto"].Ports; len(p) != 1 || p[0] != "8883:8883" {
		t.Errorf("mosquitto publishes %v, want only the TLS port 8883:8883", p)
	}
	// The demo services run only with --profile demo.
	for name, s := range f.Services {
		if demo := name == "simulator" || name == "warehouse"; demo != contains(s.Profiles, "demo") {
			t.Errorf("%s: profiles %v", name, s.Profiles)
		}
	}
	if dependsCycle(f) {
		t.Error("depends_on has a cycle")
	}
}

// dependsCycle reports a cycle in depends_on.
func dependsCycle(f composeFile) bool {
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(string) bool
	visit = func(n string) bool {
		switch state[n] {
		case 1:
			return true
		case 2:
			return false
		}
		state[n] = 1
		for dep := range f.Services[n].DependsOn {
			if visit(dep) {
				return true
			}
		}
		state[n] = 2
		return false
	}
	for n := range f.Services {
		if visit(n) {
			return true
		}
	}
	return false
}

// TestComposeSillageCommands checks every sillage service's command line
// against the binary's real flags, and what they connect to against the
// services that provide it.
func TestComposeSillageCommands(t *testing.T) {
	f := loadCompose(t)
	var sillageServices []string
	for name, s := range f.Services {
		if s.isSillage() {
			sillageServices = append(sillageServices, name)
		}
	}
	sort.Strings(sillageServices)
	if strings.Join(sillageServices, ",") != "footprints,ingest-1,ingest-2,mqtt-users,pact-serve,schedules,searchattrs,seed,simulator,warehouse,worker" {
		t.Errorf("sillage services %v", sillageServices)
	}
	mq := generateComposeMQTT(t, f)
	for _, name := range sillageServices {
		s := f.Services[name]
		if s.Entrypoint != nil {
			t.Errorf("%s overrides the image's entrypoint", name)
		}
		fs := checkArgs(t, name, s.Command)
		if fs == nil {
			continue
		}
		// The environment the flags default from.
		if fs.Lookup("db") != nil {
			db, err := url.Parse(s.Environment[envDB])
			if _, perr := store.ParseURL(s.Environment[envDB]); err != nil || perr != nil || db.Scheme != "postgres" ||
				db.Hostname() != "postgres" || db.Port() != "5432" || db.Path != "/sillage" || db.User.Username() != "sillage" {
				t.Errorf("%s: %s=%q: want the sillage database of the postgres service", name, envDB, s.Environment[envDB])
			} else if pw, _ := db.User.Password(); pw != f.Services["postgres"].Environment["SILLAGE_DB_PASSWORD"] {
				t.Errorf("%s: the database password differs from the one init.sh gives the sillage role", name)
			}
		}
		if fs.Lookup("temporal") != nil && s.Environment[envTemporal] != "temporal:7233" {
			t.Errorf("%s: %s=%q, want temporal:7233", name, envTemporal, s.Environment[envTemporal])
		}
		if fl := fs.Lookup("broker"); fl != nil && fl.Value.String() != fl.DefValue {
			checkComposeMQTTClient(t, name, s, fs, mq)
		}
		// Long-running services serve metrics where their health check
		// and Prometheus look.
		if fl := fs.Lookup("metrics"); fl != nil && fl.Value.String() != "" {
			_, port, err := net.SplitHostPort(fl.Value.String())
			if err != nil {
				t.Errorf("%s: --metrics %q: %v", name, fl.Value, err)
				continue
			}
			if s.Healthcheck == nil || !strings.Contains(strings.Join(s.Healthcheck.Test, " "), ":"+port+"/healthz") {
				t.Errorf("%s: health check does not ask /healthz on the metrics port %s", name, port)
			}
			if !strings.Contains(readRepoFile(t, "deploy/prometheus/prometheus.yml"), "names: ["+name+"]\n        type: A\n        port: "+port) {
				t.Errorf("%s: deploy/prometheus/prometheus.yml does not scrape %s:%s", name, name, port)
			}
		}
	}

	w := f.Services["worker"]
	if w.ContainerName != "" || len(w.Ports) > 0 {
		t.Errorf("worker has container_name %q or ports %v: it could not be scaled (--scale worker=N)", w.ContainerName, w.Ports)
	}
	for dep, cond := range map[string]string{"searchattrs": "service_completed_successfully", "seed": "service_completed_successfully",
		"temporal": "service_healthy", "mosquitto": "service_healthy"} {
		if w.DependsOn[dep].Condition != cond {
			t.Errorf("worker depends on %s with %q, want %s", dep, w.DependsOn[dep].Condition, cond)
		}
	}
	// Two ingests splitting the sites (partitions 1/2 and 2/2), each with
	// its own persistent session: one process per client id.
	parts, ids := map[string]bool{}, map[string]bool{}
	for _, name := range []string{"ingest-1", "ingest-2"} {
		in := f.Services[name]
		if in.Deploy != nil && in.Deploy.Replicas > 1 || in.ContainerName != "" {
			t.Errorf("%s must run once (one persistent MQTT session per client id)", name)
		}
		fs := checkArgs(t, name, in.Command)
		if fs == nil {
			continue
		}
		if g := fs.Lookup("share").Value.String(); g != "" {
			t.Errorf("%s: --share %s: Mosquitto drops shared subscriptions when it restarts; split by --partition", name, g)
		}
		parts[fs.Lookup("partition").Value.String()] = true
		ids[fs.Lookup("client-id").Value.String()] = true
		if in.Restart != "unless-stopped" {
			t.Errorf("%s: restart %q: a stopped ingest's sites wait for it", name, in.Restart)
		}
	}
	if !parts["1/2"] || !parts["2/2"] || len(parts) != 2 || len(ids) != 2 || ids[""] {
		t.Errorf("ingests: partitions %v, client ids %v; want 1/2 and 2/2 and two client ids", parts, ids)
	}
	// The seed keeps the stock the ingest built, and seeds a file the
	// image has.
	seed := f.Services["seed"].Command
	if !contains(seed, "--if-absent") {
		t.Errorf("seed %v: without --if-absent a restart would reset the stock", seed)
	}
	for name, s := range f.Services {
		for i, a := range s.Command {
			if a == "--network" && i+1 < len(s.Command) && strings.Contains(s.Command[i+1], "/") {
				const inImage = "/usr/share/sillage/networks/"
				if !strings.HasPrefix(s.Command[i+1], inImage) {
					t.Errorf("%s --network %s: not in the image's %s", name, s.Command[i+1], inImage)
				} else if _, err := os.Stat(filepath.Join(repoRoot, "testdata", "networks", strings.TrimPrefix(s.Command[i+1], inImage))); err != nil {
					t.Errorf("%s --network %s: %v (the Dockerfile copies testdata/networks there)", name, s.Command[i+1], err)
				}
			}
		}
	}
	// The schedules and the ingests name the seeded network maison.
	for _, name := range []string{"schedules", "ingest-1", "ingest-2"} {
		if !contains(f.Services[name].Command, "maison") {
			t.Errorf("%s must name the seeded network maison", name)
		}
	}
	// pact-serve serves what footprints wrote.
	pfs, ffs := checkArgs(t, "pact-serve", f.Services["pact-serve"].Command), checkArgs(t, "footprints", f.Services["footprints"].Command)
	if pfs != nil && ffs != nil && pfs.Lookup("publish").Value.String() != ffs.Lookup("pact").Value.String() {
		t.Errorf("pact-serve --publish %s, footprints --pact %s", pfs.Lookup("publish").Value, ffs.Lookup("pact").Value)
	}
	if f.Services["pact-serve"].Environment[envPACTClients] == "" {
		t.Errorf("pact-serve has no %s", envPACTClients)
	}
	// pact-serve keeps its footprints in the database ($SILLAGE_DB).
	if db := f.Services["pact-serve"].Environment["SILLAGE_DB"]; !strings.HasPrefix(db, "postgres://") {
		t.Errorf("pact-serve: SILLAGE_DB = %q, want the PostgreSQL URL the other services use", db)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
