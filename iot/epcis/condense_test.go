package epcis

import (
	"bytes"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaVerdicts validates data with and without condense and returns
// both verdicts (nil when data is not JSON).
func schemaVerdicts(t testing.TB, data []byte) (full, condensed *bool) {
	sch, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, nil
	}
	a := sch.Validate(v) == nil
	b := a
	if m, ok := v.(map[string]any); ok {
		restore := condense(m)
		b = sch.Validate(v) == nil
		restore()
		// restore puts the original lists back.
		if c := sch.Validate(v) == nil; c != a {
			t.Fatalf("validation changed after restore: %v then %v", a, c)
		}
	}
	return &a, &b
}

// TestCondenseEquivalent checks that condensing EPC lists never changes
// the schema's verdict, on lists that pass and lists that fail.
func TestCondenseEquivalent(t *testing.T) {
	ok := strings.Replace(event, "BIZSTEP", "receiving", 1)
	lists := []string{
		`["urn:epc:id:sgtin:376012.3400015.7","urn:epc:id:sgtin:376012.3400015.8"]`,
		`["urn:epc:id:sgtin:376012.3400015.7","urn:epc:id:sgtin:376012.3400015.7"]`,
		`["urn:epc:id:sgtin:376012.3400015.7",7]`,
		`["urn:epc:id:sgtin:376012.3400015.7","relative/path"]`,
		`["urn:epc:id:sgtin:376012.3400015.7",""]`,
		`["urn:epc:id:sgtin:376012.3400015.7","http://[::1]/01/1"]`,
		`["urn:epc:id:sgtin:376012.3400015.7","http://::1/01/1"]`,
		`["urn:epc:id:sgtin:376012.3400015.7","https://id.gs1.org/01/09506000134352/21/%zz"]`,
		`["x:1","x:2","x:3"]`,
		`["x:1"]`,
		`[]`,
		`[null,null]`,
		`"notalist"`,
	}
	valid, invalid := 0, 0
	defer func() {
		if valid == 0 || invalid == 0 {
			t.Errorf("cases are all one way: %d valid, %d invalid", valid, invalid)
		}
	}()
	for _, key := range []string{"epcList", "childEPCs"} {
		for _, typ := range []string{"ObjectEvent", "AggregationEvent", "AssociationEvent", "TransactionEvent", "Extension"} {
			for _, l := range lists {
				msg := strings.Replace(ok, `"epcList":[`, `"`+key+`":`+l+`,"x:ignored":[`, 1)
				msg = strings.Replace(msg, `"type":"ObjectEvent"`, `"type":"`+typ+`"`, 1)
				if typ == "AggregationEvent" || typ == "TransactionEvent" {
					msg = strings.Replace(msg, `"bizLocation"`, `"parentID":"urn:epc:id:sscc:0614141.1234567890","bizTransactionList":[{"type":"po","bizTransaction":"urn:x:1"}],"bizLocation"`, 1)
				}
				for _, doc := range []string{msg, `{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-01-01T00:00:00Z","epcisBody":{"eventList":[` + msg + `]}}`} {
					full, cond := schemaVerdicts(t, []byte(doc))
					if full == nil {
						t.Fatalf("test message is not JSON: %s", doc)
					}
					if *full {
						valid++
					} else {
						invalid++
					}
					if *full != *cond {
						t.Errorf("%s %s %s: schema says %v, condensed %v", typ, key, l, *full, *cond)
					}
				}
			}
		}
	}
}
