package iot_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
)

// BenchmarkProcess applies batches of 64 EPCIS documents of 200 new EPCs
// each to SQLite, without MQTT: the store side of the ingest. The metric
// reads/s counts EPCs.
func BenchmarkProcess(b *testing.B) {
	benchProcess(b, false)
}

// benchProcess applies batches of 64 EPCIS documents of 200 new EPCs each
// to SQLite with a Processor whose NoHistory is noHistory, and reports the
// EPCs read a second as reads/s.
func benchProcess(b *testing.B, noHistory bool) {
	f := newFixture(&testing.T{}, "sqlite://"+b.TempDir()+"/bench.db")
	f.proc.NoHistory = noHistory
	ctx := context.Background()
	const perMsg, perBatch = 200, 64
	serial := 0
	build := func() []iot.Message {
		msgs := make([]iot.Message, perBatch)
		for i := range msgs {
			list := make([]string, perMsg)
			for j := range list {
				list[j] = iot.SGTINURI(gtinBag, 7, strconv.Itoa(serial))
				serial++
			}
			at := f.t0.Add(time.Duration(serial) * time.Millisecond)
			p, _ := iot.EncodeEvents(at, iot.ObjectEvent{Time: at, Action: epcis.ActionAdd, BizStep: "receiving", BizLocation: glnDC, EPCs: list})
			msgs[i] = iot.Message{Topic: iot.SiteTopic("DC-PAR", iot.KindEPCIS), Payload: p, ReceivedAt: at}
		}
		return msgs
	}
	b.ResetTimer()
	reads := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		msgs := build()
		b.StartTimer()
		s, err := f.proc.Process(ctx, f.st, msgs)
		if err != nil {
			b.Fatal(err)
		}
		reads += s.Reads
	}
	b.ReportMetric(float64(reads)/b.Elapsed().Seconds(), "reads/s")
}

// BenchmarkProcessHistory is BenchmarkProcess (batches of 64 documents
// of 200 new EPCs into SQLite) with the item history kept and left out
// (Processor.NoHistory): what the history costs the ingest.
//
//	go test ./iot -run '^$' -bench ProcessHistory -benchtime 20x -count 2
func BenchmarkProcessHistory(b *testing.B) {
	for _, noHistory := range []bool{false, true} {
		b.Run(fmt.Sprintf("no-history=%v", noHistory), func(b *testing.B) {
			benchProcess(b, noHistory)
		})
	}
}
