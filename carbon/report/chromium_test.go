package report

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sillage/sillage/internal/browsertest"
)

// TestReportRendersInChromium opens the report in headless Chromium, checks
// that every chart is laid out with a size and has its marks, that print
// media lays it out too, and keeps a screenshot in testdata/artifacts/.
func TestReportRendersInChromium(t *testing.T) {
	ctx := browsertest.New(t, browsertest.Options{Width: 1200, Height: 900, Timeout: 90 * time.Second})
	dir := t.TempDir()
	files, err := Write(dir, tinyInput(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+files.HTML), chromedp.WaitVisible(chromedp.CSS("#chart-saving"))); err != nil {
		t.Fatalf("chromium: open the report: %v", err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatalf("chromium: title: %v", err)
	}
	charts, err := browsertest.Charts(ctx)
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
	p := browsertest.SaveArtifact(t, "report-chromium.jpg", shot)
	t.Logf("screenshot of the report: %s (%d bytes); PDF %d bytes", p, len(shot), len(pdf))
}
