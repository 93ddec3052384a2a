package iot

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/sillage/sillage/iot/epcis"
)

// DefaultCompanyPrefixLen is the GS1 Company Prefix length the builders
// below use to split GTINs and GLNs into EPC URIs. Any length from 6 to 12
// gives the same GTIN or GLN back; 7 is common.
const DefaultCompanyPrefixLen = 7

// SGLNURI returns the SGLN URI of a 13-digit GLN with an extension ("0"
// for none), splitting it after cpLen digits.
func SGLNURI(gln string, cpLen int, ext string) string {
	if len(gln) != 13 || cpLen < 6 || cpLen > 12 {
		return "urn:epc:id:sgln:" + gln + ".." + ext
	}
	return "urn:epc:id:sgln:" + gln[:cpLen] + "." + gln[cpLen:12] + "." + ext
}

// SGTINURI returns the SGTIN URI of a GTIN-14 and a serial (which must need
// no escaping), splitting the GTIN after cpLen digits of company prefix.
func SGTINURI(gtin string, cpLen int, serial string) string {
	if len(gtin) != 14 || cpLen < 6 || cpLen > 12 {
		return "urn:epc:id:sgtin:" + gtin + ".." + serial
	}
	return "urn:epc:id:sgtin:" + gtin[1:1+cpLen] + "." + gtin[:1] + gtin[1+cpLen:13] + "." + serial
}

// LGTINURI returns the LGTIN class URI of a GTIN-14 and a lot.
func LGTINURI(gtin string, cpLen int, lot string) string {
	if len(gtin) != 14 || cpLen < 6 || cpLen > 12 {
		return "urn:epc:class:lgtin:" + gtin + ".." + lot
	}
	return "urn:epc:class:lgtin:" + gtin[1:1+cpLen] + "." + gtin[:1] + gtin[1+cpLen:13] + "." + lot
}

// ObjectEvent describes an EPCIS 2.0 ObjectEvent to encode with
// EncodeEvents. Locations are GLNs; EPCs and classes are URIs.
type ObjectEvent struct {
	ID              string
	Time            time.Time
	Action          epcis.Action
	BizStep         string // CBV short form, e.g. "receiving"
	Disposition     string // CBV short form, e.g. "in_transit"
	ReadPoint       string // GLN, "" for none
	BizLocation     string // GLN, "" for none
	Destination     string // GLN of a destination location, "" for none
	EPCs            []string
	Quantities      []QuantityElement
	BizTransactions []epcis.BizTransaction
}

// QuantityElement is one entry of a quantityList.
type QuantityElement struct {
	EPCClass string  `json:"epcClass"`
	Quantity float64 `json:"quantity"`
	UOM      string  `json:"uom,omitempty"`
}

type jsonID struct {
	ID string `json:"id"`
}

type jsonBizTx struct {
	Type string `json:"type,omitempty"`
	ID   string `json:"bizTransaction"`
}

type jsonDest struct {
	Type string `json:"type"`
	ID   string `json:"destination"`
}

type jsonEvent struct {
	Type          string            `json:"type"`
	EventID       string            `json:"eventID,omitempty"`
	EventTime     string            `json:"eventTime"`
	TZ            string            `json:"eventTimeZoneOffset"`
	Action        string            `json:"action"`
	BizStep       string            `json:"bizStep,omitempty"`
	Disposition   string            `json:"disposition,omitempty"`
	EPCList       []string          `json:"epcList,omitempty"`
	QuantityList  []QuantityElement `json:"quantityList,omitempty"`
	ReadPoint     *jsonID           `json:"readPoint,omitempty"`
	BizLocation   *jsonID           `json:"bizLocation,omitempty"`
	BizTxList     []jsonBizTx       `json:"bizTransactionList,omitempty"`
	DestinationLs []jsonDest        `json:"destinationList,omitempty"`
}

// epcisContext is the JSON-LD context of EPCIS 2.0.
var epcisContext = []string{"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"}

func (e ObjectEvent) json() jsonEvent {
	_, off := e.Time.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	j := jsonEvent{
		Type: "ObjectEvent", EventID: e.ID, EventTime: e.Time.Format(time.RFC3339Nano),
		TZ:     fmt.Sprintf("%c%02d:%02d", sign, off/3600, off%3600/60),
		Action: string(e.Action), BizStep: e.BizStep, Disposition: e.Disposition,
		EPCList: e.EPCs, QuantityList: e.Quantities,
	}
	if e.ReadPoint != "" {
		j.ReadPoint = &jsonID{SGLNURI(e.ReadPoint, DefaultCompanyPrefixLen, "0")}
	}
	if e.BizLocation != "" {
		j.BizLocation = &jsonID{SGLNURI(e.BizLocation, DefaultCompanyPrefixLen, "0")}
	}
	if e.Destination != "" {
		j.DestinationLs = []jsonDest{{Type: "location", ID: SGLNURI(e.Destination, DefaultCompanyPrefixLen, "0")}}
	}
	for _, b := range e.BizTransactions {
		j.BizTxList = append(j.BizTxList, jsonBizTx(b))
	}
	return j
}

// EncodeEvents returns an EPCISDocument holding the events, created at
// created, ready to publish on sillage/v1/sites/{site}/epcis.
func EncodeEvents(created time.Time, events ...ObjectEvent) ([]byte, error) {
	list := make([]jsonEvent, len(events))
	for i, e := range events {
		list[i] = e.json()
	}
	doc := struct {
		Context       []string `json:"@context"`
		Type          string   `json:"type"`
		SchemaVersion string   `json:"schemaVersion"`
		CreationDate  string   `json:"creationDate"`
		Body          struct {
			EventList []jsonEvent `json:"eventList"`
		} `json:"epcisBody"`
	}{Context: epcisContext, Type: "EPCISDocument", SchemaVersion: "2.0", CreationDate: created.UTC().Format(time.RFC3339Nano)}
	doc.Body.EventList = list
	return json.Marshal(doc)
}

// EncodeEvent returns one event as a single-event message (with its
// @context, as the schema requires).
func EncodeEvent(e ObjectEvent) ([]byte, error) {
	return json.Marshal(struct {
		Context []string `json:"@context"`
		jsonEvent
	}{epcisContext, e.json()})
}
