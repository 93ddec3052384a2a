package testnet

import "testing"

func TestLoad(t *testing.T) {
	for _, name := range []string{"tiny", "maison"} {
		n := Load(t, name)
		if n.Name == "" && len(n.Sites) == 0 {
			t.Errorf("%s: empty network", name)
		}
		if len(n.Products) == 0 || len(n.Lanes) == 0 {
			t.Errorf("%s: %d products, %d lanes", name, len(n.Products), len(n.Lanes))
		}
	}
}
