package clustertest

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/sillage/sillage/iot"
)

// Recorder is an iot.Publisher that records the key (iot.MessageKey) of
// every message it publishes and retries a publish that failed (broker
// restarting, connection lost) until the broker acknowledged it or ctx is
// done: a message counts as published only once it got its PUBACK. A retry
// sends the same payload, which the ingest counts once, as a QoS 1
// redelivery.
type Recorder struct {
	Inner iot.Publisher
	// Attempt bounds one publish attempt; 0: 10 s.
	Attempt time.Duration
	Log     *slog.Logger

	mu      *sync.Mutex
	keys    map[string]string // key -> topic
	retries *int
}

// NewRecorders returns a function that wraps publishers, all recording
// into one shared set of keys, and a function that returns that set (key
// to topic) and the number of retried publishes.
func NewRecorders(log *slog.Logger) (wrap func(iot.Publisher) *Recorder, keys func() (map[string]string, int)) {
	mu := &sync.Mutex{}
	set := map[string]string{}
	retries := new(int)
	wrap = func(p iot.Publisher) *Recorder {
		return &Recorder{Inner: p, Log: log, mu: mu, keys: set, retries: retries}
	}
	keys = func() (map[string]string, int) {
		mu.Lock()
		defer mu.Unlock()
		out := make(map[string]string, len(set))
		for k, v := range set {
			out[k] = v
		}
		return out, *retries
	}
	return wrap, keys
}

// Publish publishes payload on topic at QoS 1, retrying every second until
// the broker acknowledged it, and records its key.
func (r *Recorder) Publish(ctx context.Context, topic string, payload []byte) error {
	attempt := r.Attempt
	if attempt <= 0 {
		attempt = 10 * time.Second
	}
	for try := 1; ; try++ {
		actx, cancel := context.WithTimeout(ctx, attempt)
		err := r.Inner.Publish(actx, topic, payload)
		cancel()
		if err == nil {
			r.mu.Lock()
			r.keys[iot.MessageKey(topic, payload)] = topic
			r.mu.Unlock()
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("publish on %s (try %d): %w", topic, try, ctx.Err())
		}
		r.mu.Lock()
		*r.retries++
		r.mu.Unlock()
		if r.Log != nil {
			r.Log.Warn("publish failed; retrying", "topic", topic, "try", try, "err", err)
		}
		select {
		case <-time.After(time.Second):
		case <-ctx.Done():
			return fmt.Errorf("publish on %s (try %d): %w", topic, try, ctx.Err())
		}
	}
}
