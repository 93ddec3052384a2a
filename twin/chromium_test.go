package twin

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sillage/sillage/internal/browsertest"
	"github.com/sillage/sillage/internal/testnet"
)

// TestPageRendersInChromium runs the three policies on the tiny network,
// writes the page and opens it in headless Chromium: every chart is laid
// out with a size and has its lines and points, the comparison table has
// a row per policy, and a screenshot is kept in testdata/artifacts/.
func TestPageRendersInChromium(t *testing.T) {
	ctx := browsertest.New(t, browsertest.Options{Width: 1200, Height: 900, Timeout: 90 * time.Second})
	n := testnet.Load(t, "tiny")
	ps := allPolicies(t)
	cfg := Config{Weeks: 6, Seed: 3}
	res, err := Run(context.Background(), n, ps, cfg)
	if err != nil {
		t.Fatal(err)
	}
	files, err := WriteFiles(t.TempDir(), res, cfg)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Open(t, ctx, "file://"+files[0], "#chart-emissions")
	browsertest.CheckCharts(t, ctx, "chart-inventory", "chart-fill", "chart-emissions", "chart-costs")
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#kpis tbody tr").length`))
	if err != nil {
		t.Fatalf("chromium: count the table rows: %v", err)
	}
	lines, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll("path.line")).filter(e => e.getBoundingClientRect().width > 0).length`))
	if err != nil {
		t.Fatalf("chromium: count the lines: %v", err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatalf("chromium: screenshot: %v", err)
	}
	if rows != len(PolicyNames) {
		t.Errorf("the comparison table has %d rows, want %d", rows, len(PolicyNames))
	}
	if lines != 3*len(PolicyNames) {
		t.Errorf("%d visible lines, want one per policy in each of the 3 weekly charts (%d)", lines, 3*len(PolicyNames))
	}
	browsertest.SaveArtifact(t, "twin-chromium.jpg", shot)
}
