package epcis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot/epc"
)

// MaxMessageBytes is the largest message Decode accepts (8 MiB).
const MaxMessageBytes = 8 << 20

// ErrSchema marks a message that the EPCIS 2.0 JSON Schema rejects. It
// wraps sillage.ErrInvalid.
var ErrSchema = fmt.Errorf("%w: EPCIS schema", sillage.ErrInvalid)

// Action is the action of an event: what it says about the objects' life.
type Action string

// Actions of EPCIS events.
const (
	ActionAdd     Action = "ADD"     // the objects come into being or into the event's context
	ActionObserve Action = "OBSERVE" // the objects are seen, nothing changes about their existence
	ActionDelete  Action = "DELETE"  // the objects cease to exist or leave the context
)

// Quantity is one entry of a quantity list: an amount of a product class.
type Quantity struct {
	Class epc.Class
	// Quantity is the amount in UOM, or a count of units when UOM is
	// empty. It is finite and not negative.
	Quantity float64
	// Known is false when the entry gave no quantity (the schema allows
	// it); Quantity is then 0 and means "unknown".
	Known bool
	UOM   string // UN/CEFACT Rec 20 unit code, "" for a count of units
}

// Party is one entry of a source or destination list.
type Party struct {
	Type string // CBV 2.0 short form: "location", "owning_party", "possessing_party", or a URI
	ID   string // as given
	// Location is the decoded SGLN or Digital Link location of ID, nil
	// when ID is not a location (a PGLN, for example).
	Location *epc.Location
}

// BizTransaction is one entry of a bizTransactionList.
type BizTransaction struct {
	Type string // CBV 2.0 short form ("po", "desadv", ...) or a URI; may be empty
	ID   string // the transaction's URI
}

// Event is one EPCIS event with its identifiers decoded.
type Event struct {
	Type string // ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent or an extension type
	ID   string // eventID, "" when absent
	// Time is eventTime as an instant; compare with Time.Before, which
	// takes each value's offset into account.
	Time           time.Time
	TimeZoneOffset string // eventTimeZoneOffset as given, e.g. "+02:00"
	Action         Action // "" for TransformationEvent
	BizStep        string // CBV 2.0 short form when a CBV value ("receiving"), else the URI; "" when absent
	Disposition    string // CBV 2.0 short form when a CBV value ("in_transit"), else the URI; "" when absent
	// ReadPoint and BizLocation are the decoded SGLN or Digital Link
	// locations; nil when absent or given as a geo: URI.
	ReadPoint   *epc.Location
	BizLocation *epc.Location
	// ReadPointGeo and BizLocationGeo are the points of a readPoint or
	// bizLocation given as a geo: URI (RFC 5870); nil otherwise.
	ReadPointGeo   *epc.Geo
	BizLocationGeo *epc.Geo
	// EPCs are the serialised trade items the event is about: epcList,
	// childEPCs, or outputEPCList of a TransformationEvent.
	EPCs []epc.Item
	// Quantities are the class-level quantities: quantityList,
	// childQuantityList or outputQuantityList.
	Quantities []Quantity
	// InputEPCs and InputQuantities are the inputs of a
	// TransformationEvent, consumed by it.
	InputEPCs       []epc.Item
	InputQuantities []Quantity
	Sources         []Party
	Destinations    []Party
	BizTransactions []BizTransaction
	// Others are the identifiers of the EPC and class lists that are not
	// trade items (SSCC, GRAI, GIAI, GDTI, ...), in the order found.
	Others []Other
	// ParentID is the parentID of an AggregationEvent, TransactionEvent
	// or AssociationEvent as given (a pallet's SSCC, an asset's GIAI),
	// "" when absent; stock does not use it.
	ParentID string
	// src is the event's JSON object as decoded, for Document.EventJSON.
	src map[string]any
}

// Other is an identifier of an EPC or class list that is not a trade item
// or a trade item class: a logistic unit (SSCC), a returnable or
// individual asset (GRAI, GIAI), a document (GDTI), a location (SGLN), ...
// Stock does not track these. One that is malformed (a bad check digit, a
// wrong length) is kept here with its error rather than rejecting the
// message: it names nothing stock depends on.
type Other struct {
	ID   string // as given
	Path string // where in the message, e.g. eventList[0].epcList[2]
	// Scheme is the scheme the identifier claims by its form, also when
	// it is malformed; "" when not even that is known.
	Scheme epc.Scheme
	Key    epc.Key // the decoded key, when Err is nil
	Err    error   // why the identifier does not decode, nil when it does
}

// Document is a decoded message: the events of an EPCIS document, or the
// one event of a single-event message.
type Document struct {
	Single bool // the message was one event, not a document
	Events []Event
	// context is the document's @context, for Document.EventJSON.
	context any
}

// Decode validates data against the EPCIS 2.0 JSON Schema and decodes
// every event in it. The error wraps ErrSchema when the schema rejects the
// message and sillage.ErrInvalid for any other bad input (an identifier
// that does not decode, an unparsable time); its text says where, for
// example `eventList[2].epcList[7]: SGTIN "urn:epc:id:sgtin:...": ...`.
//
// Most messages take a fast path with the same result: parseFast reads
// the JSON, and the schema's verdict comes from a cache of the verdicts
// of documents of the same shape (see skeletonCache).
func Decode(data []byte) (*Document, error) {
	return decodeWith(data, parseFast, skeletons().validate)
}

// decodeWith is Decode with parse (ok false: use the generic decoder) and
// validate.
func decodeWith(data []byte, parse func([]byte) (any, bool), validate func(*jsonschema.Schema, any) error) (*Document, error) {
	if len(data) > MaxMessageBytes {
		return nil, fmt.Errorf("%w: message of %d bytes exceeds %d", sillage.ErrInvalid, len(data), MaxMessageBytes)
	}
	sch, err := Schema()
	if err != nil {
		return nil, err
	}
	v, ok := parse(data)
	if !ok {
		if v, err = jsonschema.UnmarshalJSON(bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("%w: not JSON: %v", sillage.ErrInvalid, err)
		}
	}
	root, isObj := v.(map[string]any)
	restore := func() {}
	if isObj {
		restore = condense(root)
	}
	err = validate(sch, v)
	restore()
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrSchema, schemaReason(err))
	}
	if !isObj {
		return nil, fmt.Errorf("%w: message is not a JSON object", sillage.ErrInvalid)
	}
	typ, _ := root["type"].(string)
	var list []any
	doc := &Document{context: root["@context"]}
	switch typ {
	case "EPCISDocument":
		list = arr(obj(root["epcisBody"])["eventList"])
	case "EPCISQueryDocument":
		qr := obj(obj(root["epcisBody"])["queryResults"])
		list = arr(obj(qr["resultsBody"])["eventList"])
	default:
		doc.Single = true
		list = []any{root}
	}
	doc.Events = make([]Event, 0, len(list))
	for i, x := range list {
		path := "event"
		if !doc.Single {
			path = "eventList[" + strconv.Itoa(i) + "]"
		}
		m, ok := x.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%w: %s: not an object", sillage.ErrInvalid, path)
		}
		ev, err := decodeEvent(m, path)
		if err != nil {
			return nil, err
		}
		doc.Events = append(doc.Events, ev)
	}
	return doc, nil
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func arr(v any) []any          { a, _ := v.([]any); return a }

// str returns the string at key, "" when absent; an error when present
// with another type.
func str(m map[string]any, key, path string) (string, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%w: %s.%s: not a string", sillage.ErrInvalid, path, key)
	}
	return s, nil
}

// decodeEvent decodes one event object found at path.
func decodeEvent(m map[string]any, path string) (Event, error) {
	var ev Event
	var err error
	ev.Type, _ = m["type"].(string)
	if ev.Type == "" {
		return ev, fmt.Errorf("%w: %s: event without a type", sillage.ErrInvalid, path)
	}
	if ev.ID, err = str(m, "eventID", path); err != nil {
		return ev, err
	}
	ts, err := str(m, "eventTime", path)
	if err != nil {
		return ev, err
	}
	if ev.Time, err = time.Parse(time.RFC3339Nano, ts); err != nil {
		return ev, fmt.Errorf("%w: %s.eventTime %q: %v", sillage.ErrInvalid, path, ts, err)
	}
	if ev.TimeZoneOffset, err = str(m, "eventTimeZoneOffset", path); err != nil {
		return ev, err
	}
	a, err := str(m, "action", path)
	if err != nil {
		return ev, err
	}
	switch Action(a) {
	case ActionAdd, ActionObserve, ActionDelete:
		ev.Action = Action(a)
	case "":
		if ev.Type != "TransformationEvent" && knownType(ev.Type) {
			return ev, fmt.Errorf("%w: %s: %s without an action", sillage.ErrInvalid, path, ev.Type)
		}
	default:
		return ev, fmt.Errorf("%w: %s.action %q: must be ADD, OBSERVE or DELETE", sillage.ErrInvalid, path, a)
	}
	bs, err := str(m, "bizStep", path)
	if err != nil {
		return ev, err
	}
	ev.BizStep = ShortBizStep(bs)
	ds, err := str(m, "disposition", path)
	if err != nil {
		return ev, err
	}
	ev.Disposition = ShortDisposition(ds)
	if ev.ParentID, err = str(m, "parentID", path); err != nil {
		return ev, err
	}
	ev.src = m
	if ev.ReadPoint, ev.ReadPointGeo, err = location(m, "readPoint", path); err != nil {
		return ev, err
	}
	if ev.BizLocation, ev.BizLocationGeo, err = location(m, "bizLocation", path); err != nil {
		return ev, err
	}
	epcKey, qtyKey := "epcList", "quantityList"
	switch ev.Type {
	case "AggregationEvent", "AssociationEvent":
		epcKey, qtyKey = "childEPCs", "childQuantityList"
	case "TransformationEvent":
		epcKey, qtyKey = "outputEPCList", "outputQuantityList"
		if ev.InputEPCs, err = items(m, "inputEPCList", path, &ev.Others); err != nil {
			return ev, err
		}
		if ev.InputQuantities, err = quantities(m, "inputQuantityList", path, &ev.Others); err != nil {
			return ev, err
		}
	}
	if ev.EPCs, err = items(m, epcKey, path, &ev.Others); err != nil {
		return ev, err
	}
	if ev.Quantities, err = quantities(m, qtyKey, path, &ev.Others); err != nil {
		return ev, err
	}
	if ev.Sources, err = parties(m, "sourceList", "source", path); err != nil {
		return ev, err
	}
	if ev.Destinations, err = parties(m, "destinationList", "destination", path); err != nil {
		return ev, err
	}
	for i, x := range arr(m["bizTransactionList"]) {
		bm := obj(x)
		p := fmt.Sprintf("%s.bizTransactionList[%d]", path, i)
		t, err := str(bm, "type", p)
		if err != nil {
			return ev, err
		}
		id, err := str(bm, "bizTransaction", p)
		if err != nil {
			return ev, err
		}
		ev.BizTransactions = append(ev.BizTransactions, BizTransaction{Type: shortCBV(t, "BTT-"), ID: id})
	}
	return ev, nil
}

func knownType(t string) bool {
	switch t {
	case "ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent":
		return true
	}
	return false
}

// location decodes m[key].id as a location (SGLN or Digital Link) or a
// geo: URI; both nil when absent.
func location(m map[string]any, key, path string) (*epc.Location, *epc.Geo, error) {
	o, ok := m[key]
	if !ok {
		return nil, nil, nil
	}
	id, err := str(obj(o), "id", path+"."+key)
	if err != nil {
		return nil, nil, err
	}
	if isGeo(id) {
		g, err := epc.ParseGeo(id)
		if err != nil {
			return nil, nil, fmt.Errorf("%s.%s: %w", path, key, err)
		}
		return nil, &g, nil
	}
	loc, err := epc.ParseLocation(id)
	if err != nil {
		return nil, nil, fmt.Errorf("%s.%s: %w", path, key, err)
	}
	return &loc, nil, nil
}

func isGeo(s string) bool { return len(s) >= 4 && strings.EqualFold(s[:4], "geo:") }

// other classifies an identifier at path that did not decode as a trade
// item or trade item class, with error err. It returns the Other when the
// identifier is of another scheme, decoded or malformed (see Other), or
// the error that rejects the message: a bad trade item, an unknown scheme,
// no identifier at all.
func other(s, path string, err error) (Other, error) {
	o := Other{ID: s, Path: path, Scheme: epc.SchemeOf(s)}
	tracked := o.Scheme == epc.SGTIN || o.Scheme == epc.LGTIN
	k, kerr := epc.ParseKey(s)
	switch {
	case kerr == nil && k.Scheme != epc.SGTIN && k.Scheme != epc.LGTIN:
		o.Scheme, o.Key = k.Scheme, k
		return o, nil
	case kerr != nil && o.Scheme != "" && !tracked:
		o.Err = kerr
		return o, nil
	case errors.Is(kerr, epc.ErrUnsupported):
		o.Err = kerr // a binary tag of another scheme, a pattern with several stars
		return o, nil
	case errors.Is(err, epc.ErrUnsupported) && kerr != nil:
		return Other{}, fmt.Errorf("%s: %w", path, kerr)
	}
	return Other{}, fmt.Errorf("%s: %w", path, err)
}

// items decodes the list of EPCs at m[key]. Identifiers of schemes other
// than SGTIN are appended to others.
func items(m map[string]any, key, path string, others *[]Other) ([]epc.Item, error) {
	list := arr(m[key])
	if len(list) == 0 {
		return nil, nil
	}
	out := make([]epc.Item, 0, len(list))
	var parser epc.ItemParser
	for i, x := range list {
		s, ok := x.(string)
		if !ok {
			return nil, fmt.Errorf("%w: %s.%s[%d]: not a string", sillage.ErrInvalid, path, key, i)
		}
		it, err := parser.Parse(s)
		if err != nil {
			o, err := other(s, path+"."+key+"["+strconv.Itoa(i)+"]", err)
			if err != nil {
				return nil, err
			}
			*others = append(*others, o)
			continue
		}
		out = append(out, it)
	}
	return out, nil
}

// quantities decodes the quantity list at m[key].
func quantities(m map[string]any, key, path string, others *[]Other) ([]Quantity, error) {
	list := arr(m[key])
	if len(list) == 0 {
		return nil, nil
	}
	out := make([]Quantity, 0, len(list))
	for i, x := range list {
		p := fmt.Sprintf("%s.%s[%d]", path, key, i)
		qm := obj(x)
		cs, err := str(qm, "epcClass", p)
		if err != nil {
			return nil, err
		}
		c, err := epc.ParseClass(cs)
		if err != nil {
			o, err := other(cs, p+".epcClass", err)
			if err != nil {
				return nil, err
			}
			*others = append(*others, o)
			continue
		}
		q := Quantity{Class: c}
		if q.UOM, err = str(qm, "uom", p); err != nil {
			return nil, err
		}
		if v, ok := qm["quantity"]; ok {
			n, ok := v.(json.Number)
			if !ok {
				return nil, fmt.Errorf("%w: %s.quantity: not a number", sillage.ErrInvalid, p)
			}
			f, err := strconv.ParseFloat(string(n), 64)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f < 0 {
				return nil, fmt.Errorf("%w: %s.quantity %s: must be a finite number, not negative", sillage.ErrInvalid, p, n)
			}
			q.Quantity, q.Known = f, true
		}
		out = append(out, q)
	}
	return out, nil
}

// parties decodes a source or destination list.
func parties(m map[string]any, key, idKey, path string) ([]Party, error) {
	var out []Party
	for i, x := range arr(m[key]) {
		p := fmt.Sprintf("%s.%s[%d]", path, key, i)
		pm := obj(x)
		t, err := str(pm, "type", p)
		if err != nil {
			return nil, err
		}
		id, err := str(pm, idKey, p)
		if err != nil {
			return nil, err
		}
		party := Party{Type: shortCBV(t, "SDT-"), ID: id}
		if loc, err := epc.ParseLocation(id); err == nil {
			party.Location = &loc
		} else if party.Type == "location" && !errors.Is(err, epc.ErrUnsupported) && !isGeo(id) {
			return nil, fmt.Errorf("%s.%s: %w", p, idKey, err)
		}
		out = append(out, party)
	}
	return out, nil
}

// ShortBizStep returns the CBV 2.0 short form of a bizStep given in short
// form, as a CBV 2.0 web URI (https://ref.gs1.org/cbv/BizStep-receiving)
// or as an EPCIS 1.x URN (urn:epcglobal:cbv:bizstep:receiving). Other
// values are returned unchanged.
func ShortBizStep(s string) string {
	if r, ok := strings.CutPrefix(s, "urn:epcglobal:cbv:bizstep:"); ok {
		return r
	}
	return shortCBV(s, "BizStep-")
}

// ShortDisposition is ShortBizStep for dispositions
// (https://ref.gs1.org/cbv/Disp-in_transit, urn:epcglobal:cbv:disp:in_transit).
func ShortDisposition(s string) string {
	if r, ok := strings.CutPrefix(s, "urn:epcglobal:cbv:disp:"); ok {
		return r
	}
	return shortCBV(s, "Disp-")
}

// shortCBV strips the CBV 2.0 web URI prefix https://ref.gs1.org/cbv/ and
// the vocabulary prefix (e.g. "BTT-") from s.
func shortCBV(s, vocab string) string {
	for _, base := range []string{"https://ref.gs1.org/cbv/", "http://ref.gs1.org/cbv/", "urn:epcglobal:cbv:"} {
		if r, ok := strings.CutPrefix(s, base); ok {
			if r2, ok := strings.CutPrefix(r, vocab); ok {
				return r2
			}
			// EPCIS 1.x URNs: urn:epcglobal:cbv:btt:po, urn:epcglobal:cbv:sdt:location.
			if i := strings.LastIndexByte(r, ':'); i >= 0 && base == "urn:epcglobal:cbv:" {
				return r[i+1:]
			}
		}
	}
	return s
}
