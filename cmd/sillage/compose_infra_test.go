package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The infrastructure services of docker-compose.yml and the Dockerfile.

// TestComposeInfrastructure checks the services sillage depends on.
func TestComposeInfrastructure(t *testing.T) {
	f := loadCompose(t)
	tmp := f.Services["temporal"]
	if tmp.Environment["DB"] != "postgres12" || tmp.Environment["POSTGRES_SEEDS"] != "postgres" || tmp.Environment["POSTGRES_USER"] != "temporal" {
		t.Errorf("temporal: not on the postgres service: %v", tmp.Environment)
	}
	if tmp.Environment["POSTGRES_PWD"] != f.Services["postgres"].Environment["TEMPORAL_DB_PASSWORD"] {
		t.Error("temporal: its database password differs from the one init.sh gives the temporal role")
	}
	dyn := readRepoFile(t, "deploy/temporal/dynamicconfig.yaml")
	for _, k := range []string{"frontend.enableUpdateWorkflowExecution:", "system.forceSearchAttributesCacheRefreshOnRead:"} {
		if !strings.Contains(dyn, k) {
			t.Errorf("deploy/temporal/dynamicconfig.yaml lacks %s", k)
		}
	}
	if !strings.HasSuffix(tmp.Environment["DYNAMIC_CONFIG_FILE_PATH"], "sillage.yaml") || !strings.Contains(strings.Join(tmp.Volumes, " "), "dynamicconfig.yaml:/etc/temporal/config/dynamicconfig/sillage.yaml") {
		t.Errorf("temporal: the dynamic config is not mounted where DYNAMIC_CONFIG_FILE_PATH says")
	}
	init := readRepoFile(t, "deploy/postgres/init.sh")
	for _, want := range []string{"CREATE ROLE temporal LOGIN CREATEDB", "CREATE DATABASE sillage OWNER sillage"} {
		if !strings.Contains(init, want) {
			t.Errorf("deploy/postgres/init.sh lacks %q", want)
		}
	}
	pg := f.Services["postgres"]
	for _, v := range []string{"TEMPORAL_DB_PASSWORD", "SILLAGE_DB_PASSWORD"} {
		if pg.Environment[v] == "" || !strings.Contains(init, "${"+v+"}") {
			t.Errorf("postgres: %s is not passed to init.sh", v)
		}
	}
	if ui := f.Services["temporal-ui"]; ui.Environment["TEMPORAL_ADDRESS"] != "temporal:7233" {
		t.Errorf("temporal-ui: TEMPORAL_ADDRESS %q", ui.Environment["TEMPORAL_ADDRESS"])
	}
}

// TestDockerfile checks that the image has what the compose file uses.
func TestDockerfile(t *testing.T) {
	d := readRepoFile(t, "Dockerfile")
	for _, want := range []string{
		"go build", "./cmd/sillage", `ENTRYPOINT ["/usr/local/bin/sillage"]`,
		"COPY testdata/networks /usr/share/sillage/networks",
		"/var/lib/sillage/reports", "coinor-libclp", "coinor-libcbc", "curl", "USER sillage",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	ignore := readRepoFile(t, ".dockerignore")
	for _, want := range []string{".git", "testdata/artifacts"} {
		if !strings.Contains(ignore, want) {
			t.Errorf(".dockerignore lacks %s", want)
		}
	}
	if strings.Contains(ignore, "\ntestdata\n") || strings.HasPrefix(ignore, "testdata\n") {
		t.Error(".dockerignore leaves out testdata, which the image copies the networks from")
	}
}

func readRepoFile(t *testing.T, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
