package iot_test

import (
	"errors"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/store/storetest"
)

func TestParsePartition(t *testing.T) {
	for _, c := range []struct {
		in   string
		want iot.Partition
		ok   bool
	}{
		{"1/1", iot.Partition{Index: 1, Count: 1}, true},
		{"2/3", iot.Partition{Index: 2, Count: 3}, true},
		{" 1 / 2 ", iot.Partition{Index: 1, Count: 2}, true},
		{"0/2", iot.Partition{}, false},
		{"3/2", iot.Partition{}, false},
		{"1/0", iot.Partition{}, false},
		{"-1/2", iot.Partition{}, false},
		{"1", iot.Partition{}, false},
		{"a/b", iot.Partition{}, false},
		{"", iot.Partition{}, false},
	} {
		got, err := iot.ParsePartition(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParsePartition(%q) = %v, %v; want %v, ok %v", c.in, got, err, c.want, c.ok)
		}
		if err != nil && !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("ParsePartition(%q): %v does not wrap ErrInvalid", c.in, err)
		}
	}
}

// TestPartitionSubscriptions checks, for 1 to 6 partitions of 40 sites
// (given unsorted, with a repeat), that every topic of every site is
// subscribed by exactly one partition and that the partitions' site counts
// differ by at most one; and that more partitions than sites is an error.
func TestPartitionSubscriptions(t *testing.T) {
	var sites []string
	for i := range 40 {
		sites = append(sites, fmt.Sprintf("SITE-%02d", (i*17)%40))
	}
	sites = append(sites, "SITE-07")
	for n := 1; n <= 6; n++ {
		owners := map[string]int{}
		minSites, maxSites := len(sites), 0
		for k := 1; k <= n; k++ {
			own, err := iot.PartitionSubscriptions(sites, iot.Partition{Index: k, Count: n})
			if err != nil {
				t.Fatalf("%d/%d: %v", k, n, err)
			}
			for _, f := range own {
				owners[f]++
			}
			minSites, maxSites = min(minSites, len(own)/3), max(maxSites, len(own)/3)
		}
		for i := range 40 {
			for _, kind := range []string{iot.KindEPCIS, iot.KindStock, iot.KindAcks} {
				f := iot.SiteTopic(fmt.Sprintf("SITE-%02d", i), kind)
				if owners[f] != 1 {
					t.Errorf("%d partitions: %s subscribed by %d partitions, want 1", n, f, owners[f])
				}
			}
		}
		if len(owners) != 3*40 {
			t.Errorf("%d partitions: %d filters subscribed, want %d", n, len(owners), 3*40)
		}
		if maxSites-minSites > 1 {
			t.Errorf("%d partitions: from %d to %d sites each", n, minSites, maxSites)
		}
	}
	if _, err := iot.PartitionSubscriptions([]string{"A", "B"}, iot.Partition{Index: 3, Count: 3}); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("partition 3/3 of 2 sites: err %v, want ErrInvalid", err)
	}
	if _, err := iot.PartitionSubscriptions([]string{"BAD/SITE"}, iot.Partition{Index: 1, Count: 1}); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("site id with '/': err %v, want ErrInvalid", err)
	}
}

// TestBrokerRestartPartitions restarts the broker under two running
// ingests (partitions 1/2 and 2/2 of network tiny) and publishes the
// whole stream of the kill test right after the broker is back, before
// the ingests reconnected: every message is applied once and the stock is
// exactly the expected one. With a shared subscription group instead,
// Mosquitto 2.0 drops what arrives before a member subscribes again.
func TestBrokerRestartPartitions(t *testing.T) {
	skipProcessesIfShort(t)
	storetest.ForEach(t, func(t *testing.T, dbURL string) {
		broker, client := generatedBroker(t)
		st := seedTiny(t, dbURL)
		msgs, distinct, want := stream(t, time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))

		a, b := startIngestPair(t, dbURL, broker.URL, ingestEnv(client, "sillage-ingest-tiny-a", "CHILD_PARTITION=1/2"),
			ingestEnv(client, "sillage-ingest-tiny-b", "CHILD_PARTITION=2/2"))

		broker.Restart()
		publishAll(t, dialPublisher(t, client("simulator", "restart-publisher")), msgs)
		waitSeen(t, st, distinct)
		checkStock(t, st, msgs, want, "stock through two partitions and a broker restart")
		if len(a.batches) == 0 || len(b.batches) == 0 {
			t.Errorf("batches of A %d, of B %d: both partitions should have taken part", len(a.batches), len(b.batches))
		}
		for _, ch := range []*child{a, b} {
			_ = ch.cmd.Process.Signal(syscall.SIGTERM)
			if err := within(t, ch.done, "ingest to stop"); err != nil {
				t.Errorf("ingest: %v", err)
			}
		}
	})
}
