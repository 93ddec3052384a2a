package twin

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testnet"
)

func TestFit(t *testing.T) {
	ln2 := math.Log(2)
	cases := []struct {
		name    string
		weekly  []float64
		kind    string
		occ     float64
		logMean float64
		logSD   float64
		level   float64
		disp    float64
	}{
		{name: "no sale", weekly: []float64{0, 0, 0}, kind: KindNone},
		// Life from week 2: 10 weeks, 2 with a sale (ADI 5).
		{name: "intermittent", weekly: []float64{0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 0, 0}, kind: KindIntermittent,
			occ: 0.2, logMean: 1.5 * ln2, logSD: 0.5 * ln2},
		// Mean 3, variance 1.
		{name: "smooth", weekly: []float64{2, 4, 2, 4}, kind: KindSmooth, level: 3, disp: 1.0 / 3},
		// Only the last 52 weeks set the level: 40 weeks of 1 then 52 of 5 and 7
		// (92 weeks: too short for a season).
		{name: "level of the last year", weekly: append(repeat(1, 40), alternate(5, 7, 52)...), kind: KindSmooth, level: 6, disp: 1.0 / 6},
		{name: "constant", weekly: repeat(7, 30), kind: KindConstant, level: 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := Fit("B", "K", c.weekly)
			if p.Kind != c.kind {
				t.Fatalf("kind %s, want %s", p.Kind, c.kind)
			}
			got := []float64{p.Occurrence, p.LogMean, p.LogSD, p.Level, p.Dispersion}
			want := []float64{c.occ, c.logMean, c.logSD, c.level, c.disp}
			for i := range got {
				if math.Abs(got[i]-want[i]) > 1e-9 {
					t.Errorf("parameters (occurrence, log mean, log sd, level, dispersion) = %v, want %v", got, want)
					break
				}
			}
		})
	}
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func alternate(a, b float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = a
		if i%2 == 1 {
			out[i] = b
		}
	}
	return out
}

// TestSeason fits two years of a sine season and finds it again: peak a
// quarter into the year, trough three quarters in, level 10.
func TestSeason(t *testing.T) {
	h := make([]float64, 104)
	for i := range h {
		h[i] = math.Round(10 * (1 + 0.5*math.Sin(2*math.Pi*float64(i)/52)))
	}
	p := Fit("B", "K", h)
	if p.Kind != KindSmooth || p.Season == nil {
		t.Fatalf("kind %s, season %v", p.Kind, p.Season)
	}
	if math.Abs(p.Level-10) > 0.2 {
		t.Errorf("level %v, want about 10", p.Level)
	}
	// Simulated week 0 follows history week 103: week of the year 0.
	if m := p.Mean(13); m < 13.5 || m > 15.1 {
		t.Errorf("mean of week 13 (the peak) %v, want about 15 (smoothing lowers it a little)", m)
	}
	if m := p.Mean(39); m < 4.9 || m > 6.5 {
		t.Errorf("mean of week 39 (the trough) %v, want about 5", m)
	}
}

// TestDraws checks the moments of many draws against the process: the
// mean and variance of a negative binomial, the occurrence of an
// intermittent series, the constant.
func TestDraws(t *testing.T) {
	const n = 40000
	cases := []struct {
		name           string
		p              DemandProcess
		mean, variance float64
		tol            float64
	}{
		{"negative binomial", DemandProcess{Kind: KindSmooth, Level: 20, Dispersion: 3}, 20, 60, 0.04},
		{"poisson", DemandProcess{Kind: KindSmooth, Level: 50, Dispersion: 0.5}, 50, 50, 0.04},
		{"poisson small", DemandProcess{Kind: KindSmooth, Level: 2, Dispersion: 1}, 2, 2, 0.04},
		{"constant", DemandProcess{Kind: KindConstant, Level: 7}, 7, 0, 1e-12},
		// Sizes exp(N(0, 0)) = 1: mean = occurrence, variance p(1−p).
		{"intermittent", DemandProcess{Kind: KindIntermittent, Occurrence: 0.3}, 0.3, 0.21, 0.04},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var s, ss float64
			for i := 0; i < n; i++ {
				x := c.p.Draw(stream(1, streamDemand, 0, i, 0), 0)
				if x < 0 || x != math.Trunc(x) {
					t.Fatalf("draw %v is not a whole number of units", x)
				}
				s += x
				ss += x * x
			}
			mean := s / n
			v := ss/n - mean*mean
			if math.Abs(mean-c.mean) > c.tol*math.Max(c.mean, 1e-9)+1e-12 {
				t.Errorf("mean %v, want %v", mean, c.mean)
			}
			if math.Abs(v-c.variance) > 2*c.tol*math.Max(c.variance, 1e-9)+1e-12 {
				t.Errorf("variance %v, want %v", v, c.variance)
			}
		})
	}
}

func TestParseShock(t *testing.T) {
	good, err := ParseShock("BTQ-PAR:FR-EDP-50:10:3.5")
	if err != nil || good != (Shock{Site: "BTQ-PAR", SKU: "FR-EDP-50", Week: 10, Factor: 3.5}) {
		t.Errorf("got %+v, %v", good, err)
	}
	for _, bad := range []string{"", "a:b:c", "a:b:0:2", "a:b:x:2", "a:b:3:-1", "a:b:3:NaN", ":b:3:2", "a:b:3:2:1"} {
		if _, err := ParseShock(bad); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("ParseShock(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

// TestCommonRandomNumbers runs two very different policies and checks
// that they faced the same demand every week, that the demand is the
// processes' own draws plus a shock, and that another seed gives another
// demand.
func TestCommonRandomNumbers(t *testing.T) {
	n := testnet.Load(t, "maison")
	const weeks = 3
	shock := Shock{Site: "BTQ-PAR-MONTAIGNE", SKU: "FR-EDP-50", Week: 2, Factor: 4}
	run := func(seed uint64, shocks []Shock) *Result {
		res, err := Run(context.Background(), n, []ReplenishmentPolicy{NewSillage(7), &MinMax{SupplierLeadDays: 7}}, Config{Weeks: weeks, Seed: seed, Shocks: shocks})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a := run(5, []Shock{shock})
	if a.Policies[0].LostUnits == a.Policies[1].LostUnits && a.Policies[0].Orders == a.Policies[1].Orders {
		t.Fatal("the two policies behaved the same: the test would prove nothing")
	}
	// The demand drawn from the processes, by hand.
	want := make([]float64, weeks)
	series := 0
	for _, d := range n.Demand {
		if s, _ := n.Site(d.Site); s.Kind != sillage.KindBoutique {
			continue
		}
		p := Fit(d.Site, d.SKU, d.Weekly)
		for w := range want {
			u := p.Draw(stream(5, streamDemand, series, w, 0), w)
			if d.Site == shock.Site && d.SKU == shock.SKU && w == shock.Week-1 {
				u = math.Round(u * shock.Factor)
			}
			want[w] += u
		}
		series++
	}
	for w := 0; w < weeks; w++ {
		for _, p := range a.Policies {
			if got := p.Weekly[w].DemandUnits; got != want[w] {
				t.Errorf("%s week %d: demand %v, want %v", p.Policy, w+1, got, want[w])
			}
		}
	}
	b := run(6, nil)
	if b.Policies[0].DemandUnits == a.Policies[0].DemandUnits {
		t.Errorf("seeds 5 and 6 gave the same demand %v", b.Policies[0].DemandUnits)
	}
}

func TestBadInput(t *testing.T) {
	n := testnet.Load(t, "tiny")
	cases := []struct {
		name string
		cfg  Config
		pol  ReplenishmentPolicy
		want error
	}{
		{"no weeks", Config{Weeks: 0}, &MinMax{}, sillage.ErrInvalid},
		{"shock at a DC", Config{Weeks: 2, Shocks: []Shock{{Site: "DC-PAR", SKU: "BAG-01", Week: 1, Factor: 2}}}, &MinMax{}, sillage.ErrInvalid},
		{"shock of an unknown product", Config{Weeks: 2, Shocks: []Shock{{Site: "BTQ-PAR", SKU: "NOPE", Week: 1, Factor: 2}}}, &MinMax{}, sillage.ErrInvalid},
		{"shock after the run", Config{Weeks: 2, Shocks: []Shock{{Site: "BTQ-PAR", SKU: "BAG-01", Week: 3, Factor: 2}}}, &MinMax{}, sillage.ErrInvalid},
		{"markup below 1", Config{Weeks: 2, Markup: 0.5}, &MinMax{}, sillage.ErrInvalid},
		{"order over no lane", Config{Weeks: 1}, fixed{Order{Source: "SUP-FLR", Site: "BTQ-PAR", SKU: "BAG-01", Units: 1,
			Legs: []sillage.Leg{{From: "SUP-FLR", To: "BTQ-PAR", Mode: sillage.ModeRoad}}}}, ErrBadOrder},
		{"order of nothing", Config{Weeks: 1}, fixed{Order{Source: "DC-PAR", Site: "BTQ-PAR", SKU: "BAG-01", Units: 0,
			Legs: []sillage.Leg{{From: "DC-PAR", To: "BTQ-PAR", Mode: sillage.ModeRoad}}}}, ErrBadOrder},
		{"order from a boutique", Config{Weeks: 1}, fixed{Order{Source: "BTQ-LON", Site: "BTQ-PAR", SKU: "BAG-01", Units: 1}}, ErrBadOrder},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Run(context.Background(), n, []ReplenishmentPolicy{c.pol}, c.cfg)
			if !errors.Is(err, c.want) {
				t.Errorf("got %v, want %v", err, c.want)
			}
		})
	}
	if _, err := NewPolicy("magic", 7, nil); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("unknown policy: %v", err)
	}
}

// fixed is a policy that orders the same every review.
type fixed []Order

func (fixed) Name() string { return "fixed" }

func (f fixed) Review(context.Context, *View) ([]Order, error) { return f, nil }
