package workflows

import (
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
)

// Search attribute keys. They must be registered on the namespace before a
// workflow upserts them: the dev server takes them as --search-attribute
// flags (DevServerFlags), a cluster gets them from `sillage searchattrs`.
var (
	AttrNetwork  = temporal.NewSearchAttributeKeyKeyword("SillageNetwork")
	AttrSite     = temporal.NewSearchAttributeKeyKeyword("SillageSite")
	AttrSupplier = temporal.NewSearchAttributeKeyKeyword("SillageSupplier")
	AttrStatus   = temporal.NewSearchAttributeKeyKeyword("SillageStatus")
	AttrCostEUR  = temporal.NewSearchAttributeKeyFloat64("SillageCostEUR") // EUR: plan objective or order value
	AttrKgCO2e   = temporal.NewSearchAttributeKeyFloat64("SillageKgCO2e")  // kgCO2e of transport
)

// SearchAttribute names one search attribute and its type.
type SearchAttribute struct {
	Name string
	Type enumspb.IndexedValueType
}

// SearchAttributes lists every search attribute the workflows use, in a
// fixed order.
var SearchAttributes = []SearchAttribute{
	{AttrNetwork.GetName(), enumspb.INDEXED_VALUE_TYPE_KEYWORD},
	{AttrSite.GetName(), enumspb.INDEXED_VALUE_TYPE_KEYWORD},
	{AttrSupplier.GetName(), enumspb.INDEXED_VALUE_TYPE_KEYWORD},
	{AttrStatus.GetName(), enumspb.INDEXED_VALUE_TYPE_KEYWORD},
	{AttrCostEUR.GetName(), enumspb.INDEXED_VALUE_TYPE_DOUBLE},
	{AttrKgCO2e.GetName(), enumspb.INDEXED_VALUE_TYPE_DOUBLE},
}

// DevServerFlags returns the flags that register SearchAttributes on
// `temporal server start-dev`: --search-attribute NAME=Keyword, ...
func DevServerFlags() []string {
	out := make([]string, 0, 2*len(SearchAttributes))
	for _, a := range SearchAttributes {
		out = append(out, "--search-attribute", a.Name+"="+devServerType(a.Type))
	}
	return out
}

// devServerType is the type name the dev server's flag takes.
func devServerType(t enumspb.IndexedValueType) string {
	switch t {
	case enumspb.INDEXED_VALUE_TYPE_KEYWORD:
		return "Keyword"
	case enumspb.INDEXED_VALUE_TYPE_DOUBLE:
		return "Double"
	case enumspb.INDEXED_VALUE_TYPE_TEXT:
		return "Text"
	case enumspb.INDEXED_VALUE_TYPE_INT:
		return "Int"
	case enumspb.INDEXED_VALUE_TYPE_BOOL:
		return "Bool"
	case enumspb.INDEXED_VALUE_TYPE_DATETIME:
		return "Datetime"
	case enumspb.INDEXED_VALUE_TYPE_KEYWORD_LIST:
		return "KeywordList"
	}
	return t.String()
}
