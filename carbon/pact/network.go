package pact

import (
	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

// BuildNetwork returns the PACT document of every product of n, in network
// order, with their skus (for WriteDir), from the footprints of res.
func BuildNetwork(n *sillage.Network, res *carbon.Result, opt Options) ([]ProductFootprint, []string, error) {
	countries := map[string]string{}
	for _, s := range n.Sites {
		countries[s.ID] = s.Country
	}
	var pfs []ProductFootprint
	var skus []string
	for _, p := range n.Products {
		pf, err := Build(ProductPCF{Product: p, Footprints: res.Details, Countries: countries}, opt)
		if err != nil {
			return nil, nil, err
		}
		pfs = append(pfs, pf)
		skus = append(skus, p.SKU)
	}
	return pfs, skus, nil
}

// CompanyName returns name when it is not empty, else the maison of the
// first product of n that has one, else the network's name, else
// "unnamed company": the default of Options.CompanyName.
func CompanyName(name string, n *sillage.Network) string {
	if name != "" {
		return name
	}
	for _, p := range n.Products {
		if p.Maison != "" {
			return p.Maison
		}
	}
	if n.Name != "" {
		return n.Name
	}
	return "unnamed company"
}
