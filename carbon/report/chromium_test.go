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
	browsertest.Open(t, ctx, "file://"+files.HTML, "#chart-saving")
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatalf("chromium: title: %v", err)
	}
	browsertest.CheckCharts(t, ctx, "chart-by-mode", "chart-by-lane", "chart-by-site", "chart-top-products", "chart-pareto", "chart-change", "chart-saving")
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
	if len(pdf) < 1000 || string(pdf[:4]) != "%PDF" {
		t.Errorf("print to PDF gave %d bytes", len(pdf))
	}
	p := browsertest.SaveArtifact(t, "report-chromium.jpg", shot)
	t.Logf("screenshot of the report: %s (%d bytes); PDF %d bytes", p, len(shot), len(pdf))
}
