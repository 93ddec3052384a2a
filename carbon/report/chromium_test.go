package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath returns the browser to test with: $SILLAGE_CHROMIUM, else
// /usr/bin/chromium, else chromium on the PATH.
func chromiumPath(t *testing.T) string {
	if p := os.Getenv("SILLAGE_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Skip("chromium not found (install Debian package chromium, or set SILLAGE_CHROMIUM): the HTML report is not checked in a browser")
	return ""
}

// chartInfo is what the browser reports about one chart.
type chartInfo struct {
	ID     string  `json:"id"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	Paths  int     `json:"paths"`
	Marks  int     `json:"marks"` // bars, frontier line, chosen point, circles drawn with a size
}

// TestReportRendersInChromium opens the report in headless Chromium, checks
// that every chart is laid out with a size and has its marks, that print
// media lays it out too, and keeps a screenshot in testdata/artifacts/.
func TestReportRendersInChromium(t *testing.T) {
	bin := chromiumPath(t)
	dir := t.TempDir()
	files, err := Write(dir, tinyInput(t))
	if err != nil {
		t.Fatal(err)
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
		chromedp.WindowSize(1200, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	defer cancelT()

	const probe = `Array.from(document.querySelectorAll("svg.chart")).map(s => {
		const r = s.getBoundingClientRect();
		const marks = Array.from(s.querySelectorAll("path.bar, path.frontier, path.chosen, circle"))
			.filter(e => { const b = e.getBoundingClientRect(); return b.width > 0 || b.height > 0; }).length;
		return {id: s.id, width: r.width, height: r.height, paths: s.querySelectorAll("path").length, marks: marks};
	})`
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+files.HTML), chromedp.WaitVisible(chromedp.CSS("#chart-saving"))); err != nil {
		t.Fatalf("chromium: open the report: %v", err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatalf("chromium: title: %v", err)
	}
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartInfo](probe))
	if err != nil {
		t.Fatalf("chromium: probe the charts: %v", err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatalf("chromium: screenshot: %v", err)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
	if err != nil {
		t.Fatalf("chromium: print to PDF: %v", err)
	}
	if title == "" {
		t.Error("the page has no title")
	}
	want := map[string]bool{"chart-by-mode": true, "chart-by-lane": true, "chart-by-site": true, "chart-top-products": true, "chart-pareto": true, "chart-change": true, "chart-saving": true}
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
	for id := range want {
		t.Errorf("chart %s not found in the page", id)
	}
	if len(pdf) < 1000 || string(pdf[:4]) != "%PDF" {
		t.Errorf("print to PDF gave %d bytes", len(pdf))
	}
	art := filepath.Join("..", "..", "testdata", "artifacts")
	if err := os.MkdirAll(art, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(art, "report-chromium.jpg")
	if err := os.WriteFile(p, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(p)
	t.Logf("screenshot of the report: %s (%d bytes); PDF %d bytes", abs, len(shot), len(pdf))
}
