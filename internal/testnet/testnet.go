package testnet

import (
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
