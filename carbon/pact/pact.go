package pact

import (
	"crypto/sha256"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

// SpecVersion is the version of the PACT Technical Specifications the
// exported documents follow.
const SpecVersion = "2.3.0"

// Decimal is a decimal number encoded as a JSON string, e.g. "0.123".
type Decimal string

// Dec formats v as a Decimal with at most 6 decimal places (kgCO2e per kg
// to the milligram), without exponent and without trailing zeros.
func Dec(v float64) Decimal {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	s := strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', 6, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		s = "0"
	}
	return Decimal(s)
}

// Float returns the value of d, or 0 when d is not a number.
func (d Decimal) Float() float64 {
	v, _ := strconv.ParseFloat(string(d), 64)
	return v
}

// ProductFootprint is the PACT v2.3 ProductFootprint data type, with the
// properties this project fills.
type ProductFootprint struct {
	ID            string     `json:"id"`
	SpecVersion   string     `json:"specVersion"`
	Version       int        `json:"version"`
	Created       time.Time  `json:"created"`
	Updated       *time.Time `json:"updated,omitempty"`
	Status        string     `json:"status"`
	StatusComment string     `json:"statusComment,omitempty"`
	// ValidityPeriodStart (inclusive) and ValidityPeriodEnd (exclusive)
	// bound the time in which the footprint may be used.
	ValidityPeriodStart *time.Time `json:"validityPeriodStart,omitempty"`
	ValidityPeriodEnd   *time.Time `json:"validityPeriodEnd,omitempty"`
	// PrecedingPfIDs are the ids of the earlier versions of this
	// footprint, oldest first.
	PrecedingPfIDs     []string        `json:"precedingPfIds,omitempty"`
	CompanyName        string          `json:"companyName"`
	CompanyIDs         []string        `json:"companyIds"`
	ProductDescription string          `json:"productDescription"`
	ProductIDs         []string        `json:"productIds"`
	ProductCategoryCpc string          `json:"productCategoryCpc"`
	ProductNameCompany string          `json:"productNameCompany"`
	Comment            string          `json:"comment"`
	PCF                CarbonFootprint `json:"pcf"`
}

// CarbonFootprint is the PACT v2.3 CarbonFootprint data type.
type CarbonFootprint struct {
	DeclaredUnit                      string                `json:"declaredUnit"`
	UnitaryProductAmount              Decimal               `json:"unitaryProductAmount"`
	ProductMassPerDeclaredUnit        Decimal               `json:"productMassPerDeclaredUnit"`
	PCfExcludingBiogenic              Decimal               `json:"pCfExcludingBiogenic"`
	FossilGhgEmissions                Decimal               `json:"fossilGhgEmissions"`
	FossilCarbonContent               Decimal               `json:"fossilCarbonContent"`
	BiogenicCarbonContent             Decimal               `json:"biogenicCarbonContent"`
	AircraftGhgEmissions              *Decimal              `json:"aircraftGhgEmissions,omitempty"`
	CharacterizationFactors           string                `json:"characterizationFactors"`
	IPCCCharacterizationFactorSources []string              `json:"ipccCharacterizationFactorsSources"`
	CrossSectoralStandardsUsed        []string              `json:"crossSectoralStandardsUsed"`
	CrossSectoralStandards            []string              `json:"crossSectoralStandards"`
	BoundaryProcessesDescription      string                `json:"boundaryProcessesDescription"`
	ReferencePeriodStart              time.Time             `json:"referencePeriodStart"`
	ReferencePeriodEnd                time.Time             `json:"referencePeriodEnd"`
	GeographyCountry                  string                `json:"geographyCountry,omitempty"`
	GeographyRegionOrSubregion        string                `json:"geographyRegionOrSubregion,omitempty"`
	SecondaryEmissionFactorSources    []EmissionFactorDB    `json:"secondaryEmissionFactorSources,omitempty"`
	ExemptedEmissionsPercent          float64               `json:"exemptedEmissionsPercent"`
	ExemptedEmissionsDescription      string                `json:"exemptedEmissionsDescription"`
	PackagingEmissionsIncluded        bool                  `json:"packagingEmissionsIncluded"`
	AllocationRulesDescription        string                `json:"allocationRulesDescription,omitempty"`
	PrimaryDataShare                  float64               `json:"primaryDataShare"`
	DQI                               DataQualityIndicators `json:"dqi"`
}

// EmissionFactorDB names a secondary data source and its version.
type EmissionFactorDB struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// DataQualityIndicators is the PACT DataQualityIndicators data type; the
// DQR scores range from 1 (best) to 3.
type DataQualityIndicators struct {
	CoveragePercent  float64 `json:"coveragePercent"`
	TechnologicalDQR float64 `json:"technologicalDQR"`
	TemporalDQR      float64 `json:"temporalDQR"`
	GeographicalDQR  float64 `json:"geographicalDQR"`
	CompletenessDQR  float64 `json:"completenessDQR"`
	ReliabilityDQR   float64 `json:"reliabilityDQR"`
}

// Options are the company-level inputs of an export.
type Options struct {
	CompanyName string   // required
	CompanyIDs  []string // URNs; default urn:pathfinder:company:customcode:vendor-assigned:<company slug>
	// ReferencePeriodStart (inclusive) and ReferencePeriodEnd (exclusive)
	// bound the activity data; both required, start before end.
	ReferencePeriodStart, ReferencePeriodEnd time.Time
	Created                                  time.Time // default: ReferencePeriodEnd
	Version                                  int       // PCF version, default 1
	// CPC maps a product class to its UN CPC Ver. 2.1 code; it extends
	// DefaultCPC.
	CPC map[string]string
	// CradleToGatePrimary marks the products' cradle-to-gate emissions as
	// the company's (or its supplier's) own measurement, primary data for
	// primaryDataShare and the DQI. By default they are secondary.
	CradleToGatePrimary bool
}

// DefaultCPC holds UN CPC Ver. 2.1 subclasses for the product classes of
// the sample networks. They are indicative: check them against the CPC
// before publishing, and override them with Options.CPC (--cpc). A class
// not listed needs Options.CPC.
var DefaultCPC = map[string]string{
	"silk":          "28240", // clothing accessories (scarves, shawls)
	"leather":       "29220", // handbags, wallets and similar articles of leather
	"fragrance":     "35323", // perfumes and toilet waters
	"watch":         "48221", // wrist-watches, pocket-watches and other watches
	"ready-to-wear": "28221", // women's or girls' suits, jackets, dresses, skirts (outerwear)
	"jewellery":     "38240", // jewellery and parts thereof, of precious metal
}

var urnRE = regexp.MustCompile(`^[uU][rR][nN]:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$`)

// ProductPCF is the input of one product's export: the product and its
// footprints at the sites the plan delivers (possibly none).
type ProductPCF struct {
	Product    sillage.Product
	Footprints []carbon.FootprintDetail
	Countries  map[string]string // site id -> ISO country, for the geography
}

// Build returns the ProductFootprint of one product: the unit-weighted
// average, over the sites the plan delivers, of its footprint per unit,
// expressed per kg of product (declared unit "kilogram"). A product the
// plan does not deliver carries its cradle-to-gate footprint only, and the
// comment says so. Errors wrap sillage.ErrInvalid.
func Build(in ProductPCF, opt Options) (ProductFootprint, error) {
	p := in.Product
	if opt.CompanyName == "" {
		return ProductFootprint{}, fmt.Errorf("%w: PACT export: company name is required", sillage.ErrInvalid)
	}
	if opt.ReferencePeriodStart.IsZero() || !opt.ReferencePeriodEnd.After(opt.ReferencePeriodStart) {
		return ProductFootprint{}, fmt.Errorf("%w: PACT export: reference period %s – %s must be non-empty", sillage.ErrInvalid, opt.ReferencePeriodStart.Format(time.RFC3339), opt.ReferencePeriodEnd.Format(time.RFC3339))
	}
	if !(p.MassKG > 0) {
		return ProductFootprint{}, fmt.Errorf("%w: PACT export of %s: mass_kg must be > 0 (the declared unit is the kilogram)", sillage.ErrInvalid, p.SKU)
	}
	ids := opt.CompanyIDs
	if len(ids) == 0 {
		ids = []string{"urn:pathfinder:company:customcode:vendor-assigned:" + slug(opt.CompanyName)}
	}
	for _, id := range ids {
		if !urnRE.MatchString(id) {
			return ProductFootprint{}, fmt.Errorf("%w: company id %q is not a URN (urn:<nid>:<nss>)", sillage.ErrInvalid, id)
		}
	}
	cpc := opt.CPC[p.Class]
	if cpc == "" {
		cpc = DefaultCPC[p.Class]
	}
	if cpc == "" {
		return ProductFootprint{}, fmt.Errorf("%w: PACT export of %s: no UN CPC code for product class %q; give one (e.g. --cpc %s=CODE)", sillage.ErrInvalid, p.SKU, p.Class, p.Class)
	}
	version := opt.Version
	if version <= 0 {
		version = 1
	}
	created := opt.Created
	if created.IsZero() {
		created = opt.ReferencePeriodEnd
	}

	// Cradle-to-gate per unit: the value the footprints were computed with
	// (from the bill of materials, or the master data's override); without
	// footprints, the product's own, from its materials when it has them.
	cradle := p.CradleToGateKgCO2e
	found := false
	for _, d := range in.Footprints {
		if d.SKU == p.SKU {
			cradle, found = d.CradleToGateKgCO2e, true
			break
		}
	}
	if !found && len(p.Materials) > 0 {
		cg, err := carbon.ProductCradleToGate(p, nil)
		if err != nil {
			return ProductFootprint{}, fmt.Errorf("PACT export of %s: %w", p.SKU, err)
		}
		cradle = cg.KgCO2e
	}

	// Unit-weighted averages per unit of product, kgCO2e, and the
	// provenance of every input (quality.go).
	var units, transport, storage, air float64
	q := newQuality(opt.ReferencePeriodStart.UTC().Year())
	countries := map[string]bool{}
	modes := map[sillage.Mode]bool{}
	for _, d := range in.Footprints {
		if d.SKU != p.SKU || d.Units <= 0 {
			continue
		}
		units += d.Units
		transport += d.TransportKgCO2e * d.Units
		storage += d.StorageKgCO2e * d.Units
		if c := in.Countries[d.Site]; c != "" {
			countries[c] = true
		}
		for _, path := range d.Paths {
			for _, l := range path.Legs {
				modes[l.Mode] = true
				legKg := p.MassKG * l.KgCO2ePerKG * path.Units
				if l.Mode == sillage.ModeAir {
					air += legKg
				}
				q.leg(legKg, l)
			}
			for _, h := range path.Hubs {
				q.hub(h.KgCO2ePerUnit*path.Units, h)
			}
		}
	}
	if units > 0 {
		transport /= units
		storage /= units
		air /= units
		// q holds totals over the units; scale the cradle-to-gate alike.
	}
	q.cradle(cradle*math.Max(units, 1), opt.CradleToGatePrimary)
	total := cradle + transport + storage
	perKG := func(v float64) Decimal { return Dec(v / p.MassKG) }
	charFactors, charSources := q.characterization()
	validStart := opt.ReferencePeriodEnd.UTC()
	validEnd := validStart.AddDate(3, 0, 0)

	pf := ProductFootprint{
		ID:                  footprintID(opt.CompanyName, p.SKU, opt.ReferencePeriodStart, version),
		SpecVersion:         SpecVersion,
		Version:             version,
		Created:             created.UTC(),
		Status:              "Active",
		ValidityPeriodStart: &validStart,
		ValidityPeriodEnd:   &validEnd,
		CompanyName:         opt.CompanyName,
		CompanyIDs:          ids,
		ProductDescription:  describe(p),
		ProductIDs:          productIDs(p),
		ProductCategoryCpc:  cpc,
		ProductNameCompany:  p.Name,
		PCF: CarbonFootprint{
			DeclaredUnit:                      "kilogram",
			UnitaryProductAmount:              Dec(p.MassKG),
			ProductMassPerDeclaredUnit:        "1",
			PCfExcludingBiogenic:              perKG(total),
			FossilGhgEmissions:                perKG(total),
			FossilCarbonContent:               "0",
			BiogenicCarbonContent:             "0",
			CharacterizationFactors:           charFactors,
			IPCCCharacterizationFactorSources: charSources,
			CrossSectoralStandardsUsed:        []string{"GHG Protocol Product standard", "ISO Standard 14067"},
			CrossSectoralStandards:            []string{"ISO14067", "ISO14083", "GHGP-Product"},
			BoundaryProcessesDescription:      "Cradle-to-gate emissions of the product from its bill of materials plus a manufacturing share, or from product master data; transport from the source to the site along the planned paths, including the legs that brought the product into its distribution centre (ISO 14083, well-to-wheel, tonne-km allocation) and handling at hubs (GLEC default hub factors); electricity for storage at each hub on the path (kWh per unit-day × days × grid intensity of the hub's country). Retail, use and end of life are outside the boundary.",
			ReferencePeriodStart:              opt.ReferencePeriodStart.UTC(),
			ReferencePeriodEnd:                opt.ReferencePeriodEnd.UTC(),
			ExemptedEmissionsPercent:          0,
			ExemptedEmissionsDescription:      "",
			PackagingEmissionsIncluded:        false,
			AllocationRulesDescription:        "Transport chain element emissions are allocated to products by tonne-km (ISO 14083), then divided by the units carried; several paths to sites are weighted by units.",
			PrimaryDataShare:                  q.share(),
			DQI:                               q.dqi(units > 0),
		},
	}
	if air > 0 {
		a := perKG(air)
		pf.PCF.AircraftGhgEmissions = &a
	}
	for db := range q.sources {
		pf.PCF.SecondaryEmissionFactorSources = append(pf.PCF.SecondaryEmissionFactorSources, db)
	}
	sort.Slice(pf.PCF.SecondaryEmissionFactorSources, func(i, j int) bool {
		a, b := pf.PCF.SecondaryEmissionFactorSources[i], pf.PCF.SecondaryEmissionFactorSources[j]
		return a.Name+a.Version < b.Name+b.Version
	})
	pf.PCF.GeographyCountry, pf.PCF.GeographyRegionOrSubregion = geography(countries)

	var c strings.Builder
	fmt.Fprintf(&c, "Per unit of %.4g kg: cradle-to-gate %.6g kgCO2e, transport %.6g kgCO2e, storage %.6g kgCO2e, total %.6g kgCO2e. ",
		p.MassKG, cradle, transport, storage, total)
	if units == 0 {
		c.WriteString("The plan delivers no units of this product in the reference period: transport and storage are not included. ")
	} else {
		ms := make([]string, 0, len(modes))
		for m := range modes {
			ms = append(ms, string(m))
		}
		sort.Strings(ms)
		fmt.Fprintf(&c, "Averaged over %g units delivered to %d site(s) by %s; transport factors well-to-wheel, distances by GLEC Framework v3 rules. ", units, len(countries), strings.Join(ms, ", "))
	}
	c.WriteString(q.describeSources())
	fmt.Fprintf(&c, "Primary data (the company's own measurements) make %.4g %% of the footprint; default factors and master data are secondary. Biogenic and fossil carbon content not assessed (reported as 0).", q.share())
	pf.Comment = c.String()
	return pf, nil
}

// factorDB turns a factor source into a secondary data source entry.
func factorDB(source string, year int) EmissionFactorDB {
	v := "unknown"
	if year > 0 {
		v = strconv.Itoa(year)
	}
	if source == "" {
		source = "unknown"
	}
	return EmissionFactorDB{Name: source, Version: v}
}

func describe(p sillage.Product) string {
	s := p.Name
	if p.Maison != "" {
		s += ", " + p.Maison
	}
	if p.Class != "" {
		s += " (" + p.Class + ")"
	}
	return fmt.Sprintf("%s; %g kg per unit; SKU %s", s, p.MassKG, p.SKU)
}

func productIDs(p sillage.Product) []string {
	var ids []string
	if p.GTIN != "" {
		ids = append(ids, "urn:gtin:"+p.GTIN)
	}
	return append(ids, "urn:pathfinder:product:customcode:vendor-assigned:"+slug(p.SKU))
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "unnamed"
	}
	return b.String()
}

// footprintID derives a stable UUID (version 4 layout, content-derived) from
// the company, product, reference period and version, so that exporting the
// same footprint twice gives the same id.
func footprintID(company, sku string, start time.Time, version int) string {
	return uuidFromHash(sha256.Sum256([]byte(fmt.Sprintf("sillage-pact\x00%s\x00%s\x00%s\x00%d", company, sku, start.UTC().Format(time.RFC3339), version))))
}

// uuidFromHash lays out the first 16 bytes of h as a UUID (version 4
// layout).
func uuidFromHash(h [32]byte) string {
	h[6] = h[6]&0x0f | 0x40
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
