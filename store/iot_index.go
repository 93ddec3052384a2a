package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"sync"
	"time"

	"github.com/sillage/sillage"
)

// The item index: the state of every serialised item (EPC) of a network,
// held in memory by the store that ingests it (see iot_log.go for how it is
// kept in step with the database).
//
// An item whose GTIN is 14 digits and whose serial is a decimal number
// without leading zeros of at most 19 digits (the usual case: SGTIN-96
// serials are numbers below 2^38) is keyed by two integers, in itemTable;
// any other item by its key string, in a map. A value is 16 bytes without
// pointers: its event time in Unix nanoseconds, its sku and its site as
// numbers into the index's name table, and its status. So the table holds
// no pointers and the garbage collector does not scan it: a 32-byte slot
// per item, at a load between 40% and 81%, 32 to 64 MB for a million
// items.

// itemKey is the packed key of an item with a numeric serial.
type itemKey struct {
	gtin   uint64 // the GTIN-14 as a number
	serial uint64 // the serial as a number
}

// itemVal is the packed state of an item.
type itemVal struct {
	timeNS int64  // eventTime of the last event applied, Unix nanoseconds
	sku    uint32 // index into itemIndex.names
	site   uint32 // index into itemIndex.names << 2 | status code
}

// Status codes of itemVal.
const (
	codePresent   = 1
	codeInTransit = 2
	codeGone      = 3
)

func statusCode(s sillage.ItemStatus) (uint32, bool) {
	switch s {
	case sillage.ItemPresent:
		return codePresent, true
	case sillage.ItemInTransit:
		return codeInTransit, true
	case sillage.ItemGone:
		return codeGone, true
	}
	return 0, false
}

var codeStatus = [4]sillage.ItemStatus{"", sillage.ItemPresent, sillage.ItemInTransit, sillage.ItemGone}

// maxNames bounds the name table: site ids are stored in 30 bits.
const maxNames = 1 << 30

// packKey returns the packed key of an item, or ok false when it does not
// pack. It takes strings and column bytes alike.
func packKey[T ~string | ~[]byte](gtin, serial T) (itemKey, bool) {
	if len(gtin) != 14 || len(serial) == 0 || len(serial) > 19 || (serial[0] == '0' && len(serial) > 1) {
		return itemKey{}, false
	}
	var g, s uint64
	for i := 0; i < 14; i++ {
		c := gtin[i] - '0'
		if c > 9 {
			return itemKey{}, false
		}
		g = g*10 + uint64(c)
	}
	for i := 0; i < len(serial); i++ {
		c := serial[i] - '0'
		if c > 9 {
			return itemKey{}, false
		}
		s = s*10 + uint64(c) // 19 digits stay below 2^64
	}
	return itemKey{gtin: g, serial: s}, true
}

// keyString renders a packed key as sillage.ItemKey.String does.
func (k itemKey) String() string {
	var b [14 + 1 + 20]byte
	n := len(b)
	s := k.serial
	for {
		n--
		b[n] = byte('0' + s%10)
		s /= 10
		if s == 0 {
			break
		}
	}
	n--
	b[n] = '.'
	g := k.gtin
	for i := 0; i < 14; i++ {
		n--
		b[n] = byte('0' + g%10)
		g /= 10
	}
	return string(b[n:])
}

// itemIndex is the item states of one network. Its mutex is held by a
// transaction of the network from its start to its end, so that one
// transaction at a time reads and changes it.
type itemIndex struct {
	mu      sync.Mutex
	network string

	loaded bool
	seq    int64 // the last log sequence the index reflects

	items itemTable
	other map[string]itemVal // keys that do not pack, as "GTIN.serial"

	names    []string // sites and skus
	nameIDs  map[string]uint32
	lastSKU  string // the sku and site pack interned last, and their numbers
	lastID   uint32
	lastSite string
	lastSID  uint32
	lastOK   bool // lastSKU and lastSite are set

	// The changes of the open transaction: undo to roll back, and the
	// entries of its log record.
	undo    []undoEntry
	changes []logEntry
	record  []byte // buffer of the log record

	sink uint64 // keeps prefetch's loads from being optimised away

	// last is the item get looked up last, so that set of the same item
	// (the usual sequence) neither parses its key nor looks it up again.
	last lastItem
}

// lastItem caches the last item looked up.
type lastItem struct {
	valid  bool
	key    sillage.ItemKey
	packed bool
	pk     itemKey
	ref    slotRef // of pk in items
	str    string
	val    itemVal
	exists bool
}

// undoEntry restores one item when a transaction rolls back.
type undoEntry struct {
	key    itemKey
	str    string // non-empty: a key of other
	old    itemVal
	exists bool
}

// logEntry is one item state of a log record, with names resolved against
// the index's name table.
type logEntry struct {
	key itemKey
	str string // non-empty: a key that does not pack
	val itemVal
}

func newItemIndex(network string) *itemIndex {
	return &itemIndex{network: network, other: map[string]itemVal{}, nameIDs: map[string]uint32{}}
}

// reset empties the index before a full load.
func (x *itemIndex) reset() {
	x.loaded, x.seq = false, 0
	x.items = itemTable{}
	x.other = map[string]itemVal{}
	x.undo, x.changes = x.undo[:0], x.changes[:0]
	x.last = lastItem{}
}

// nameID interns a site or sku name.
func (x *itemIndex) nameID(s string) (uint32, error) {
	if id, ok := x.nameIDs[s]; ok {
		return id, nil
	}
	if len(x.names) >= maxNames {
		return 0, fmt.Errorf("item index of network %q: more than %d site and sku names", x.network, maxNames)
	}
	id := uint32(len(x.names))
	x.names = append(x.names, s)
	x.nameIDs[s] = id
	return id, nil
}

// Len returns the number of items in the index.
func (x *itemIndex) Len() int { return x.items.Len() + len(x.other) }

// get returns the state of k.
func (x *itemIndex) get(k sillage.ItemKey) (itemVal, bool) {
	x.find(k)
	return x.last.val, x.last.exists
}

// find looks k up into x.last.
func (x *itemIndex) find(k sillage.ItemKey) {
	if x.last.valid && x.last.key == k {
		return
	}
	l := lastItem{valid: true, key: k}
	if l.pk, l.packed = packKey(k.GTIN, k.Serial); l.packed {
		l.ref, l.exists = x.items.lookup(l.pk)
		if l.exists {
			l.val = x.items.value(l.ref)
		}
	} else {
		l.str = k.String()
		l.val, l.exists = x.other[l.str]
	}
	x.last = l
}

// prefetch reads the home slot of every key, in a loop whose loads do not
// depend on each other, so that the CPU overlaps their cache misses; the
// lookups that follow then find the slots in the cache.
func (x *itemIndex) prefetch(keys []sillage.ItemKey) {
	var sum uint64
	for _, k := range keys {
		if pk, ok := packKey(k.GTIN, k.Serial); ok {
			sum += x.items.touch(pk)
		}
	}
	x.sink += sum
}

// state renders a packed value.
func (x *itemIndex) state(k sillage.ItemKey, v itemVal) sillage.ItemState {
	return sillage.ItemState{Key: k, SKU: x.names[v.sku], Site: x.names[v.site>>2], Status: codeStatus[v.site&3],
		EventTime: time.Unix(0, v.timeNS).UTC()}
}

// pack packs a state.
func (x *itemIndex) pack(st sillage.ItemState) (itemVal, error) {
	code, ok := statusCode(st.Status)
	if !ok {
		return itemVal{}, fmt.Errorf("item %s: unknown status %q", st.Key, st.Status)
	}
	sku, err := x.lastNameID(st.SKU, &x.lastSKU, &x.lastID)
	if err != nil {
		return itemVal{}, err
	}
	site, err := x.lastNameID(st.Site, &x.lastSite, &x.lastSID)
	if err != nil {
		return itemVal{}, err
	}
	x.lastOK = true
	return itemVal{timeNS: st.EventTime.UnixNano(), sku: sku, site: site<<2 | code}, nil
}

// lastNameID returns the id of name, taken from the cache *last, *lastID
// when name is the name last packed there, else from nameID and then
// cached.
func (x *itemIndex) lastNameID(name string, last *string, lastID *uint32) (uint32, error) {
	if x.lastOK && name == *last {
		return *lastID, nil
	}
	id, err := x.nameID(name)
	if err != nil {
		return 0, err
	}
	*last, *lastID = name, id
	return id, nil
}

// set changes one item inside the open transaction: the change is undone
// by rollback and written to the log by commit.
func (x *itemIndex) set(st sillage.ItemState) error {
	v, err := x.pack(st)
	if err != nil {
		return err
	}
	x.find(st.Key)
	l := &x.last
	if l.packed {
		x.undo = append(x.undo, undoEntry{key: l.pk, old: l.val, exists: l.exists})
		x.changes = append(x.changes, logEntry{key: l.pk, val: v})
		if l.exists {
			x.items.setValue(l.ref, v)
		} else if x.items.insertAt(l.ref, l.pk, v) {
			l.ref, _ = x.items.lookup(l.pk) // the shard grew
		}
	} else {
		x.other[l.str] = v
		x.undo = append(x.undo, undoEntry{str: l.str, old: l.val, exists: l.exists})
		x.changes = append(x.changes, logEntry{str: l.str, val: v})
	}
	l.val, l.exists = v, true
	return nil
}

// rollback undoes the changes of the open transaction, newest first.
func (x *itemIndex) rollback() {
	for i := len(x.undo) - 1; i >= 0; i-- {
		u := x.undo[i]
		switch {
		case u.str != "" && u.exists:
			x.other[u.str] = u.old
		case u.str != "":
			delete(x.other, u.str)
		case u.exists:
			x.items.put(u.key, u.old)
		default:
			x.items.delete(u.key)
		}
	}
	x.forget()
}

// forget drops the undo and log entries of the transaction that ended.
func (x *itemIndex) forget() {
	x.last = lastItem{}
	if cap(x.undo) > 1<<20 { // do not keep a huge batch's memory for ever
		x.undo, x.changes = nil, nil
		return
	}
	x.undo, x.changes = x.undo[:0], x.changes[:0]
}

// put sets one item outside of a transaction: loading and replaying.
func (x *itemIndex) put(e logEntry) {
	x.last.valid = false
	if e.str != "" {
		x.other[e.str] = e.val
		return
	}
	x.items.put(e.key, e.val)
}

// ErrItemLogDamaged marks a record of the item log that cannot be decoded:
// the store will not guess the item states it held. The error names the
// network and the sequence of the record.
var ErrItemLogDamaged = errors.New("damaged item log record")

// Log records (iot_item_log.items) are encoded as follows, integers as
// unsigned varints unless said otherwise:
//
//	version           one byte, 1
//	names             count, then each: length, bytes (the sites and skus of the record)
//	entries           count, then each:
//	  kind, status    one byte: kind << 2 | status; kind 0 packed key, 1 key string;
//	                  status 1 present, 2 in transit, 3 gone
//	  key             packed: GTIN and serial, each as a signed varint of the
//	                  difference with the previous packed key's (0 before the first),
//	                  so that consecutive serials take one byte;
//	                  string: length, bytes ("GTIN.serial")
//	  sku, site       indexes into names
//	  event time      signed varint: Unix nanoseconds minus those of the previous entry (0 before the first)
//	checksum          CRC-32 (IEEE) of everything before it, 4 bytes little endian
const logVersion = 1

// encodeLog encodes entries whose names index names.
func encodeLog(entries []logEntry, names []string, buf []byte) []byte {
	// The record's own name table: only the names it uses.
	local := make(map[uint32]uint64, 16)
	var used []uint32
	lookup := func(id uint32) uint64 {
		if l, ok := local[id]; ok {
			return l
		}
		l := uint64(len(used))
		local[id] = l
		used = append(used, id)
		return l
	}
	// First pass: number the names in order of first use.
	for _, e := range entries {
		lookup(e.val.sku)
		lookup(e.val.site >> 2)
	}
	b := append(buf[:0], logVersion)
	b = binary.AppendUvarint(b, uint64(len(used)))
	for _, id := range used {
		b = binary.AppendUvarint(b, uint64(len(names[id])))
		b = append(b, names[id]...)
	}
	b = binary.AppendUvarint(b, uint64(len(entries)))
	var prev int64
	var prevKey itemKey
	for _, e := range entries {
		if e.str == "" {
			b = append(b, byte(e.val.site&3))
			b = binary.AppendVarint(b, int64(e.key.gtin-prevKey.gtin))
			b = binary.AppendVarint(b, int64(e.key.serial-prevKey.serial))
			prevKey = e.key
		} else {
			b = append(b, 1<<2|byte(e.val.site&3))
			b = binary.AppendUvarint(b, uint64(len(e.str)))
			b = append(b, e.str...)
		}
		b = binary.AppendUvarint(b, local[e.val.sku])
		b = binary.AppendUvarint(b, local[e.val.site>>2])
		b = binary.AppendVarint(b, e.val.timeNS-prev)
		prev = e.val.timeNS
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// logReader decodes a record; errors say what is wrong, the caller adds
// where.
type logReader struct {
	b   []byte
	err error
}

func (r *logReader) uvarint(what string) uint64 { return readVarint(r, what, binary.Uvarint) }

func (r *logReader) varint(what string) int64 { return readVarint(r, what, binary.Varint) }

// readVarint reads a number from r with decode (binary.Uvarint or
// binary.Varint); what names the number in the error.
func readVarint[T uint64 | int64](r *logReader, what string, decode func([]byte) (T, int)) T {
	if r.err != nil {
		return 0
	}
	v, n := decode(r.b)
	if n <= 0 {
		r.err = fmt.Errorf("%w: bad %s", ErrItemLogDamaged, what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *logReader) byte(what string) byte {
	if r.err != nil {
		return 0
	}
	if len(r.b) == 0 {
		r.err = fmt.Errorf("%w: truncated at %s", ErrItemLogDamaged, what)
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *logReader) bytes(n uint64, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)) {
		r.err = fmt.Errorf("%w: truncated at %s", ErrItemLogDamaged, what)
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

// decodeLog decodes a record and calls fn for each entry with its key
// (packed, or str non-empty), its sku and site names, its status code and
// its event time. The checksum is checked first; a record that passes it
// and still does not decode (written by a faulty program) may have called
// fn for some entries before the error, so callers drop what they did
// with them (the fold's transaction rolls back, syncIndex empties the
// index).
func decodeLog(rec []byte, fn func(key itemKey, str, sku, site string, status uint32, timeNS int64) error) (int, error) {
	if len(rec) < 5 {
		return 0, fmt.Errorf("%w: %d bytes", ErrItemLogDamaged, len(rec))
	}
	body, sum := rec[:len(rec)-4], binary.LittleEndian.Uint32(rec[len(rec)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return 0, fmt.Errorf("%w: checksum mismatch", ErrItemLogDamaged)
	}
	if body[0] != logVersion {
		return 0, fmt.Errorf("%w: unknown version %d", ErrItemLogDamaged, body[0])
	}
	r := &logReader{b: body[1:]}
	nn := r.uvarint("name count")
	if nn > uint64(len(r.b)) {
		return 0, fmt.Errorf("%w: %d names in %d bytes", ErrItemLogDamaged, nn, len(r.b))
	}
	names := make([]string, 0, nn)
	for i := uint64(0); i < nn && r.err == nil; i++ {
		names = append(names, string(r.bytes(r.uvarint("name length"), "name")))
	}
	ne := r.uvarint("entry count")
	if r.err == nil && ne > uint64(len(r.b)) {
		return 0, fmt.Errorf("%w: %d entries in %d bytes", ErrItemLogDamaged, ne, len(r.b))
	}
	var prev int64
	var prevKey itemKey
	for i := uint64(0); i < ne && r.err == nil; i++ {
		var key itemKey
		var str string
		head := r.byte("kind and status")
		status := head & 3
		switch kind := head >> 2; kind {
		case 0:
			key.gtin = prevKey.gtin + uint64(r.varint("GTIN"))
			key.serial = prevKey.serial + uint64(r.varint("serial"))
			prevKey = key
			if r.err == nil && key.gtin >= 1e14 {
				r.err = fmt.Errorf("%w: entry %d: GTIN %d has more than 14 digits", ErrItemLogDamaged, i, key.gtin)
			}
		case 1:
			str = string(r.bytes(r.uvarint("key length"), "key"))
			if r.err == nil && str == "" {
				r.err = fmt.Errorf("%w: entry %d: empty key", ErrItemLogDamaged, i)
			}
		default:
			if r.err == nil {
				r.err = fmt.Errorf("%w: entry %d: unknown key kind %d", ErrItemLogDamaged, i, kind)
			}
		}
		sku, site := r.uvarint("sku"), r.uvarint("site")
		prev += r.varint("event time")
		if r.err != nil {
			break
		}
		if sku >= nn || site >= nn {
			return 0, fmt.Errorf("%w: entry %d: name index out of range", ErrItemLogDamaged, i)
		}
		if status < codePresent || status > codeGone {
			return 0, fmt.Errorf("%w: entry %d: unknown status %d", ErrItemLogDamaged, i, status)
		}
		if err := fn(key, str, names[sku], names[site], uint32(status), prev); err != nil {
			return 0, err
		}
	}
	if r.err != nil {
		return 0, r.err
	}
	if len(r.b) != 0 {
		return 0, fmt.Errorf("%w: %d bytes after the last entry", ErrItemLogDamaged, len(r.b))
	}
	return int(ne), nil
}

// applyLog applies a decoded record to the index.
func (x *itemIndex) applyLog(rec []byte) (int, error) {
	return decodeLog(rec, func(key itemKey, str, sku, site string, status uint32, timeNS int64) error {
		skuID, err := x.nameID(sku)
		if err != nil {
			return err
		}
		siteID, err := x.nameID(site)
		if err != nil {
			return err
		}
		x.put(logEntry{key: key, str: str, val: itemVal{timeNS: timeNS, sku: skuID, site: siteID<<2 | status}})
		return nil
	})
}
