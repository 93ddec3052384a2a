package pact

// m49 maps ISO countries to their UN M49 sub-region and region, for the
// countries of the sample networks and the main luxury markets.
var m49 = map[string][2]string{
	"FR": {"Western Europe", "Europe"}, "DE": {"Western Europe", "Europe"}, "CH": {"Western Europe", "Europe"},
	"BE": {"Western Europe", "Europe"}, "NL": {"Western Europe", "Europe"}, "AT": {"Western Europe", "Europe"},
	"LU": {"Western Europe", "Europe"}, "MC": {"Western Europe", "Europe"},
	"GB": {"Northern Europe", "Europe"}, "IE": {"Northern Europe", "Europe"}, "SE": {"Northern Europe", "Europe"},
	"NO": {"Northern Europe", "Europe"}, "DK": {"Northern Europe", "Europe"}, "FI": {"Northern Europe", "Europe"},
	"IT": {"Southern Europe", "Europe"}, "ES": {"Southern Europe", "Europe"}, "PT": {"Southern Europe", "Europe"},
	"GR": {"Southern Europe", "Europe"},
	"PL": {"Eastern Europe", "Europe"}, "CZ": {"Eastern Europe", "Europe"}, "HU": {"Eastern Europe", "Europe"},
	"US": {"Northern America", "Americas"}, "CA": {"Northern America", "Americas"},
	"BR": {"Latin America and the Caribbean", "Americas"}, "MX": {"Latin America and the Caribbean", "Americas"},
	"CN": {"Eastern Asia", "Asia"}, "JP": {"Eastern Asia", "Asia"}, "KR": {"Eastern Asia", "Asia"}, "HK": {"Eastern Asia", "Asia"},
	"SG": {"South-eastern Asia", "Asia"}, "TH": {"South-eastern Asia", "Asia"}, "IN": {"Southern Asia", "Asia"},
	"AE": {"Western Asia", "Asia"}, "SA": {"Western Asia", "Asia"},
	"AU": {"Australia and New Zealand", "Oceania"}, "NZ": {"Australia and New Zealand", "Oceania"},
}

// geography returns the most specific common geography of countries: the
// country itself, else a shared sub-region, else a shared region, else
// none (global).
func geography(countries map[string]bool) (country, region string) {
	if len(countries) == 0 {
		return "", ""
	}
	if len(countries) == 1 {
		for c := range countries {
			return c, ""
		}
	}
	var sub, reg string
	subOK, regOK := true, true
	for c := range countries {
		g, ok := m49[c]
		if !ok {
			return "", ""
		}
		if sub == "" {
			sub, reg = g[0], g[1]
		}
		subOK = subOK && g[0] == sub
		regOK = regOK && g[1] == reg
	}
	switch {
	case subOK:
		return "", sub
	case regOK:
		return "", reg
	}
	return "", ""
}
