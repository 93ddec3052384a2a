package carbon

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sillage/sillage"
)

// MaxFactorFileBytes is the largest factor file LoadFactorFile reads (4 MiB).
const MaxFactorFileBytes = 4 << 20

// FileError is a failure in a factor file, located by file and line.
type FileError struct {
	File string // file name as given
	Line int    // 1-based line, 0 when unknown
	Path string // record and field, e.g. "factors[2].mode"; empty for the whole file
	Err  error  // wraps ErrUnknownMode, ErrNegativeIntensity or sillage.ErrInvalid
}

// Error formats as "file:line: path: message".
func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying failure.
func (e *FileError) Unwrap() error { return e.Err }

// FileErrors lists every failure of one factor file.
type FileErrors []*FileError

// Error lists the failures one per line.
func (es FileErrors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap exposes every failure to errors.Is and errors.As.
func (es FileErrors) Unwrap() []error { return sillage.UnwrapList(es) }

// fileFactor is one record of the factors list of a factor file.
type fileFactor struct {
	Mode          string   `yaml:"mode"`
	Vehicle       string   `yaml:"vehicle"`
	Label         string   `yaml:"label"`
	TTW           *float64 `yaml:"ttw_kgco2e_per_tkm"`
	WTT           *float64 `yaml:"wtt_kgco2e_per_tkm"`
	WTW           *float64 `yaml:"wtw_kgco2e_per_tkm"`
	Source        string   `yaml:"source"`
	Year          int      `yaml:"year"`
	Note          string   `yaml:"note"`
	Default       bool     `yaml:"default"`
	MaxDistanceKM float64  `yaml:"max_distance_km"`
	RF            bool     `yaml:"radiative_forcing"`
}

var (
	fileTopKeys      = []string{"name", "factors", "grid", "materials", "hubs"}
	fileMaterialKeys = []string{"material", "label", "kgco2e_per_kg", "source", "year", "region", "note"}
	fileHubKeys      = []string{"hub_type", "label", "kgco2e_per_t", "source", "year", "note"}
	fileFactorKeys   = []string{"mode", "vehicle", "label", "ttw_kgco2e_per_tkm", "wtt_kgco2e_per_tkm", "wtw_kgco2e_per_tkm", "source", "year", "note", "default", "max_distance_km", "radiative_forcing"}
	fileGridKeys     = []string{"country", "kgco2e_per_kwh", "source", "year"}
)

// LoadFactorFile reads a company factor file (primary data) and applies it
// on top of t and g: each factor is added to t (replacing a shipped factor
// of the same mode and vehicle), factors marked default become their mode's
// default, and grid entries replace the country's grid intensity. Either t
// or g may be nil when the file has no records of that kind.
//
// The file is YAML:
//
//	name: Maison primary data 2025
//	factors:
//	  - mode: road                    # road, rail, sea, air or barge
//	    vehicle: carrier-x-euro6       # key of the class
//	    ttw_kgco2e_per_tkm: 0.071      # or wtw_kgco2e_per_tkm alone
//	    wtt_kgco2e_per_tkm: 0.017
//	    source: Carrier X fleet telematics 2025
//	    year: 2025
//	    default: true                  # use for every lane of the mode
//	grid:
//	  - {country: IT, kgco2e_per_kwh: 0.30, source: Terna 2024, year: 2024}
//
// Errors are FileErrors, one per bad record, formatted "file:line: path:
// message" and wrapping ErrUnknownMode, ErrNegativeIntensity or
// sillage.ErrInvalid.
func LoadFactorFile(path string, t *Table, g *GridTable) error {
	data, err := readFactorFile(path)
	if err != nil {
		return err
	}
	return ParseFactorFile(path, data, t, g)
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func yamlLine(err error) int {
	m := yamlLineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// ParseFactorFile is LoadFactorFile on data already read; name is used in
// error messages. Nothing is applied to t or g unless the whole file is
// valid. A file with materials or hubs lists needs ParseFactorFileAll.
func ParseFactorFile(name string, data []byte, t *Table, g *GridTable) error {
	return ParseFactorFileAll(name, data, FactorTables{Freight: t, Grid: g})
}

// FactorTables are the tables a factor file can change; a nil table
// refuses records of its kind.
type FactorTables struct {
	Freight   *Table
	Grid      *GridTable
	Materials *MaterialTable
	Hubs      *HubTable
}

// LoadFactorFileAll is LoadFactorFile for every kind of factor: besides
// factors and grid, a file may list materials (kgCO2e per kg of material,
// cradle to gate) and hubs (kgCO2e per tonne handled):
//
//	materials:
//	  - {material: leather-calf, kgco2e_per_kg: 17.0, source: Tannery X LCA 2024, year: 2024, region: IT}
//	hubs:
//	  - {hub_type: dc-paris, kgco2e_per_t: 1.1, source: DC Paris metering 2025, year: 2025}
//
// Every record needs a source and a year.
func LoadFactorFileAll(path string, ts FactorTables) error {
	data, err := readFactorFile(path)
	if err != nil {
		return err
	}
	return ParseFactorFileAll(path, data, ts)
}

// readFactorFile reads a factor file of at most MaxFactorFileBytes.
func readFactorFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open factor file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFactorFileBytes+1))
	if err != nil {
		return nil, &FileError{File: path, Err: fmt.Errorf("read: %w", err)}
	}
	if len(data) > MaxFactorFileBytes {
		return nil, &FileError{File: path, Err: fmt.Errorf("%w: more than %d bytes", sillage.ErrInvalid, MaxFactorFileBytes)}
	}
	return data, nil
}

// ParseFactorFileAll is LoadFactorFileAll on data already read. Nothing
// is applied unless the whole file is valid.
func ParseFactorFileAll(name string, data []byte, ts FactorTables) error {
	t, g := ts.Freight, ts.Grid
	fail := func(line int, path string, err error) error {
		return FileErrors{{File: name, Line: line, Path: path, Err: err}}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fail(0, "", fmt.Errorf("%w: the file is empty; want a mapping with keys %s", sillage.ErrInvalid, strings.Join(fileTopKeys, ", ")))
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fail(yamlLine(err), "", fmt.Errorf("%w: YAML: %s", sillage.ErrInvalid, strings.TrimPrefix(err.Error(), "yaml: ")))
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return fail(doc.Line, "", fmt.Errorf("%w: the top level must be a mapping with keys %s", sillage.ErrInvalid, strings.Join(fileTopKeys, ", ")))
	}
	root := doc.Content[0]
	var es FileErrors
	add := func(line int, path string, err error) {
		es = append(es, &FileError{File: name, Line: line, Path: path, Err: err})
	}
	checkKeys(root, "", fileTopKeys, add)

	// parsedFactor is a factor of the file and what its record asks of
	// the mode's default.
	type parsedFactor struct {
		f         Factor
		isDefault bool
		maxKM     float64 // the default's distance limit, km
	}
	parsed := parseList(root, "factors", fileFactorKeys, add, func(ff fileFactor, item *yaml.Node, at string) (parsedFactor, bool) {
		line := func(key string) int {
			if v := mapValue(item, key); v != nil {
				return v.Line
			}
			return item.Line
		}
		f, ok := Factor{Mode: sillage.Mode(ff.Mode), Vehicle: ff.Vehicle, Label: ff.Label, Source: ff.Source, Year: ff.Year, Note: ff.Note, Primary: true, RadiativeForcing: ff.RF}, true
		if !f.Mode.Valid() {
			add(line("mode"), at+".mode", fmt.Errorf("%w %q (want one of road, rail, sea, air, barge)", ErrUnknownMode, ff.Mode))
			ok = false
		}
		if ff.Vehicle == "" {
			add(item.Line, at+".vehicle", fmt.Errorf("%w: is required", sillage.ErrInvalid))
			ok = false
		}
		if ff.Source == "" {
			add(item.Line, at+".source", fmt.Errorf("%w: is required: name where the value comes from", sillage.ErrInvalid))
			ok = false
		}
		for _, v := range []struct {
			key string
			x   *float64
		}{{"ttw_kgco2e_per_tkm", ff.TTW}, {"wtt_kgco2e_per_tkm", ff.WTT}, {"wtw_kgco2e_per_tkm", ff.WTW}} {
			if v.x != nil && (*v.x < 0 || math.IsNaN(*v.x) || math.IsInf(*v.x, 0)) {
				add(line(v.key), at+"."+v.key, fmt.Errorf("%v: %w", *v.x, ErrNegativeIntensity))
				ok = false
			}
		}
		switch {
		case ff.WTW != nil && (ff.TTW != nil || ff.WTT != nil):
			add(line("wtw_kgco2e_per_tkm"), at, fmt.Errorf("%w: give either wtw_kgco2e_per_tkm or ttw_ and wtt_kgco2e_per_tkm, not both", sillage.ErrInvalid))
			ok = false
		case ff.WTW != nil:
			f.TTW, f.Combined = *ff.WTW, true
		case ff.TTW != nil && ff.WTT != nil:
			f.TTW, f.WTT = *ff.TTW, *ff.WTT
		default:
			add(item.Line, at, fmt.Errorf("%w: an intensity is required: ttw_kgco2e_per_tkm and wtt_kgco2e_per_tkm, or wtw_kgco2e_per_tkm", sillage.ErrInvalid))
			ok = false
		}
		if ff.MaxDistanceKM < 0 {
			add(line("max_distance_km"), at+".max_distance_km", fmt.Errorf("%w: must be >= 0", sillage.ErrInvalid))
			ok = false
		}
		return parsedFactor{f, ff.Default, ff.MaxDistanceKM}, ok
	})
	grid := parseList(root, "grid", fileGridKeys, add, func(gf GridFactor, item *yaml.Node, at string) (GridFactor, bool) {
		if gf.Source == "" {
			add(item.Line, at+".source", fmt.Errorf("%w: is required", sillage.ErrInvalid))
			return gf, false
		}
		if err := (&GridTable{}).Set(gf); err != nil {
			add(item.Line, at, err)
			return gf, false
		}
		return gf, true
	})
	materials := parseList(root, "materials", fileMaterialKeys, add, func(mf MaterialFactor, item *yaml.Node, at string) (MaterialFactor, bool) {
		mf.Primary = true
		if err := (&MaterialTable{}).Add(mf); err != nil {
			add(item.Line, at, err)
			return mf, false
		}
		return mf, true
	})
	hubs := parseList(root, "hubs", fileHubKeys, add, func(hf HubFactor, item *yaml.Node, at string) (HubFactor, bool) {
		if err := (&HubTable{}).Add(hf); err != nil {
			add(item.Line, at, err)
			return hf, false
		}
		return hf, true
	})
	if len(es) > 0 {
		return es
	}
	if len(materials) > 0 && ts.Materials == nil {
		return fail(0, "materials", errors.New("no material table to apply the materials to"))
	}
	if len(hubs) > 0 && ts.Hubs == nil {
		return fail(0, "hubs", errors.New("no hub table to apply the hub factors to"))
	}
	for _, m := range materials {
		if err := ts.Materials.Add(m); err != nil {
			return fail(0, "", err)
		}
	}
	for _, h := range hubs {
		if err := ts.Hubs.Add(h); err != nil {
			return fail(0, "", err)
		}
	}
	if len(parsed) > 0 && t == nil {
		return fail(0, "factors", errors.New("no factor table to apply the factors to"))
	}
	if len(grid) > 0 && g == nil {
		return fail(0, "grid", errors.New("no grid table to apply the grid intensities to"))
	}
	if t != nil && t.Name != "" && len(parsed) > 0 {
		label := name
		if n := mapValue(root, "name"); n != nil && n.Value != "" {
			label = n.Value
		}
		t.Name += " + " + label
	}
	for _, p := range parsed {
		if err := t.Add(p.f); err != nil {
			return fail(0, "", err)
		}
	}
	replaced := map[sillage.Mode]bool{}
	for _, p := range parsed {
		if !p.isDefault {
			continue
		}
		if err := t.SetDefault(p.f.Mode, p.f.Vehicle, p.maxKM, !replaced[p.f.Mode]); err != nil {
			return fail(0, "", err)
		}
		replaced[p.f.Mode] = true
	}
	for _, gf := range grid {
		if err := g.Set(gf); err != nil {
			return fail(0, "", err)
		}
	}
	return nil
}

// parseList reads the list under key of root, each record a mapping with
// keys from allowed, decoded into a D and then checked and converted by
// one; bad records are reported through add.
func parseList[D, T any](root *yaml.Node, key string, allowed []string, add func(int, string, error), one func(D, *yaml.Node, string) (T, bool)) []T {
	n := mapValue(root, key)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		add(n.Line, key, fmt.Errorf("%w: must be a list", sillage.ErrInvalid))
		return nil
	}
	var out []T
	for i, item := range n.Content {
		at := fmt.Sprintf("%s[%d]", key, i)
		if item.Kind != yaml.MappingNode {
			add(item.Line, at, fmt.Errorf("%w: must be a mapping", sillage.ErrInvalid))
			continue
		}
		checkKeys(item, at, allowed, add)
		var d D
		if err := item.Decode(&d); err != nil {
			add(item.Line, at, fmt.Errorf("%w: %s", sillage.ErrInvalid, strings.TrimPrefix(err.Error(), "yaml: ")))
			continue
		}
		if v, ok := one(d, item, at); ok {
			out = append(out, v)
		}
	}
	return out
}

// mapValue returns the value node of key in mapping m, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// checkKeys reports keys of mapping m that are not in allowed.
func checkKeys(m *yaml.Node, at string, allowed []string, add func(int, string, error)) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		ok := false
		for _, a := range allowed {
			if k.Value == a {
				ok = true
				break
			}
		}
		if !ok {
			p := k.Value
			if at != "" {
				p = at + "." + k.Value
			}
			add(k.Line, p, fmt.Errorf("%w: unknown key (want one of %s)", sillage.ErrInvalid, strings.Join(allowed, ", ")))
		}
	}
}
