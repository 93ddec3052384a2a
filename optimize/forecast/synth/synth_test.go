package synth

import (
	"errors"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/forecast"
)

// Each kind has the demand class its law implies (over 200 series of
// 104 weeks, at least 90% of them, 75% for lumpy), obsolescent series end with sales
// rarer than they started, and the same seed draws the same series.
func TestKinds(t *testing.T) {
	class := map[Kind][]forecast.DemandClass{
		Smooth:       {forecast.ClassSmooth},
		Seasonal:     {forecast.ClassSmooth, forecast.ClassErratic},
		Trending:     {forecast.ClassSmooth, forecast.ClassErratic},
		Intermittent: {forecast.ClassIntermittent},
		Lumpy:        {forecast.ClassLumpy},
		Obsolescent:  {forecast.ClassIntermittent, forecast.ClassLumpy},
	}
	for _, k := range Kinds {
		ss := Generate([]Kind{k}, 200, 104, 5)
		ok, late, early := 0, 0, 0
		for _, s := range ss {
			r, err := forecast.Forecast(s.Weekly, forecast.Options{HorizonWeeks: 1, Method: forecast.Zero})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range class[k] {
				if r.Class == c {
					ok++
				}
			}
			for t, v := range s.Weekly {
				if v > 0 && t < 26 {
					early++
				}
				if v > 0 && t >= 78 {
					late++
				}
			}
		}
		want := 180
		if k == Lumpy {
			want = 150 // CV² from 10 to 35 sales is a noisy estimate
		}
		if ok < want {
			t.Errorf("%s: %d of 200 series in classes %v", k, ok, class[k])
		}
		if k == Obsolescent && late*3 > early {
			t.Errorf("obsolescent: %d weeks with a sale in the last 26 weeks, %d in the first 26", late, early)
		}
	}
	a, b := Generate(Kinds, 3, 50, 9), Generate(Kinds, 3, 50, 9)
	for i := range a {
		for w := range a[i].Weekly {
			if a[i].Weekly[w] != b[i].Weekly[w] {
				t.Fatalf("series %d week %d differs between two draws of the same seed", i, w)
			}
		}
	}
	if _, err := ParseKinds("smooth,weekly"); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("unknown kind: %v, want ErrInvalid", err)
	}
}
