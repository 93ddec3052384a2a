package epcisquery_test

import (
	"fmt"
	"net/url"

	"github.com/sillage/sillage/iot/epcisquery"
)

// The query of a sold bag's journey, any form of its EPC: the filters the
// store runs.
func ExampleParseQuery() {
	v, _ := url.ParseQuery("MATCH_epc=urn:epc:id:sgtin:3760123.040001.7|urn:epc:idpat:sgtin:3760123.040002.*" +
		"&EQ_bizStep=https://ref.gs1.org/cbv/BizStep-receiving|retail_selling&GE_eventTime=2026-03-02T00:00:00Z&perPage=5")
	q, err := epcisquery.ParseQuery(v)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q.Events.EPCs, q.Events.EPCPrefixes, q.Events.BizSteps, q.Events.From, q.PerPage)
	// Output: [01/03760123400015/21/7] [01/03760123400022/] [receiving retail_selling] 2026-03-02 00:00:00 +0000 UTC 5
}
