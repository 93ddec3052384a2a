package evaluate

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/forecast"
	"github.com/sillage/sillage/optimize/forecast/synth"
)

func TestReadWideAndLong(t *testing.T) {
	wide := "series,kind,w1,w2,w3\na,smooth,1,2,3\nb,lumpy,0,5,\n"
	long := "series,week,units,kind\na,3,3,smooth\nb,2,5,lumpy\na,1,1,smooth\nb,1,0,lumpy\na,2,2,smooth\n"
	want := []forecast.Series{{ID: "a", Kind: "smooth", Weekly: []float64{1, 2, 3}}, {ID: "b", Kind: "lumpy", Weekly: []float64{0, 5}}}
	for name, in := range map[string]string{"wide": wide, "long": long} {
		got, err := Read(strings.NewReader(in), name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != 2 {
			t.Fatalf("%s: %d series, want 2", name, len(got))
		}
		for i := range want {
			if got[i].ID != want[i].ID || got[i].Kind != want[i].Kind || !equal(got[i].Weekly, want[i].Weekly) {
				t.Errorf("%s: series %d = %+v, want %+v", name, i, got[i], want[i])
			}
		}
	}
	// Round trip through WriteWide.
	var buf bytes.Buffer
	if err := WriteWide(&buf, want); err != nil {
		t.Fatal(err)
	}
	if buf.String() != wide {
		t.Errorf("WriteWide:\n%s\nwant\n%s", buf.String(), wide)
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct{ in, says string }{
		{"", "empty file"},
		{"id,w1\nx,1\n", `no "series" column`},
		{"series,w1,w2\na,1,-2\n", "line 2, column 3 (w2)"},
		{"series,w1,w2,w3\na,1,,3\n", "line 2, column 3"},
		{"series,week,units\na,1,2\na,1,3\n", `week "1" twice`},
		{"series,week,units\na,1,x\n", "line 2, column 3"},
		{"w1,series\n1,a\n", "wide file has \"series\" first"},
	} {
		_, err := Read(strings.NewReader(tc.in), "f.csv")
		if !errors.Is(err, sillage.ErrInvalid) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("Read(%q): error %v, want ErrInvalid saying %q", tc.in, err, tc.says)
		}
	}
}

// The metrics on a case computed by hand: Naive on a ramp 1..10 with a
// horizon of 2 forecasts 8, 8 for 9, 10: errors −1, −2; MAE 1.5, bias
// −1.5, MSE 2.5; the training part's naive steps are all 1 (Q = Q2 = 1):
// MASE 1.5, RMSSE √2.5.
func TestMetricsByHand(t *testing.T) {
	y := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	rep, err := Evaluate([]forecast.Series{{ID: "ramp", Weekly: y}}, Options{HorizonWeeks: 2, SeasonWeeks: 1})
	if err != nil {
		t.Fatal(err)
	}
	var naive *Row
	for i, r := range rep.Groups[0].Rows {
		if r.Method == string(forecast.Naive) {
			naive = &rep.Groups[0].Rows[i]
		}
	}
	if naive == nil || naive.Series != 1 {
		t.Fatalf("no naive row: %+v", rep.Groups[0].Rows)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"MASE", naive.MASE, 1.5}, {"RMSSE", naive.RMSSE, math.Sqrt(2.5)}, {"MAE", naive.MAE, 1.5}, {"bias", naive.Bias, -1.5}} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s %g, want %g", c.name, c.got, c.want)
		}
	}
	if _, err := Evaluate(nil, Options{HorizonWeeks: 0}); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("horizon 0: %v, want ErrInvalid", err)
	}
}

// The quantiles of the automatic choice on held-out synthetic data: over
// every kind, the share of 13-week demands below the q-quantile is q ±
// 0.03 at q = 0.5, 0.9 and 0.97. The seed differs from the README's.
func TestCoverageOnHeldOutSyntheticData(t *testing.T) {
	if testing.Short() {
		t.Skip("evaluates 600 series")
	}
	series := synth.Generate(synth.Kinds, 100, 117, 20261203)
	rep, err := Evaluate(series, Options{HorizonWeeks: 13})
	if err != nil {
		t.Fatal(err)
	}
	auto := rep.Groups[0].Rows[0]
	if auto.Method != Auto || auto.Series != len(series) {
		t.Fatalf("first row %s over %d series", auto.Method, auto.Series)
	}
	for i, q := range rep.Quantiles {
		if c := auto.Coverage[i]; math.Abs(c-q) > 0.03 {
			t.Errorf("coverage at %g: %.3f, want within 0.03", q, c)
		}
	}
	t.Logf("coverage %v at %v", auto.Coverage, rep.Quantiles)
}
