package iot_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/store/storetest"
)

// TestSharedSubscriptionKill runs two ingest processes in one shared
// subscription group ($share/ingest/...) on one database, through the
// generated broker configuration over TLS. The stream of the kill test is
// published; ingest A is SIGKILLed mid-stream while B goes on, then A is
// started again. Every distinct message is applied once (zero lost), the
// final stock is exactly the expected one and the one of the stream
// applied directly (zero counted twice), and both ingests took part.
// Runs on SQLite and, with $SILLAGE_TEST_POSTGRES, on PostgreSQL.
func TestSharedSubscriptionKill(t *testing.T) {
	skipProcessesIfShort(t)
	storetest.ForEach(t, func(t *testing.T, dbURL string) {
		broker, client := generatedBroker(t)
		st := seedTiny(t, dbURL)
		ctx := context.Background()
		msgs, distinct, want := stream(t, time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))

		env := func(id string) []string { return ingestEnv(client, id, "CHILD_SHARE=ingest") }
		a, b := startIngestPair(t, dbURL, broker.URL, env("sillage-ingest-tiny-a"), env("sillage-ingest-tiny-b"))

		pub := dialPublisher(t, client("simulator", "shared-publisher"))
		half := len(msgs) / 2
		publishAll(t, pub, msgs[:half])
		// A dies mid-stream, after a few batches of its own.
		a.killAfter(t, 3, "ingest A")
		seenKill, _ := st.SeenCount(ctx, "tiny")
		publishAll(t, pub, msgs[half:])
		// B goes on alone while A is down; A's share waits for it.
		for {
			n, err := st.SeenCount(ctx, "tiny")
			if err != nil {
				t.Fatal(err)
			}
			if n > seenKill {
				break
			}
			select {
			case <-b.done:
				t.Fatal("ingest B stopped")
			case <-time.After(20 * time.Millisecond):
			}
		}
		seenDown, _ := st.SeenCount(ctx, "tiny")
		if seenDown >= int64(distinct) {
			t.Fatalf("all %d messages applied while A was down: its share of the group was not waiting for it", distinct)
		}

		// A comes back with its session and applies its share.
		a2 := startChild(t, dbURL, broker.URL, 0, env("sillage-ingest-tiny-a")...)
		waitSeen(t, st, distinct)
		if len(a2.batches) == 0 {
			t.Error("restarted ingest A applied nothing: its share did not wait for it")
		}

		checkStock(t, st, msgs, want, "stock through two ingests with a kill")
		for _, ch := range []*child{b, a2} {
			_ = ch.cmd.Process.Signal(syscall.SIGTERM)
			if err := within(t, ch.done, "ingest to stop"); err != nil {
				t.Errorf("ingest: %v", err)
			}
		}
	})
}

// ingestEnv is the environment of an ingest process (childIngest) with
// client id id, connecting as user ingest with the generated broker's CA,
// plus extra variables such as CHILD_SHARE=group.
func ingestEnv(client func(user, clientID string) iot.ClientConfig, id string, extra ...string) []string {
	ingest := client("ingest", "")
	return append([]string{"CHILD_CLIENT_ID=" + id, "CHILD_CA=" + ingest.CAFile,
		"CHILD_USER=ingest", "CHILD_PASSWORD=" + ingest.Password}, extra...)
}

// startIngestPair starts two ingest processes, A and B, with their
// environments, and waits until both subscribed.
func startIngestPair(t *testing.T, dbURL, brokerURL string, envA, envB []string) (a, b *child) {
	t.Helper()
	a = startChild(t, dbURL, brokerURL, 0, envA...)
	b = startChild(t, dbURL, brokerURL, 0, envB...)
	within(t, a.ready, "ingest A to subscribe")
	within(t, b.ready, "ingest B to subscribe")
	return a, b
}

// waitSeen waits until n distinct messages of network tiny are applied or
// dead-lettered.
func waitSeen(t *testing.T, st *store.Store, n int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		got, err := st.SeenCount(context.Background(), "tiny")
		if err != nil {
			t.Fatal(err)
		}
		if got == int64(n) {
			return
		}
		if got > int64(n) {
			t.Fatalf("%d messages recorded, more than the %d distinct ones", got, n)
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d messages applied", got, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
