package network

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sillage/sillage"
)

// topKeys are the top-level keys of a network file, in order.
var topKeys = []string{"sites", "products", "lanes", "stock", "demand", "supply", "policy"}

// requiredTop are the top-level keys that must be present.
var requiredTop = []string{"sites", "products", "lanes", "policy"}

// fields lists, per list-valued top-level key, every known field of its
// records; required ones are marked true.
var fields = map[string]map[string]bool{
	"sites": {"id": true, "name": true, "kind": true, "gln": true, "latitude": true, "longitude": true,
		"country": true, "capacity_units": false},
	"products": {"sku": true, "gtin": true, "name": true, "maison": false, "class": true, "mass_kg": true,
		"unit_cost_eur": true, "cradle_to_gate_kgco2e": true, "max_transit_days": false},
	"lanes": {"from": true, "to": true, "mode": true, "distance_km": false, "cost_eur_per_kg": true,
		"transit_days": true, "capacity_kg": false, "intensity_kgco2e_per_tkm": false},
	"stock":  {"site": true, "sku": true, "on_hand": true, "in_transit": false, "reserved": false},
	"demand": {"site": true, "sku": true, "weekly": true},
	"supply": {"supplier": true, "sku": true, "capacity_units": true},
}

var policyKeys = map[string]bool{
	"carbon_price_eur_per_t": true, "shortfall_penalty_eur": true, "safety_stock_days": true,
	"review_period_days": true, "approval_threshold_eur": true, "holding_rate_per_year": true,
	"storage_kwh_per_unit_day": true, "storage_days_per_hub": true, "forecast_horizon_weeks": true,
}

// checkKeys reports unknown keys, missing required keys and records that
// are not mappings, each with its line.
func checkKeys(name string, root *yaml.Node) Errors {
	var es Errors
	add := func(line int, path, format string, args ...any) {
		es = append(es, &Error{File: name, Line: line, Err: &sillage.FieldError{Path: path, Msg: fmt.Sprintf(format, args...)}})
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if seen[k.Value] {
			add(k.Line, k.Value, "duplicate top-level key")
			continue
		}
		seen[k.Value] = true
		switch k.Value {
		case "name":
		case "policy":
			if v.Kind != yaml.MappingNode {
				add(v.Line, "policy", "must be a mapping")
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				if pk := v.Content[j]; !policyKeys[pk.Value] {
					add(pk.Line, "policy."+pk.Value, "unknown key (known: %s)", strings.Join(sortedKeys(policyKeys), ", "))
				}
			}
		default:
			known, ok := fields[k.Value]
			if !ok {
				add(k.Line, k.Value, "unknown top-level key (known: %s)", strings.Join(topKeys, ", "))
				continue
			}
			if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				continue // an empty list
			}
			if v.Kind != yaml.SequenceNode {
				add(v.Line, k.Value, "must be a list")
				continue
			}
			for r, rec := range v.Content {
				at := k.Value + "[" + strconv.Itoa(r) + "]"
				if rec.Kind != yaml.MappingNode {
					add(rec.Line, at, "must be a mapping of fields")
					continue
				}
				has := map[string]bool{}
				for j := 0; j+1 < len(rec.Content); j += 2 {
					f := rec.Content[j]
					if _, ok := known[f.Value]; !ok {
						add(f.Line, at+"."+f.Value, "unknown field (known: %s)", strings.Join(sortedKeys(known), ", "))
					}
					has[f.Value] = true
				}
				for _, f := range sortedKeys(known) {
					if known[f] && !has[f] {
						add(rec.Line, at+"."+f, "missing required field")
					}
				}
			}
		}
	}
	for _, k := range requiredTop {
		if !seen[k] {
			add(root.Line, k, "missing required top-level key")
		}
	}
	return es
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	// insertion sort: the maps are small
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// locate attaches the file and line to each validation failure by walking
// its path ("lanes[12].to", "demand[3].weekly[7]") in the YAML tree.
func locate(name string, root *yaml.Node, err error) error {
	var fes sillage.Errors
	switch e := err.(type) {
	case sillage.Errors:
		fes = e
	case *sillage.FieldError:
		fes = sillage.Errors{e}
	default:
		return &Error{File: name, Err: err}
	}
	es := make(Errors, 0, len(fes))
	for _, fe := range fes {
		es = append(es, &Error{File: name, Line: lineOf(root, fe.Path), Err: fe})
	}
	return es
}

// lineOf returns the line of the node at path, or of its deepest existing
// ancestor; 0 when none is found.
func lineOf(root *yaml.Node, path string) int {
	n := root
	line := 0
	for _, part := range splitPath(path) {
		var next *yaml.Node
		switch {
		case part.index >= 0 && n.Kind == yaml.SequenceNode && part.index < len(n.Content):
			next = n.Content[part.index]
		case part.index < 0 && n.Kind == yaml.MappingNode:
			for j := 0; j+1 < len(n.Content); j += 2 {
				if n.Content[j].Value == part.key {
					next = n.Content[j+1]
					break
				}
			}
		}
		if next == nil {
			break
		}
		n, line = next, next.Line
	}
	return line
}

type pathPart struct {
	key   string
	index int // -1 for a key
}

func splitPath(path string) []pathPart {
	var parts []pathPart
	for _, seg := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(seg, "[")
		if name != "" {
			parts = append(parts, pathPart{key: name, index: -1})
		}
		for rest != "" {
			num, after, _ := strings.Cut(rest, "]")
			i, err := strconv.Atoi(num)
			if err != nil {
				break
			}
			parts = append(parts, pathPart{index: i})
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return parts
}
