package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/cputime"
	"github.com/sillage/sillage/internal/devserver"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/store"
)

const (
	netName  = "bench"
	products = 50
	shops    = 4
	ingestID = "bench-ingest"
	subID    = "bench-sub"
	pipeID   = "bench-sub-pipe" // drain mode: mosquitto_sub into a pipe
	filter   = "sillage/v1/sites/+/epcis"
)

func main() {
	role := flag.String("role", "main", "main or ingest (internal)")
	epcs := flag.Int("epcs", 1_000_000, "distinct EPCs in the stream")
	perMsg := flag.Int("per-msg", 200, "EPCs per EPCIS document")
	dupShare := flag.Float64("dup-share", 0.10, "messages published twice, as a share of the receipts")
	rereadShare := flag.Float64("reread-share", 0.10, "re-read documents, as a share of the receipts")
	moveShare := flag.Float64("move-share", 0.10, "transfer documents, as a share of the receipts")
	batch := flag.Int("batch", 256, "ingest batch size (messages)")
	keep := flag.Bool("keep", false, "keep the temporary directory")
	mode := flag.String("mode", "live", "live: both readers connected while the stream is published; drain: the stream is queued first, then each reader drains it alone")
	rate := flag.Float64("rate", 0, "live mode: publish at this many EPC reads per second (0: as fast as the broker takes them)")
	broker := flag.String("broker", "", "internal: broker URL")
	db := flag.String("db", "", "internal: database URL")
	expect := flag.Int("expect", 0, "internal: messages to ingest")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the ingest child to `file`")
	memProfile := flag.String("memprofile", "", "write a heap profile of the ingest child, taken when the last batch is committed, to `file`")
	foldMax := flag.Int64("fold-max", 0, "item log entries before the ingest folds the log into iot_items (0: store.DefaultItemLogMax)")
	flag.Parse()
	var err error
	if *role == "ingest" {
		err = runIngest(*broker, *db, *expect, *batch, *cpuProfile, *memProfile, *foldMax)
	} else {
		err = runMain(*epcs, *perMsg, *dupShare, *rereadShare, *moveShare, *batch, *keep, *cpuProfile, *memProfile, *foldMax, *mode, *rate)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchingest:", err)
		os.Exit(1)
	}
}

// network builds the synthetic network: one DC, a few boutiques, products.
func network() *sillage.Network {
	n := &sillage.Network{Name: netName}
	gln := func(i int) string {
		body := fmt.Sprintf("376012345%03d", i)
		c, _ := sillage.GS1CheckDigit(body)
		return body + string(c)
	}
	n.Sites = append(n.Sites, sillage.Site{ID: "DC-1", Name: "DC", Kind: sillage.KindDC, GLN: gln(1), Latitude: 49, Longitude: 2.5, Country: "FR"})
	for i := 0; i < shops; i++ {
		n.Sites = append(n.Sites, sillage.Site{ID: fmt.Sprintf("BTQ-%d", i+1), Name: "Boutique", Kind: sillage.KindBoutique, GLN: gln(10 + i), Latitude: 48.8, Longitude: 2.3, Country: "FR"})
		n.Lanes = append(n.Lanes, sillage.Lane{From: "DC-1", To: fmt.Sprintf("BTQ-%d", i+1), Mode: sillage.ModeRoad, DistanceKM: 10, CostEURPerKG: 0.1, TransitDays: 1})
	}
	for i := 0; i < products; i++ {
		body := fmt.Sprintf("0376012%06d", 400000+i)
		c, _ := sillage.GS1CheckDigit(body)
		n.Products = append(n.Products, sillage.Product{SKU: fmt.Sprintf("SKU-%02d", i), GTIN: body + string(c), Name: "p", Maison: "m", Class: "leather", MassKG: 1, UnitCostEUR: 100})
	}
	n.ApplyDefaults()
	return n
}

type msg struct {
	topic   string
	payload []byte
	reads   int
}

// stream builds the messages and the expected on-hand stock per site.
func stream(n *sillage.Network, epcs, perMsg int, dupShare, rereadShare, moveShare float64) ([]msg, map[string]float64, error) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	dc := n.Sites[0]
	var msgs []msg
	add := func(site string, ev iot.ObjectEvent, created time.Time) error {
		b, err := iot.EncodeEvents(created, ev)
		if err != nil {
			return err
		}
		msgs = append(msgs, msg{topic: iot.SiteTopic(site, iot.KindEPCIS), payload: b, reads: len(ev.EPCs)})
		return nil
	}
	want := map[string]float64{}
	receipts := (epcs + perMsg - 1) / perMsg
	every := func(share float64) int {
		if share <= 0 {
			return 0
		}
		return max(1, int(1/share+0.5))
	}
	dupEvery, rereadEvery, moveEvery := every(dupShare), every(rereadShare), every(moveShare)
	serial := 0
	for r := 0; r < receipts; r++ {
		p := n.Products[r%len(n.Products)]
		k := min(perMsg, epcs-serial)
		list := make([]string, k)
		for i := range list {
			list[i] = iot.SGTINURI(p.GTIN, 7, strconv.Itoa(serial))
			serial++
		}
		at := t0.Add(time.Duration(r) * time.Second)
		if err := add(dc.ID, iot.ObjectEvent{Time: at, Action: epcis.ActionAdd, BizStep: "receiving", BizLocation: dc.GLN, ReadPoint: dc.GLN, EPCs: list}, at); err != nil {
			return nil, nil, err
		}
		want[dc.ID] += float64(k)
		if dupEvery > 0 && r%dupEvery == 0 {
			msgs = append(msgs, msgs[len(msgs)-1]) // an MQTT duplicate: same payload
		}
		if rereadEvery > 0 && r%rereadEvery == 1 {
			// The same reads in a new document: stale, no change.
			if err := add(dc.ID, iot.ObjectEvent{Time: at, Action: epcis.ActionObserve, BizLocation: dc.GLN, EPCs: list}, at.Add(time.Millisecond)); err != nil {
				return nil, nil, err
			}
		}
		if moveEvery > 0 && r%moveEvery == 2 {
			shop := n.Sites[1+r%shops]
			half := list[:len(list)/2]
			if err := add(shop.ID, iot.ObjectEvent{Time: at.Add(time.Hour), Action: epcis.ActionObserve, BizStep: "receiving", BizLocation: shop.GLN, EPCs: half}, at.Add(time.Hour)); err != nil {
				return nil, nil, err
			}
			want[dc.ID] -= float64(len(half))
			want[shop.ID] += float64(len(half))
		}
	}
	return msgs, want, nil
}

func runMain(epcs, perMsg int, dupShare, rereadShare, moveShare float64, batch int, keep bool, cpuProfile, memProfile string, foldMax int64, mode string, rate float64) error {
	if mode != "live" && mode != "drain" {
		return fmt.Errorf("-mode %q: want live or drain", mode)
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "bench-ingest-")
	if err != nil {
		return err
	}
	if !keep {
		defer os.RemoveAll(dir)
	} else {
		fmt.Println("keeping", dir)
	}
	port, err := devserver.FreePort()
	if err != nil {
		return err
	}
	conf := fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_queued_bytes 0\nmax_inflight_messages 1000\nlog_dest file %s/mosquitto.log\n",
		port, dir)
	if os.Geteuid() == 0 {
		conf += "user root\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "mosquitto.conf"), []byte(conf), 0o600); err != nil {
		return err
	}
	mq := exec.Command("mosquitto", "-c", filepath.Join(dir, "mosquitto.conf"))
	if err := mq.Start(); err != nil {
		return fmt.Errorf("start mosquitto: %w", err)
	}
	defer func() { _ = mq.Process.Signal(os.Interrupt); _ = mq.Wait() }()
	url := fmt.Sprintf("tcp://127.0.0.1:%d", port)
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			break
		}
		if i > 200 {
			return fmt.Errorf("mosquitto does not listen: %w", err)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// Store and network.
	dbURL := "sqlite://" + filepath.Join(dir, "bench.db")
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	n := network()
	if _, err := st.SaveNetwork(ctx, netName, n); err != nil {
		return err
	}
	st.Close()

	// Persistent sessions of both readers.
	if err := registerSession(ctx, url, ingestID); err != nil {
		return err
	}
	subIDs := []string{subID}
	if mode == "drain" {
		subIDs = append(subIDs, pipeID)
	}
	for _, id := range subIDs {
		if out, err := exec.Command("mosquitto_sub", "-h", "127.0.0.1", "-p", strconv.Itoa(port), "-i", id, "-c", "-q", "1", "-t", filter, "-W", "1").CombinedOutput(); err != nil {
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 27 { // 27: the -W timeout
				return fmt.Errorf("mosquitto_sub: %v: %s", err, out)
			}
		}
	}

	fmt.Printf("building the stream: %d distinct EPCs, %d per document ...\n", epcs, perMsg)
	msgs, want, err := stream(n, epcs, perMsg, dupShare, rereadShare, moveShare)
	if err != nil {
		return err
	}
	reads, bytes := 0, 0
	for _, m := range msgs {
		reads += m.reads
		bytes += len(m.payload)
	}
	fmt.Printf("stream: %d messages, %d EPC reads, %.1f MB\n", len(msgs), reads, float64(bytes)/1e6)
	subCount := len(msgs)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	subArgs := []string{"-h", "127.0.0.1", "-p", strconv.Itoa(port), "-i", subID, "-c", "-q", "1", "-t", filter, "-C", strconv.Itoa(subCount)}
	childArgs := []string{"-role", "ingest", "-broker", url, "-db", dbURL, "-expect", strconv.Itoa(subCount), "-batch", strconv.Itoa(batch),
		"-cpuprofile", cpuProfile, "-memprofile", memProfile, "-fold-max", strconv.FormatInt(foldMax, 10)}
	type done struct {
		at  time.Time
		out []byte
		err error
	}
	// startReader runs a reader; keepOutput false sends its standard
	// output to /dev/null (mosquitto_sub prints every payload).
	startReader := func(keepOutput bool, name string, args ...string) chan done {
		ch := make(chan done, 1)
		cmd := exec.Command(name, args...)
		cmd.Stderr = os.Stderr
		go func() {
			if !keepOutput {
				err := cmd.Run() // Stdout nil: /dev/null
				ch <- done{time.Now(), nil, err}
				return
			}
			out, err := cmd.Output()
			ch <- done{time.Now(), out, err}
		}()
		return ch
	}
	var pubStart, subStart, ingStart time.Time
	var subDone, ingDone chan done
	if mode == "live" {
		// Both readers connect, then the stream is published.
		subDone = startReader(false, "mosquitto_sub", subArgs...)
		ingDone = startReader(true, self, childArgs...)
		time.Sleep(time.Second) // let both connect; their sessions queue anything earlier anyway
		pubStart = time.Now()
		subStart, ingStart = pubStart, pubStart
		if err := publish(ctx, url, msgs, rate); err != nil {
			return err
		}
	} else {
		pubStart = time.Now()
		if err := publish(ctx, url, msgs, 0); err != nil {
			return err
		}
	}
	pubSec := time.Since(pubStart).Seconds()
	fmt.Printf("published at QoS 1 in %.2f s (%.0f messages/s, %.0f EPC reads/s)\n", pubSec, float64(len(msgs))/pubSec, float64(reads)/pubSec)
	msgs = nil
	var pipeSec float64
	if mode == "drain" {
		subStart = time.Now()
		subDone = startReader(false, "mosquitto_sub", subArgs...)
		d := <-subDone
		subDone = make(chan done, 1)
		subDone <- d
		// The same stream through a pipe to a reader that discards it: a
		// subscriber whose output goes somewhere.
		pipeArgs := slices.Clone(subArgs)
		pipeArgs[slices.Index(pipeArgs, subID)] = pipeID
		if pipeSec, err = drainPipe(pipeArgs); err != nil {
			return err
		}
		ingStart = time.Now()
		ingDone = startReader(true, self, childArgs...)
	}
	sd := <-subDone
	if sd.err != nil {
		return fmt.Errorf("mosquitto_sub: %w", sd.err)
	}
	rawSec := sd.at.Sub(subStart).Seconds()
	id := <-ingDone
	if id.err != nil {
		return fmt.Errorf("ingest child: %w", id.err)
	}
	var res ingestResult
	if err := json.Unmarshal(id.out, &res); err != nil {
		return fmt.Errorf("ingest child output %q: %w", id.out, err)
	}
	ingSec := time.Unix(0, res.FinishedUnixNano).Sub(ingStart).Seconds()

	// Check the stock.
	st, err = store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer st.Close()
	ps, err := st.Positions(ctx, netName, "")
	if err != nil {
		return err
	}
	got := map[string]float64{}
	for _, p := range ps {
		got[p.Site] += p.OnHand
	}
	ok := true
	for site, w := range want {
		if got[site] != w {
			ok = false
			fmt.Printf("STOCK MISMATCH at %s: %v, want %v\n", site, got[site], w)
		}
	}
	counts, err := st.ItemCounts(ctx, netName)
	if err != nil {
		return err
	}
	var items int64
	for _, c := range counts {
		items += c.Present
	}

	rawRate := float64(reads) / rawSec
	ingRate := float64(reads) / ingSec
	fmt.Printf("\nmode %s", mode)
	if mode == "live" && rate > 0 {
		fmt.Printf(", stream paced at %.0f EPC reads/s", rate)
	}
	fmt.Printf("\n%-44s %12s %14s\n", "", "messages/s", "EPC reads/s")
	fmt.Printf("%-44s %12.0f %14.0f\n", "mosquitto_sub -q 1 > /dev/null (raw)", float64(subCount)/rawSec, rawRate)
	if pipeSec > 0 {
		fmt.Printf("%-44s %12.0f %14.0f\n", "mosquitto_sub -q 1 | pipe reader", float64(subCount)/pipeSec, float64(reads)/pipeSec)
	}
	fmt.Printf("%-44s %12.0f %14.0f\n", "sillage ingest -> SQLite (dedup, stock)", float64(res.Messages)/ingSec, ingRate)
	fmt.Printf("\ningest / raw: %.2f\n", ingRate/rawRate)
	if pipeSec > 0 {
		fmt.Printf("ingest / pipe reader: %.2f\n", ingRate/(float64(reads)/pipeSec))
	}
	fmt.Printf("ingest peak RSS (VmHWM): %.0f MB with %d distinct EPCs stored (%d present); %.0f MB including the fold at close\n",
		float64(res.VmHWMKB)/1024, epcs, items, float64(res.VmHWMCloseKB)/1024)
	fmt.Printf("ingest CPU time: %.2f s user+system, %.2f µs per EPC read (start-up included)\n", res.CPUSeconds, res.CPUSeconds/float64(reads)*1e6)
	fmt.Printf("item log folds: %d items in iot_items when the last batch committed; the fold at close took %.2f s\n", res.FoldedDuring, res.CloseSeconds)
	fmt.Printf("ingest: %d messages (%d EPC reads) in %.2f s: %d duplicate messages, %d stale reads, %d dead letters; mosquitto_sub: %.2f s\n",
		res.Messages, reads, ingSec, res.Duplicates, res.StaleReads, res.DeadLetters, rawSec)
	if !ok || items != int64(epcs) {
		return fmt.Errorf("stock check failed: %d items present, want %d", items, epcs)
	}
	fmt.Println("stock check: every distinct EPC counted once")
	return nil
}

// drainPipe runs mosquitto_sub with args, its output read from a pipe and
// discarded, and returns how long it took.
func drainPipe(args []string) (float64, error) {
	cmd := exec.Command("mosquitto_sub", args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("mosquitto_sub: %w", err)
	}
	if _, err := io.Copy(io.Discard, out); err != nil {
		return 0, fmt.Errorf("mosquitto_sub output: %w", err)
	}
	if err := cmd.Wait(); err != nil {
		return 0, fmt.Errorf("mosquitto_sub: %w", err)
	}
	return time.Since(start).Seconds(), nil
}

func registerSession(ctx context.Context, url, id string) error {
	o, err := iot.ClientConfig{Broker: url, ClientID: id}.Options()
	if err != nil {
		return err
	}
	c := mqtt.NewClient(o)
	if t := c.Connect(); !t.WaitTimeout(10*time.Second) || t.Error() != nil {
		return fmt.Errorf("register %s: %v", id, t.Error())
	}
	defer c.Disconnect(100)
	filters := map[string]byte{}
	for _, f := range iot.Subscriptions {
		filters[f] = 1
	}
	if t := c.SubscribeMultiple(filters, nil); !t.WaitTimeout(10*time.Second) || t.Error() != nil {
		return fmt.Errorf("subscribe %s: %v", id, t.Error())
	}
	return nil
}

// publish sends the stream at QoS 1 with a window of outstanding PUBACKs,
// paced at rate EPC reads per second when rate > 0.
func publish(ctx context.Context, url string, msgs []msg, rate float64) error {
	o, err := iot.ClientConfig{Broker: url, ClientID: "bench-pub", CleanSession: true}.Options()
	if err != nil {
		return err
	}
	c := mqtt.NewClient(o)
	if t := c.Connect(); !t.WaitTimeout(10*time.Second) || t.Error() != nil {
		return fmt.Errorf("publisher: %v", t.Error())
	}
	defer c.Disconnect(250)
	const window = 512
	toks := make([]mqtt.Token, 0, window)
	start := time.Now()
	sent := 0
	for _, m := range msgs {
		if rate > 0 {
			if d := time.Until(start.Add(time.Duration(float64(sent) / rate * float64(time.Second)))); d > 0 {
				time.Sleep(d)
			}
			sent += m.reads
		}
		toks = append(toks, c.Publish(m.topic, 1, false, m.payload))
		if len(toks) == window {
			for _, t := range toks {
				if t.Wait(); t.Error() != nil {
					return t.Error()
				}
			}
			toks = toks[:0]
		}
	}
	for _, t := range toks {
		if t.Wait(); t.Error() != nil {
			return t.Error()
		}
	}
	return nil
}

type ingestResult struct {
	Messages    int     `json:"messages"`
	Reads       int     `json:"reads"`
	Duplicates  int     `json:"duplicates"`
	StaleReads  int     `json:"stale_reads"`
	DeadLetters int     `json:"dead_letters"`
	Seconds     float64 `json:"seconds"`
	VmHWMKB     int64   `json:"vmhwm_kb"`
	// VmHWMCloseKB is the peak RSS including the store's Close, which
	// folds the item log into iot_items; CloseSeconds is how long it took.
	VmHWMCloseKB int64   `json:"vmhwm_close_kb"`
	CloseSeconds float64 `json:"close_seconds"`
	// FoldedDuring is the number of rows in iot_items when the last batch
	// was committed: the items the folds during the ingest wrote.
	FoldedDuring int64 `json:"folded_during"`
	// CPUSeconds is the CPU time (user and system) of the ingest process
	// until its last batch was committed, start-up included.
	CPUSeconds float64 `json:"cpu_seconds"`
	// FinishedUnixNano is when the last message was committed.
	FinishedUnixNano int64 `json:"finished_unix_ns"`
}

// runIngest is the child: ingest until expect messages are committed,
// then print the result as JSON.
func runIngest(broker, db string, expect, batch int, cpuProfile, memProfile string, foldMax int64) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopProfile, err := cputime.StartProfile(cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	st, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	closed := false
	defer func() {
		if !closed {
			st.Close()
		}
	}()
	st.SetItemLogLimits(foldMax, 0)
	n, err := st.LoadNetwork(ctx, netName)
	if err != nil {
		return err
	}
	n.Name = netName
	var total sillage.IngestStats
	var done atomic.Bool
	start := time.Now()
	var elapsed time.Duration
	var finished time.Time
	level := slog.LevelWarn
	if os.Getenv("BENCH_DEBUG") != "" {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	in := &iot.Ingest{
		Client:    iot.ClientConfig{Broker: broker, ClientID: ingestID},
		Processor: &iot.Processor{Catalog: iot.NewCatalog(n), Log: log},
		Store:     st,
		BatchSize: batch,
		Log:       log,
		OnBatch: func(s sillage.IngestStats) {
			if os.Getenv("BENCH_DEBUG") != "" {
				fmt.Fprintf(os.Stderr, "%8.3fs batch of %d messages\n", time.Since(start).Seconds(), s.Messages)
			}
			total.Add(s)
			if total.Messages >= expect && !done.Load() {
				elapsed = time.Since(start)
				finished = time.Now()
				done.Store(true)
				if memProfile != "" {
					if f, err := os.Create(memProfile); err == nil {
						_ = pprof.WriteHeapProfile(f)
						f.Close()
					}
				}
				cancel()
			}
		},
	}
	if err := in.Run(ctx); err != nil {
		return err
	}
	if !done.Load() {
		return fmt.Errorf("stopped after %d of %d messages", total.Messages, expect)
	}
	hwm := vmHWM()
	cpu := cputime.CPU().Seconds()
	folded, err := foldedEntries(context.Background(), db)
	if err != nil {
		return err
	}
	closeStart := time.Now()
	closed = true
	if err := st.Close(); err != nil {
		return fmt.Errorf("close the store (fold the item log): %w", err)
	}
	return json.NewEncoder(os.Stdout).Encode(ingestResult{Messages: total.Messages, Reads: total.Reads, Duplicates: total.Duplicates,
		StaleReads: total.StaleReads, DeadLetters: total.DeadLetters, Seconds: elapsed.Seconds(), VmHWMKB: hwm, FinishedUnixNano: finished.UnixNano(),
		VmHWMCloseKB: vmHWM(), CloseSeconds: time.Since(closeStart).Seconds(), FoldedDuring: folded, CPUSeconds: cpu})
}

// foldedEntries returns the number of rows of iot_items (the database
// starts without any): the items folded during the ingest.
func foldedEntries(ctx context.Context, db string) (int64, error) {
	st, err := store.Open(ctx, db)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	counts, err := st.Counts(ctx)
	if err != nil {
		return 0, err
	}
	return counts["iot_items"], nil
}

// vmHWM returns the peak resident set size of this process in kB.
func vmHWM() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb
		}
	}
	return 0
}
