package iot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/sillage/sillage"
)

// Ingest defaults.
const (
	DefaultBatchSize  = 500                   // messages per transaction
	DefaultBatchWait  = 50 * time.Millisecond // longest wait for a batch to fill
	DefaultIdleWait   = 5 * time.Millisecond  // a batch is closed after this long without a message
	DefaultDedupCache = 1 << 16               // recent message keys kept in memory
)

// Ingest subscribes to the site topics and applies what arrives to the
// store, exactly once in effect:
//
//   - the client keeps a persistent session (fixed client id, clean session
//     off) and subscribes at QoS 1, so the broker keeps what arrives while
//     the ingest is down and redelivers what it did not acknowledge;
//   - messages are collected into batches (up to BatchSize messages, at
//     most BatchWait after the first, or until the stream pauses for
//     IdleWait), decoded in parallel, and applied in one transaction;
//   - they are acknowledged (PUBACK, automatic acks are off) only after the
//     transaction committed, in the order received; a redelivery after a
//     crash is recognised by its key (in memory, then in iot_seen) and
//     changes nothing, and the item states of what was committed are in
//     the store's item log;
//   - a message that cannot be applied goes to the dead letters (table and
//     topic) with its reason and is acknowledged; it never stops the
//     stream. If the store fails, the batch is retried message by message;
//     one that fails alone twice while the store commits empty
//     transactions is dead-lettered with the error; while the store is
//     unreachable, the batch waits and is retried, unacknowledged.
type Ingest struct {
	Client    ClientConfig // ClientID must be fixed; CleanSession is forced off
	Processor *Processor
	Store     sillage.ItemStore
	BatchSize int           // 0: DefaultBatchSize
	BatchWait time.Duration // 0: DefaultBatchWait
	IdleWait  time.Duration // 0: DefaultIdleWait
	Workers   int           // decoding goroutines; 0: GOMAXPROCS
	// DedupCache is the number of recent message keys remembered in memory
	// to skip redeliveries without decoding them; 0: DefaultDedupCache.
	DedupCache int
	// Partition, when its Count is set, subscribes to the topics of the
	// catalog's sites that it owns only (see Partition): N ingests with
	// partitions 1/N to N/N, each with its own fixed ClientID, split the
	// sites between them. Unlike ShareGroup, nothing is lost when the
	// broker restarts. At most one of Partition and ShareGroup is set.
	Partition Partition
	// ShareGroup, when set, subscribes through the MQTT shared
	// subscription $share/ShareGroup/... (see SharedSubscriptions): the
	// broker hands each message to one ingest of the group. Every ingest
	// of a group needs its own fixed ClientID. Mosquitto deals messages
	// round robin to the group's sessions, also to a member that is down,
	// whose share waits in its persistent session until it is back: a
	// killed ingest loses nothing, and its share is applied when it is
	// restarted.
	ShareGroup string
	// PublishDeadLetters publishes each dead letter on TopicDeadLetter
	// (QoS 1) after the commit.
	PublishDeadLetters bool
	// OnBatch, when set, is called after each batch committed, before its
	// messages are acknowledged, with its statistics (from the batch
	// goroutine).
	OnBatch func(sillage.IngestStats)
	Log     *slog.Logger
}

func (in *Ingest) log() *slog.Logger { return logOr(in.Log) }

// Run connects, subscribes and ingests until ctx is done. It returns nil
// after a clean stop, or the error that prevented it from starting. The
// batch being applied when ctx ends is finished and acknowledged first.
func (in *Ingest) Run(ctx context.Context) error {
	if in.Processor == nil || in.Processor.Catalog == nil || in.Store == nil {
		return errors.New("ingest: processor with catalog and store required")
	}
	if in.Client.ClientID == "" {
		return errors.New("ingest: a fixed client id is required for the persistent session")
	}
	batchSize := in.BatchSize
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}
	inbox := make(chan mqtt.Message, 4*batchSize)
	cfg := in.Client
	cfg.CleanSession = false
	o, err := cfg.Options()
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	handler := func(_ mqtt.Client, m mqtt.Message) {
		select {
		case inbox <- m:
		case <-ctx.Done(): // not acknowledged: redelivered on the next session
		}
	}
	o.SetAutoAckDisabled(true)
	// Queued messages of the persistent session may arrive before the
	// subscription of this connection is set up: route them too.
	o.SetDefaultPublishHandler(handler)
	subs := Subscriptions
	switch {
	case in.ShareGroup != "" && in.Partition.Count > 0:
		return fmt.Errorf("ingest: %w: a shared subscription group and a partition exclude each other", sillage.ErrInvalid)
	case in.ShareGroup != "":
		if subs, err = SharedSubscriptions(in.ShareGroup); err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		in.log().Warn("ingest: a shared subscription loses what sites publish while the broker restarts, until an ingest of the group subscribes again (Mosquitto does not restore shared subscriptions): prefer partitions", "group", in.ShareGroup)
	case in.Partition.Count > 0:
		if subs, err = PartitionSubscriptions(in.Processor.Catalog.Sites(), in.Partition); err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
	}
	o.SetOnConnectHandler(func(c mqtt.Client) {
		filters := make(map[string]byte, len(subs))
		for _, f := range subs {
			filters[f] = 1
		}
		tok := c.SubscribeMultiple(filters, handler)
		if tok.WaitTimeout(30*time.Second) && tok.Error() == nil {
			if in.Partition.Count > 0 {
				in.log().Info("ingest connected and subscribed", "broker", sillage.RedactURL(cfg.Broker), "client_id", cfg.ClientID,
					"partition", in.Partition.String(), "sites", len(subs)/len(siteKinds), "filters", len(subs))
				return
			}
			in.log().Info("ingest connected and subscribed", "broker", sillage.RedactURL(cfg.Broker), "client_id", cfg.ClientID, "filters", subs)
			return
		}
		in.log().Error("ingest: subscribe failed; reconnecting", "err", tok.Error())
		go c.Disconnect(0) // auto reconnect will try again
	})
	o.SetConnectionLostHandler(func(_ mqtt.Client, err error) {
		in.log().Warn("ingest: connection lost; reconnecting", "err", err)
	})
	client, err := connect(ctx, o)
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	defer client.Disconnect(250)
	in.pipeline(ctx, inbox, client)
	return nil
}

// received is one message in the pipeline.
type received struct {
	m  mqtt.Message
	at time.Time
	pr *prepared
}

// pipeline runs the three stages: collect batches, prepare them in
// parallel, commit and acknowledge. Preparing batch k+1 overlaps the
// commit of batch k.
func (in *Ingest) pipeline(ctx context.Context, inbox <-chan mqtt.Message, client mqtt.Client) {
	batchSize := in.BatchSize
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}
	batchWait, idleWait := in.BatchWait, in.IdleWait
	if batchWait <= 0 {
		batchWait = DefaultBatchWait
	}
	if idleWait <= 0 {
		idleWait = DefaultIdleWait
	}
	workers := in.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	cacheSize := in.DedupCache
	if cacheSize <= 0 {
		cacheSize = DefaultDedupCache
	}
	cache := newKeyCache(cacheSize)

	collected := make(chan []received, 1)
	prepared := make(chan []received, 1)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer close(collected)
		collect(ctx, inbox, collected, batchSize, batchWait, idleWait)
	}()
	go func() {
		defer wg.Done()
		defer close(prepared)
		for b := range collected {
			in.prepareBatch(b, workers, cache)
			prepared <- b
		}
	}()
	var total sillage.IngestStats
	lastLog := time.Now()
	for b := range prepared {
		stats, ok := in.commitBatch(ctx, b, client, cache)
		if !ok {
			break // ctx done while the store was failing: leave unacked
		}
		total.Add(stats)
		if time.Since(lastLog) >= 10*time.Second {
			in.log().Info("ingest progress", "messages", total.Messages, "events", total.Events, "reads", total.Reads,
				"item_changes", total.ItemChanges, "duplicates", total.Duplicates, "stale_reads", total.StaleReads, "dead_letters", total.DeadLetters)
			lastLog = time.Now()
		}
	}
	// Drain so that the collector and the preparer can stop.
	for range prepared {
	}
	wg.Wait()
}

// collect groups messages into batches.
func collect(ctx context.Context, inbox <-chan mqtt.Message, out chan<- []received, size int, batchWait, idleWait time.Duration) {
	for {
		var first mqtt.Message
		select {
		case first = <-inbox:
		case <-ctx.Done():
			return
		}
		batch := make([]received, 0, size)
		batch = append(batch, received{m: first, at: time.Now()})
		deadline := time.NewTimer(batchWait)
		idle := time.NewTimer(idleWait)
	fill:
		for len(batch) < size {
			select {
			case m := <-inbox:
				batch = append(batch, received{m: m, at: time.Now()})
				if !idle.Stop() {
					<-idle.C
				}
				idle.Reset(idleWait)
			case <-idle.C:
				break fill
			case <-deadline.C:
				break fill
			case <-ctx.Done():
				break fill
			}
		}
		deadline.Stop()
		idle.Stop()
		select {
		case out <- batch:
		case <-ctx.Done():
			// Not committed, not acknowledged: the broker redelivers it.
			return
		}
	}
}

// prepareBatch decodes the messages of a batch with workers goroutines.
func (in *Ingest) prepareBatch(b []received, workers int, cache *keyCache) {
	p := in.Processor
	if workers > len(b) {
		workers = len(b)
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(b); i += workers {
				m := Message{Topic: b[i].m.Topic(), Payload: b[i].m.Payload(), ReceivedAt: b[i].at}
				key := MessageKey(m.Topic, m.Payload)
				if cache.has(key) {
					b[i].pr = &prepared{msg: m, key: key, dup: true}
					continue
				}
				b[i].pr = p.prepareKeyed(m, key)
			}
		}(w)
	}
	wg.Wait()
}

// commitBatch applies a prepared batch, runs the triggers, publishes the
// dead letters and acknowledges the messages. It reports false when ctx
// ended before the batch could be committed.
func (in *Ingest) commitBatch(ctx context.Context, b []received, client mqtt.Client, cache *keyCache) (sillage.IngestStats, bool) {
	// The commit runs to its end even when ctx is done, so that what was
	// committed is also acknowledged.
	cctx := context.WithoutCancel(ctx)
	batch := make([]*prepared, len(b))
	for i := range b {
		batch[i] = b[i].pr
	}
	p := in.Processor
	var effs []*effects
	eff, err := p.commit(cctx, in.Store, batch)
	if err == nil {
		effs = append(effs, eff)
	} else {
		in.log().Warn("ingest: batch failed; retrying message by message", "messages", len(batch), "err", err)
		backoff := 100 * time.Millisecond
		for i := 0; i < len(batch); {
			eff, err := in.commitAlone(cctx, batch[i])
			if err == nil {
				effs = append(effs, eff)
				i++
				backoff = 100 * time.Millisecond
				continue
			}
			// The store is down: wait and retry, without acknowledging.
			in.log().Error("ingest: store unavailable; retrying", "err", err, "backoff", backoff)
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				return sillage.IngestStats{}, false
			}
			backoff = min(2*backoff, 10*time.Second)
		}
	}
	var stats sillage.IngestStats
	for _, e := range effs {
		stats.Add(e.stats)
		for _, k := range e.seenKeys {
			cache.add(k)
		}
		p.after(cctx, in.Store, e)
		if in.PublishDeadLetters {
			for _, d := range e.deadLetters {
				if data, err := json.Marshal(d); err == nil {
					client.Publish(TopicDeadLetter, 1, false, data) // not awaited: the table is the record
				}
			}
		}
	}
	if in.OnBatch != nil {
		in.OnBatch(stats)
	}
	for i := range b {
		b[i].m.Ack()
	}
	return stats, true
}

// commitAlone applies one message in its own transaction. When that fails
// while the store is up (an empty transaction commits before and after a
// second try), the message is the cause: it is dead-lettered with the
// error, and if even that fails, without its payload. It returns an error
// only when the store is unavailable, and then nothing was dead-lettered:
// a store that is restarting must not cost a message.
func (in *Ingest) commitAlone(ctx context.Context, m *prepared) (*effects, error) {
	p := in.Processor
	eff, err := p.commit(ctx, in.Store, []*prepared{m})
	if err == nil {
		return eff, nil
	}
	if up := in.storeUp(ctx); up != nil {
		return nil, fmt.Errorf("%w (the store is unreachable: %v)", err, up)
	}
	if eff, err = p.commit(ctx, in.Store, []*prepared{m}); err == nil {
		return eff, nil
	}
	if up := in.storeUp(ctx); up != nil {
		return nil, fmt.Errorf("%w (the store is unreachable: %v)", err, up)
	}
	dl := &prepared{msg: m.msg, key: m.key, reject: "store: " + err.Error()}
	eff, err2 := p.commit(ctx, in.Store, []*prepared{dl})
	if err2 != nil {
		bare := &prepared{msg: Message{Topic: dl.msg.Topic, ReceivedAt: dl.msg.ReceivedAt}, key: dl.key,
			reject: "store: " + err.Error() + " (payload not kept: " + err2.Error() + ")"}
		eff, err2 = p.commit(ctx, in.Store, []*prepared{bare})
	}
	if err2 != nil {
		return nil, err2
	}
	return eff, nil // after logs the dead letter, with the store error as its reason
}

// storeUp commits an empty transaction of the network: nil when the store
// is reachable and writable.
func (in *Ingest) storeUp(ctx context.Context) error {
	return in.Store.IoTBatch(ctx, in.Processor.Catalog.Network, func(sillage.IngestTx) error { return nil })
}

// keyCache remembers the most recent message keys (first in, first out).
type keyCache struct {
	mu   sync.Mutex
	keys map[string]struct{}
	ring []string
	next int
}

func newKeyCache(n int) *keyCache {
	return &keyCache{keys: make(map[string]struct{}, n), ring: make([]string, n)}
}

func (c *keyCache) has(k string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.keys[k]
	return ok
}

func (c *keyCache) add(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.keys[k]; ok {
		return
	}
	if old := c.ring[c.next]; old != "" {
		delete(c.keys, old)
	}
	c.ring[c.next] = k
	c.keys[k] = struct{}{}
	c.next = (c.next + 1) % len(c.ring)
}
