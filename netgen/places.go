package netgen

import (
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// place is a real location: coordinates in decimal degrees (WGS 84) to
// about 100 m, good enough for great-circle distances.
type place struct {
	name    string  // site name, such as "Boutique, Tokyo Ginza"
	lat     float64 // decimal degrees, north positive
	lon     float64 // decimal degrees, east positive
	country string  // ISO 3166-1 alpha-2
	// land names the land mass the place is on, for road and rail lanes:
	// only places on the same land are linked by road or rail.
	land string
	// market drives the demand pattern: eu, na, latam, cn, asia, jp, me,
	// oc, in, af.
	market string
}

// Calendar features of a market's demand.
func (p place) cny() bool {
	switch p.country {
	case "CN", "HK", "MO", "TW", "SG", "MY", "KR":
		return true // Chinese New Year (Seollal in Korea)
	}
	return false
}

func (p place) eid() bool {
	switch p.country {
	case "AE", "QA", "SA", "KW", "BH", "OM", "ID", "MY":
		return true // Eid al-Fitr gifting
	}
	return false
}

func (p place) touristSummer() bool {
	switch p.country {
	case "FR", "IT", "ES", "MC", "GB", "CH":
		return true // summer visitors in European capitals and resorts
	}
	return false
}

// The places of places.txt, by role: workshops and manufactures by
// specialty, distribution hubs near airports and ports, and boutique
// addresses in luxury shopping streets.
var supplierPlaces, hubPlaces, boutiquePlaces = mustParsePlaces(placesTxt)

//go:embed places.txt
var placesTxt string

// mustParsePlaces reads places.txt (see its header for the columns). The
// file is built in, so a malformed line is a programming error: it
// panics, and every test of the package catches it.
func mustParsePlaces(txt string) (suppliers map[string][]place, hubs, boutiques []place) {
	suppliers = map[string][]place{}
	for i, line := range strings.Split(txt, "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) != 7 {
			panic(fmt.Sprintf("netgen: places.txt:%d: %d columns, want 7", i+1, len(cells)))
		}
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		lat, errLat := strconv.ParseFloat(cells[2], 64)
		lon, errLon := strconv.ParseFloat(cells[3], 64)
		if err := errors.Join(errLat, errLon); err != nil {
			panic(fmt.Sprintf("netgen: places.txt:%d: %v", i+1, err))
		}
		p := place{name: cells[1], lat: lat, lon: lon, country: cells[4], land: cells[5], market: cells[6]}
		switch role := cells[0]; {
		case role == "hub":
			hubs = append(hubs, p)
		case role == "boutique":
			boutiques = append(boutiques, p)
		case strings.HasPrefix(role, "supplier "):
			specialty := strings.TrimPrefix(role, "supplier ")
			suppliers[specialty] = append(suppliers[specialty], p)
		default:
			panic(fmt.Sprintf("netgen: places.txt:%d: unknown role %q", i+1, role))
		}
	}
	return suppliers, hubs, boutiques
}
