package iot

import (
	"context"
	"testing"
)

// TestGraceful checks the context of a publish in flight: it outlives its
// parent's cancellation (for ShutdownGrace) and ends when done is called.
func TestGraceful(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	c, done := graceful(parent)
	cancel()
	<-parent.Done()
	if err := c.Err(); err != nil {
		t.Fatalf("publish context ended with its parent: %v", err)
	}
	done()
	if c.Err() == nil {
		t.Fatal("publish context still alive after done")
	}

	c2, done2 := graceful(context.Background())
	done2()
	if c2.Err() == nil {
		t.Fatal("publish context of a live parent still alive after done")
	}
}
