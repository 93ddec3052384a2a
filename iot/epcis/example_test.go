package epcis_test

import (
	"fmt"

	"github.com/sillage/sillage/iot/epcis"
)

func ExampleDecode() {
	msg := `{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
	  "type":"ObjectEvent","eventTime":"2026-03-01T10:00:00+01:00","eventTimeZoneOffset":"+01:00",
	  "action":"OBSERVE","bizStep":"https://ref.gs1.org/cbv/BizStep-receiving",
	  "epcList":["urn:epc:id:sgtin:3760123.040001.1","urn:epc:raw:96.x3074257BF7194E4000001A85"],
	  "bizLocation":{"id":"urn:epc:id:sgln:3760123.45001.0"}}`
	doc, err := epcis.Decode([]byte(msg))
	if err != nil {
		fmt.Println(err)
		return
	}
	ev := doc.Events[0]
	fmt.Println(ev.Type, ev.Action, ev.BizStep, ev.BizLocation.GLN, ev.Time.UTC().Format("15:04"))
	for _, it := range ev.EPCs {
		fmt.Println(it.GTIN, it.Serial)
	}
	_, err = epcis.Decode([]byte(`{"type":"ObjectEvent","action":"MOVE"}`))
	fmt.Println(err != nil)
	// Output:
	// ObjectEvent OBSERVE receiving 3760123450010 09:00
	// 03760123400015 1
	// 80614141123458 6789
	// true
}
