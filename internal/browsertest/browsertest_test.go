package browsertest

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestNewOpensAPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>sillage</title><svg class="chart" id="c1" width="200" height="100"><path class="bar" d="M0 0H50V50H0Z"/></svg>`))
	}))
	defer srv.Close()
	ctx := New(t, Options{})
	Open(t, ctx, srv.URL, "#c1")
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil || title != "sillage" {
		t.Errorf("title %q, %v", title, err)
	}
	charts, err := Charts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) != 1 || charts[0].ID != "c1" || charts[0].Width != 200 || charts[0].Marks != 1 {
		t.Errorf("charts %+v", charts)
	}
	if got := ArtifactDir(t); filepath.Base(got) != "artifacts" || filepath.Base(filepath.Dir(got)) != "testdata" {
		t.Errorf("artefacts in %s", got)
	}
}
