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
	b.SetBytes(int64(len(big(b))))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := network.Load(path); err != nil {
			b.Fatal(err)
		}
	}
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
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := r.parse("big.yaml", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMarshalBig(b *testing.B) {
	n, err := network.Parse("big.yaml", big(b))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(big(b))))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := network.Marshal(n); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadMaison(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := network.Load("../testdata/networks/maison.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
