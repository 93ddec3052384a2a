package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/network"
)

func runGen(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLI(t, append([]string{"gen-network"}, args...)...)
}

func TestGenNetworkStdout(t *testing.T) {
	out, errs := runCLIOK(t, "gen-network", "--sites", "30", "--products", "6", "--seed", "4", "--weeks", "10")
	n, err := network.Parse("stdout", []byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Sites) != 30 || len(n.Products) != 6 || len(n.Demand[0].Weekly) != 10 {
		t.Errorf("%d sites, %d products, %d weeks", len(n.Sites), len(n.Products), len(n.Demand[0].Weekly))
	}
	if !strings.Contains(errs, "gen-network: 30 sites, 6 products") || !strings.Contains(errs, "to standard output") {
		t.Errorf("summary on stderr: %q", errs)
	}
	// The same flags give the same bytes; another seed other bytes.
	if _, again, _ := runGen(t, "--sites", "30", "--products", "6", "--seed", "4", "--weeks", "10"); again != out {
		t.Error("same flags, different output")
	}
	if _, other, _ := runGen(t, "--sites", "30", "--products", "6", "--seed", "5", "--weeks", "10"); other == out {
		t.Error("another seed, same output")
	}
}

func TestGenNetworkFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.yaml")
	code, out, errs := runGen(t, "--sites", "8", "--products", "3", "--out", path)
	if code != 0 || out != "" {
		t.Fatalf("exit %d, stdout %q: %s", code, out, errs)
	}
	n, err := network.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Demand[0].Weekly) != 104 {
		t.Errorf("%d weeks by default, want 104", len(n.Demand[0].Weekly))
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// TestGenNetworkHub: --hub writes the network of netgen.Hub, with one
// distribution centre and boutiques without stock.
func TestGenNetworkHub(t *testing.T) {
	out, _ := runCLIOK(t, "gen-network", "--sites", "60", "--products", "2", "--weeks", "6", "--hub")
	n, err := network.Parse("stdout", []byte(out))
	if err != nil {
		t.Fatal(err)
	}
	dcs, boutiques := 0, map[string]bool{}
	for _, s := range n.Sites {
		switch s.Kind {
		case sillage.KindDC:
			dcs++
		case sillage.KindBoutique:
			boutiques[s.ID] = true
		}
	}
	if dcs != 1 || len(boutiques) != 60-3-2 || !strings.HasSuffix(n.Name, "-hub") {
		t.Errorf("%q: %d centres and %d boutiques, want 1 and 55", n.Name, dcs, len(boutiques))
	}
	for _, p := range n.Stock {
		if boutiques[p.Site] {
			t.Errorf("boutique %s has stock", p.Site)
		}
	}
}

func TestGenNetworkMaisonPreset(t *testing.T) {
	out, _ := runCLIOK(t, "gen-network", "--preset", "maison")
	committed, err := os.ReadFile("../../testdata/networks/maison.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if out != string(committed) {
		t.Error("gen-network --preset maison differs from testdata/networks/maison.yaml")
	}
}

func TestGenNetworkUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--sites", "10"},
		{"--sites", "2", "--products", "1"},
		{"--sites", "10", "--products", "0"},
		{"--sites", "10", "--products", "1", "--weeks", "0"},
		{"--preset", "maison", "--sites", "10"},
		{"--preset", "boutique"},
		{"--preset", "maison", "--hub"},
		{"--sites", "10", "--products", "1", "--hub", "--db", "sqlite://x.db"},
		{"--sites", "10", "--products", "1", "extra"},
		{"--sites", "many"},
	} {
		if code, _, errs := runGen(t, args...); code != 2 || !strings.Contains(errs, "Usage: sillage gen-network") {
			t.Errorf("gen-network %v: exit %d, want 2 with the usage\n%s", args, code, errs)
		}
	}
	if code, out, _ := runGen(t, "-h"); code != 0 || !strings.Contains(out, "--preset maison") {
		t.Errorf("-h: exit %d\n%s", code, out)
	}
}

// TestGenNetworkTooLarge asks for a network far over the 64 MiB limit and
// expects a clear refusal before any work, and no file.
func TestGenNetworkTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.yaml")
	code, _, errs := runGen(t, "--sites", "500", "--products", "600", "--weeks", "104", "--out", path)
	if code != 1 || !strings.Contains(errs, "over the 64 MiB limit of network files") {
		t.Errorf("exit %d, want 1 with a size message:\n%s", code, errs)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a file was written: %v", err)
	}
}

// TestLimitedBuffer: the writer of gen-network stops at its limit.
func TestLimitedBuffer(t *testing.T) {
	b := &limitedBuffer{max: 10}
	if _, err := b.Write([]byte("0123456789")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Write([]byte("x")); err != errOverLimit || b.Len() != 10 {
		t.Errorf("write past the limit: %v, %d bytes held", err, b.Len())
	}
}
