package epc

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/sillage/sillage"
)

// Geo is a point given as a geo URI (RFC 5870), which EPCIS allows as a
// readPoint or bizLocation: latitude and longitude in degrees (WGS 84).
type Geo struct {
	Lat, Lon float64 // degrees: -90 to 90, -180 to 180
	Alt      float64 // metres; meaningful when HasAlt
	HasAlt   bool
}

// ParseGeo decodes geo:LAT,LON[,ALT][;params]. The only coordinate
// reference system accepted is WGS 84 (crs absent or crs=wgs84); other
// parameters (u=uncertainty, ...) are allowed and ignored. The error wraps
// sillage.ErrInvalid and says which part is wrong.
func ParseGeo(s string) (Geo, error) {
	if len(s) > MaxLen {
		return Geo{}, fmt.Errorf("%w: geo URI longer than %d bytes", sillage.ErrInvalid, MaxLen)
	}
	if len(s) < 4 || !strings.EqualFold(s[:4], "geo:") {
		return Geo{}, fmt.Errorf("%w: %q is not a geo URI", sillage.ErrInvalid, s)
	}
	coords, params, _ := strings.Cut(s[4:], ";")
	for _, p := range strings.Split(params, ";") {
		name, val, _ := strings.Cut(p, "=")
		if strings.EqualFold(name, "crs") && !strings.EqualFold(val, "wgs84") {
			return Geo{}, fmt.Errorf("%w: geo URI %q: coordinate reference system %q is not wgs84", sillage.ErrInvalid, s, val)
		}
	}
	c := strings.Split(coords, ",")
	if len(c) != 2 && len(c) != 3 {
		return Geo{}, fmt.Errorf("%w: geo URI %q: want LAT,LON or LAT,LON,ALT", sillage.ErrInvalid, s)
	}
	var v [3]float64
	for i, x := range c {
		f, err := strconv.ParseFloat(x, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(x, "xXpPeEiInN_") {
			return Geo{}, fmt.Errorf("%w: geo URI %q: %q is not a decimal number", sillage.ErrInvalid, s, x)
		}
		v[i] = f
	}
	if v[0] < -90 || v[0] > 90 || v[1] < -180 || v[1] > 180 {
		return Geo{}, fmt.Errorf("%w: geo URI %q: latitude must be within ±90 and longitude within ±180 degrees", sillage.ErrInvalid, s)
	}
	return Geo{Lat: v[0], Lon: v[1], Alt: v[2], HasAlt: len(c) == 3}, nil
}
