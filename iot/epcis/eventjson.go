package epcis

import (
	"encoding/json"
	"fmt"
)

// StandardContext is the JSON-LD context of EPCIS 2.0 documents.
const StandardContext = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"

// EventJSON returns event i of the document as one EPCIS 2.0 JSON
// object, as captured (compact, keys in sorted order): what an EPCIS
// repository keeps and returns to queries. An event of a document whose
// @context is more than the standard one, and that has none of its own,
// carries the document's @context, so that its extension fields keep
// their meaning on their own. Cost: one encoding of the event.
func (d *Document) EventJSON(i int) ([]byte, error) {
	if i < 0 || i >= len(d.Events) {
		return nil, fmt.Errorf("event %d of a document of %d", i, len(d.Events))
	}
	m := d.Events[i].src
	if m == nil {
		return nil, fmt.Errorf("event %d was not decoded from JSON", i)
	}
	if _, own := m["@context"]; !own && !d.Single && d.context != nil && d.context != StandardContext {
		c := make(map[string]any, len(m)+1)
		for k, v := range m {
			c[k] = v
		}
		c["@context"] = d.context
		m = c
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("event %d: %w", i, err)
	}
	return b, nil
}
