package main

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/sillage/sillage/network"
)

// TestGenNetworkStore: gen-network --db stores the network that
// gen-network writes to a file, list for list.
func TestGenNetworkStore(t *testing.T) {
	url := "sqlite://" + filepath.Join(t.TempDir(), "g.db")
	args := []string{"--sites", "30", "--products", "6", "--seed", "4", "--weeks", "10"}
	code, _, errs := runGen(t, append(args, "--db", url, "--name", "gen")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	out, _ := runCLIOK(t, append([]string{"gen-network"}, args...)...)
	want, err := network.Parse("stdout", []byte(out))
	if err != nil {
		t.Fatal(err)
	}
	s := openTestStore(t, url)
	got, err := s.LoadNetwork(context.Background(), "gen")
	if err != nil {
		t.Fatal(err)
	}
	want.ApplyDefaults()
	got.ApplyDefaults()
	for what, pair := range map[string][2]any{
		"sites": {got.Sites, want.Sites}, "products": {got.Products, want.Products}, "lanes": {got.Lanes, want.Lanes},
		"stock": {got.Stock, want.Stock}, "demand": {got.Demand, want.Demand}, "supply": {got.Supply, want.Supply},
		"policy": {got.Policy, want.Policy},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("stored %s differ from the file's", what)
		}
	}
	for _, bad := range [][]string{
		{"--db", url, "--preset", "maison"},
		{"--name", "x", "--sites", "30", "--products", "6"},
		{"--db", "mysql://x", "--sites", "30", "--products", "6"},
	} {
		if code, _, _ := runGen(t, bad...); code != 2 {
			t.Errorf("gen-network %v: exit %d, want 2", bad, code)
		}
	}
}
