package testnet

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/network"
)

// Path returns the path of testdata/networks/{name}.yaml in the module.
func Path(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "networks", name+".yaml")
}

// Load loads the sample network name (for example "tiny" or "maison") as
// network.Load does, and fails t when it cannot.
func Load(t testing.TB, name string) *sillage.Network {
	t.Helper()
	n, err := network.Load(Path(name))
	if err != nil {
		t.Fatalf("sample network %s: %v", name, err)
	}
	return n
}

// ModuleRoot returns the module's folder: the first folder at or above the
// working directory that holds a go.mod. It fails t when there is none.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}
