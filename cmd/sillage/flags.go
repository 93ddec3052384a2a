package main

import (
	"flag"
	"strings"
)

// carbonFlags are the flags that the carbon commands (footprint, report)
// both declare: the network file, the company factor file and the PACT
// company and product classes.
type carbonFlags struct {
	network   *string // network FILE (YAML)
	factors   *string // company factor FILE, "" for the shipped factors only
	company   *string // company NAME, "" for pact.CompanyName's default
	companyID *string // company URN for PACT, "" to derive it from the name
	cpc       *string // CLASS=CODE,... for product classes without a default
}

// declareCarbonFlags declares the carbonFlags in fs; companyFor says what
// the company name is used for, in its help.
func declareCarbonFlags(fs *flag.FlagSet, companyFor string) carbonFlags {
	return carbonFlags{
		network:   fs.String("network", "", "network `FILE` (YAML)"),
		factors:   fs.String("factors", "", "company factor `FILE` (YAML) applied on top of the shipped factors (freight, grid, materials, hubs)"),
		company:   fs.String("company", "", "company `NAME` for "+companyFor+" (default: the products' maison)"),
		companyID: fs.String("company-id", "", "company `URN` for PACT (default: derived from the name)"),
		cpc:       fs.String("cpc", "", "UN CPC codes for product classes without a default, `CLASS=CODE,...`"),
	}
}

// parseCPC parses --cpc: CLASS=CODE,CLASS=CODE.
func parseCPC(s string) (map[string]string, error) {
	m := map[string]string{}
	if s == "" {
		return m, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok || k == "" || v == "" {
			return nil, usageErrorf("--cpc: %q is not CLASS=CODE", kv)
		}
		m[k] = v
	}
	return m, nil
}
