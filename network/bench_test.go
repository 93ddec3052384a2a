package network_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/sillage/sillage/netgen"
	"github.com/sillage/sillage/network"
)

// bigFile is a generated network of 250 sites × 400 products with 52
// weeks of demand (about 23 MB), the largest size the README promises to
// load.
var bigFile = sync.OnceValues(func() ([]byte, error) {
	n, err := netgen.Generate(netgen.Options{Sites: 250, Products: 400, Seed: 1, Weeks: 52})
	if err != nil {
		return nil, err
	}
	return network.Marshal(n)
})

func big(b *testing.B) []byte {
	b.Helper()
	data, err := bigFile()
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkLoadBig measures Load of the big file from disk.
func BenchmarkLoadBig(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.yaml")
	if err := os.WriteFile(path, big(b), 0o644); err != nil {
		b.Fatal(err)
	}
	loop(b, len(big(b)), func() error {
		_, err := network.Load(path)
		return err
	})
}

// BenchmarkParseBig compares the fast reader with yaml.v3 alone.
func BenchmarkParseBig(b *testing.B) {
	data := big(b)
	for _, r := range []struct {
		name  string
		parse func(string, []byte) (any, error)
	}{
		{"fast", func(n string, d []byte) (any, error) { return network.Parse(n, d) }},
		{"yaml.v3", func(n string, d []byte) (any, error) { return network.ParseSlow(n, d) }},
	} {
		b.Run(r.name, func(b *testing.B) {
			loop(b, len(data), func() error {
				_, err := r.parse("big.yaml", data)
				return err
			})
		})
	}
}

func BenchmarkMarshalBig(b *testing.B) {
	n, err := network.Parse("big.yaml", big(b))
	if err != nil {
		b.Fatal(err)
	}
	loop(b, len(big(b)), func() error {
		_, err := network.Marshal(n)
		return err
	})
}

func BenchmarkLoadMaison(b *testing.B) {
	loop(b, 0, func() error {
		_, err := network.Load("../testdata/networks/maison.yaml")
		return err
	})
}

// loop times op b.N times, reporting allocations, and the throughput of
// size bytes an op unless size is 0; the time before it does not count.
func loop(b *testing.B, size int, op func() error) {
	b.Helper()
	if size > 0 {
		b.SetBytes(int64(size))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
}
