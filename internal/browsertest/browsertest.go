package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sillage/sillage/internal/testnet"
)

// EnvChromium names the environment variable that gives the browser's
// path.
const EnvChromium = "SILLAGE_CHROMIUM"

// Chromium returns the browser to test with: $SILLAGE_CHROMIUM, else
// /usr/bin/chromium, else chromium on the PATH. It skips t when there is
// none.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(EnvChromium); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Skip("chromium not found (install Debian package chromium, or set " + EnvChromium + "): browser checks skipped")
	return ""
}

// Options tune New.
type Options struct {
	Width, Height int           // window size in px; 0: 1280×900
	Timeout       time.Duration // for everything done with the context; 0: 2 minutes
}

// New starts headless Chromium with a fresh profile and returns a
// chromedp context for it, closed (with the browser) when t ends. The
// flags keep the browser quiet and off the network except for the pages
// the test opens: --headless --no-sandbox --disable-gpu --disable-quic
// --no-first-run --disable-background-networking
// --disable-component-update --disable-sync.
func New(t testing.TB, o Options) context.Context {
	t.Helper()
	bin := Chromium(t)
	if o.Width == 0 || o.Height == 0 {
		o.Width, o.Height = 1280, 900
	}
	if o.Timeout == 0 {
		o.Timeout = 2 * time.Minute
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		chromedp.WindowSize(o.Width, o.Height),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, o.Timeout)
	t.Cleanup(func() {
		cancelT()
		cancel()
		cancelA()
	})
	// Start the browser now, so that a broken installation fails here.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("chromium %s: %v", bin, err)
	}
	return ctx
}

// ArtifactDir returns testdata/artifacts at the module root (the folder
// of go.mod above the working directory), creating it.
func ArtifactDir(t testing.TB) string {
	t.Helper()
	art := filepath.Join(testnet.ModuleRoot(t), "testdata", "artifacts")
	if err := os.MkdirAll(art, 0o755); err != nil {
		t.Fatal(err)
	}
	return art
}

// SaveArtifact writes data to testdata/artifacts/name and logs where.
func SaveArtifact(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(ArtifactDir(t), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("artefact %s (%d bytes)", p, len(data))
	return p
}

// Screenshot keeps a full-page screenshot of the current page as
// testdata/artifacts/name: JPEG (quality 80) when name ends in .jpg, else
// PNG.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	quality := 100
	if strings.HasSuffix(name, ".jpg") {
		quality = 80
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(quality))
	if err != nil {
		t.Fatalf("chromium: screenshot %s: %v", name, err)
	}
	return SaveArtifact(t, name, shot)
}

// Chart is what the browser reports about one svg.chart of a report.
type Chart struct {
	ID     string  `json:"id"`
	Width  float64 `json:"width"`  // px, as laid out
	Height float64 `json:"height"` // px
	Paths  int     `json:"paths"`
	Marks  int     `json:"marks"` // bars, frontier line, chosen point, circles drawn with a size
}

// chartProbe lists the report's charts with their layout and visible
// marks.
const chartProbe = `Array.from(document.querySelectorAll("svg.chart")).map(s => {
	const r = s.getBoundingClientRect();
	const marks = Array.from(s.querySelectorAll("path.bar, path.frontier, path.chosen, circle"))
		.filter(e => { const b = e.getBoundingClientRect(); return b.width > 0 || b.height > 0; }).length;
	return {id: s.id, width: r.width, height: r.height, paths: s.querySelectorAll("path").length, marks: marks};
})`

// Charts returns the svg.chart elements of the page (sillage's HTML
// report) as laid out.
func Charts(ctx context.Context) ([]Chart, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[[]Chart](chartProbe))
}

// Open loads url (a file:// one for a written page) in the browser of
// ctx and waits until the element of the CSS selector is visible; it
// fails t when either does not happen.
func Open(t testing.TB, ctx context.Context, url, selector string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(selector))); err != nil {
		t.Fatalf("chromium: open %s and wait for %s: %v", url, selector, err)
	}
}

// CheckCharts probes the charts of the page open in ctx (Charts) and
// fails t for each chart of ids that the page lacks, that is laid out
// smaller than 100×50 px, or that has no path or no visible mark. Charts
// with other ids are ignored. A failed probe is fatal.
func CheckCharts(t testing.TB, ctx context.Context, ids ...string) {
	t.Helper()
	charts, err := Charts(ctx)
	if err != nil {
		t.Fatalf("chromium: probe the charts: %v", err)
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	for _, c := range charts {
		if !want[c.ID] {
			continue
		}
		delete(want, c.ID)
		if c.Width < 100 || c.Height < 50 {
			t.Errorf("%s laid out at %.0f×%.0f px", c.ID, c.Width, c.Height)
		}
		if c.Paths == 0 || c.Marks == 0 {
			t.Errorf("%s has %d paths and %d visible marks: nothing drawn", c.ID, c.Paths, c.Marks)
		}
	}
	for _, id := range ids {
		if want[id] {
			t.Errorf("chart %s not found in the page", id)
		}
	}
}
