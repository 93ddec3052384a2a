package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"sync"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testnet"
	"github.com/sillage/sillage/store/storetest"
)

func TestPositions(t *testing.T) {
	forEachTinyEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		tests := []struct {
			site string
			want []sillage.Position
		}{
			{"BTQ-LON", []sillage.Position{{Site: "BTQ-LON", SKU: "EDP-01", OnHand: 10, Reserved: 2}}},
			{"DC-PAR", []sillage.Position{{Site: "DC-PAR", SKU: "BAG-01", OnHand: 20}, {Site: "DC-PAR", SKU: "EDP-01", OnHand: 300}}},
			{"SUP-FLR", nil},
			{"NOWHERE", nil},
		}
		for _, tc := range tests {
			got, err := s.Positions(ctx, "tiny", tc.site)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Positions(%s) = %+v, want %+v", tc.site, got, tc.want)
			}
		}
		all, err := s.Positions(ctx, "tiny", "")
		if err != nil || len(all) != 4 {
			t.Fatalf("Positions(all) = %d positions, %v; want 4", len(all), err)
		}

		// Set an existing position, create one, adjust both.
		if err := s.SetPosition(ctx, "tiny", sillage.Position{Site: "BTQ-LON", SKU: "EDP-01", OnHand: 7}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPosition(ctx, "tiny", sillage.Position{Site: "BTQ-LON", SKU: "BAG-01", OnHand: 1, InTransit: 2}); err != nil {
			t.Fatal(err)
		}
		p, err := s.AdjustPosition(ctx, "tiny", "BTQ-LON", "BAG-01", sillage.PositionDelta{OnHand: 2, InTransit: -2, Reserved: 1})
		if err != nil {
			t.Fatal(err)
		}
		if want := (sillage.Position{Site: "BTQ-LON", SKU: "BAG-01", OnHand: 3, InTransit: 0, Reserved: 1}); p != want {
			t.Fatalf("AdjustPosition = %+v, want %+v", p, want)
		}
		p, err = s.AdjustPosition(ctx, "tiny", "BTQ-PAR", "EDP-01", sillage.PositionDelta{OnHand: 5})
		if err != nil {
			t.Fatal(err)
		}
		if want := (sillage.Position{Site: "BTQ-PAR", SKU: "EDP-01", OnHand: 5}); p != want {
			t.Fatalf("AdjustPosition on a new position = %+v, want %+v", p, want)
		}
		got, err := s.GetPosition(ctx, "tiny", "BTQ-LON", "EDP-01")
		if err != nil {
			t.Fatal(err)
		}
		if want := (sillage.Position{Site: "BTQ-LON", SKU: "EDP-01", OnHand: 7}); got != want {
			t.Fatalf("GetPosition = %+v, want %+v", got, want)
		}
		lon, err := s.Positions(ctx, "tiny", "BTQ-LON")
		if err != nil {
			t.Fatal(err)
		}
		if len(lon) != 2 || lon[0].SKU != "EDP-01" || lon[1].SKU != "BAG-01" {
			t.Fatalf("Positions(BTQ-LON) = %+v, want EDP-01 (from the file) then BAG-01 (created later)", lon)
		}
	})
}

func TestPositionErrors(t *testing.T) {
	forEachTinyEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		tests := []struct {
			network, site, sku string
		}{
			{"tiny", "PAR-9", "BAG-01"},
			{"tiny", "BTQ-PAR", "NOPE"},
			{"other", "BTQ-PAR", "BAG-01"},
		}
		for _, tc := range tests {
			if err := s.SetPosition(ctx, tc.network, sillage.Position{Site: tc.site, SKU: tc.sku, OnHand: 1}); !errors.Is(err, sillage.ErrNotFound) {
				t.Errorf("SetPosition(%v) error %v, want ErrNotFound", tc, err)
			}
			if _, err := s.AdjustPosition(ctx, tc.network, tc.site, tc.sku, sillage.PositionDelta{OnHand: 1}); !errors.Is(err, sillage.ErrNotFound) {
				t.Errorf("AdjustPosition(%v) error %v, want ErrNotFound", tc, err)
			}
		}
		if _, err := s.GetPosition(ctx, "tiny", "SUP-FLR", "BAG-01"); !errors.Is(err, sillage.ErrNotFound) {
			t.Errorf("GetPosition of a missing position: error %v, want ErrNotFound", err)
		}
	})
}

// adjustMany runs workers goroutines that each add 1 to the on-hand stock
// of BAG-01 at BTQ-PAR n times.
func adjustMany(ctx context.Context, s *Store, workers, n int) error {
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Go(func() {
			for range n {
				if _, err := s.AdjustPosition(ctx, "tiny", "BTQ-PAR", "BAG-01", sillage.PositionDelta{OnHand: 1}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func integrityCheck(t *testing.T, s *Store) {
	t.Helper()
	if s.engine != SQLite {
		return
	}
	var res []string
	if err := s.read.SelectContext(context.Background(), &res, `PRAGMA integrity_check`); err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0] != "ok" {
		t.Fatalf("PRAGMA integrity_check = %q", res)
	}
}

func TestAdjustPositionConcurrent(t *testing.T) {
	forEachTinyEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		if err := adjustMany(ctx, s, 8, 200); err != nil {
			t.Fatal(err)
		}
		p, err := s.GetPosition(ctx, "tiny", "BTQ-PAR", "BAG-01")
		if err != nil {
			t.Fatal(err)
		}
		if p.OnHand != 3+1600 || p.InTransit != 2 {
			t.Fatalf("after 8 x 200 increments: %+v, want on hand 1603, in transit 2", p)
		}
		integrityCheck(t, s)
	})
}

// TestTwoStoresOneSQLiteFile writes from two stores opened on the same file
// at once, as two processes of the binary would.
func TestTwoStoresOneSQLiteFile(t *testing.T) {
	ctx := context.Background()
	url := storetest.SQLiteURL(t)
	a, b := openT(t, url), openT(t, url)
	if _, err := a.SaveNetwork(ctx, "tiny", testnet.Load(t, "tiny")); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	wg.Go(func() { errs[0] = adjustMany(ctx, a, 4, 200) })
	wg.Go(func() { errs[1] = adjustMany(ctx, b, 4, 200) })
	wg.Go(func() { // a writer of whole networks in between
		for i := range 20 {
			n := testnet.Load(t, "tiny")
			n.Policy.CarbonPriceEURPerT = float64(100 + i)
			n.Stock = n.Stock[1:] // keep BTQ-PAR's BAG-01 (stock[2]) untouched
			if _, err := b.SaveNetwork(ctx, "other", n); err != nil {
				errs[2] = err
				return
			}
		}
	})
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []*Store{a, b} {
		p, err := s.GetPosition(ctx, "tiny", "BTQ-PAR", "BAG-01")
		if err != nil {
			t.Fatal(err)
		}
		if p.OnHand != 3+1600 {
			t.Fatalf("on hand %v after 2 stores x 4 x 200 increments, want 1603", p.OnHand)
		}
	}
	n, err := a.LoadNetwork(ctx, "other")
	if err != nil {
		t.Fatal(err)
	}
	if n.Policy.CarbonPriceEURPerT != 119 {
		t.Fatalf("carbon price of the last save: %v, want 119", n.Policy.CarbonPriceEURPerT)
	}
	integrityCheck(t, a)
}

// Environment of the writer processes of TestSQLiteProcesses.
const (
	envChildDB = "SILLAGE_STORE_TEST_CHILD_DB"
	envChildN  = "SILLAGE_STORE_TEST_CHILD_N"
)

// TestSQLiteProcesses runs three processes that write to one SQLite file
// at once, beside writers in this process: SQLite's locks must hold between
// processes, not only between connections of one.
func TestSQLiteProcesses(t *testing.T) {
	if os.Getenv(envChildDB) != "" {
		t.Skip("running as a child writer")
	}
	ctx := context.Background()
	url := "sqlite://" + filepath.Join(t.TempDir(), "procs.db")
	s := openT(t, url)
	if _, err := s.SaveNetwork(ctx, "tiny", testnet.Load(t, "tiny")); err != nil {
		t.Fatal(err)
	}
	const procs, workers, n = 3, 4, 100
	wait := startChildren(t, procs, "TestSQLiteChildWriter", envChildDB+"="+url, envChildN+"="+strconv.Itoa(n))
	parentErr := adjustMany(ctx, s, workers, n)
	wait()
	if parentErr != nil {
		t.Fatal(parentErr)
	}
	p, err := s.GetPosition(ctx, "tiny", "BTQ-PAR", "BAG-01")
	if err != nil {
		t.Fatal(err)
	}
	if want := 3.0 + (procs+1)*workers*n; p.OnHand != want {
		t.Fatalf("on hand %v after %d processes x %d x %d increments, want %v", p.OnHand, procs+1, workers, n, want)
	}
	integrityCheck(t, s)
}

// TestSQLiteChildWriter is the writer process of TestSQLiteProcesses; it
// skips unless started by it.
func TestSQLiteChildWriter(t *testing.T) {
	url := os.Getenv(envChildDB)
	if url == "" {
		t.Skip("only runs as a child of TestSQLiteProcesses")
	}
	n, err := strconv.Atoi(os.Getenv(envChildN))
	if err != nil {
		t.Fatal(err)
	}
	s := openT(t, url)
	if err := adjustMany(context.Background(), s, 4, n); err != nil {
		t.Fatal(err)
	}
}
