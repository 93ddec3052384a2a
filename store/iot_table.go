package store

// itemTable maps packed item keys to packed states: an open-addressing
// hash table with linear probing, split into tableShards shards that grow
// one at a time (so that growing never holds two copies of the whole
// table). A slot is 32 bytes without pointers. Compared with a Go map it
// finds a key and then sets it with one probe sequence (lookup returns
// the slot), which halves the cache misses of the ingest's read, decide,
// write sequence on a table of millions of items.
type itemTable struct {
	shards [tableShards]tableShard
	n      int
}

// tableShards is the number of shards (a power of two).
const tableShards = 64

// Load bounds: a shard grows when it would be more than 13/16 full.
const (
	tableLoadNum, tableLoadDen = 13, 16
	tableMinSlots              = 64
)

type tableShard struct {
	slots []tableSlot
	used  int
}

// tableSlot is one slot; gtin1 is the GTIN plus one, 0 for an empty slot.
type tableSlot struct {
	gtin1  uint64
	serial uint64
	val    itemVal
}

// slotRef names a slot found by lookup; it is valid until the next insert
// or delete.
type slotRef struct {
	shard, slot int
}

func hashKey(k itemKey) uint64 {
	h := k.gtin*0x9E3779B97F4A7C15 ^ k.serial*0xC2B2AE3D27D4EB4F
	h ^= h >> 29
	h *= 0xBF58476D1CE4E5B9
	h ^= h >> 32
	return h
}

// shardOf returns the shard of a hash: its top bits (the low bits pick
// the slot).
func shardOf(h uint64) int { return int(h >> (64 - 6)) } // 6 bits: 64 shards

// Len returns the number of keys.
func (t *itemTable) Len() int { return t.n }

// lookup finds k: found, its slot; not found, the empty slot where an
// insert would put it (none when the shard has no slots yet).
func (t *itemTable) lookup(k itemKey) (slotRef, bool) {
	h := hashKey(k)
	si := shardOf(h)
	s := &t.shards[si]
	if len(s.slots) == 0 {
		return slotRef{shard: si, slot: -1}, false
	}
	mask := uint64(len(s.slots) - 1)
	g1 := k.gtin + 1
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &s.slots[i]
		if sl.gtin1 == g1 && sl.serial == k.serial {
			return slotRef{shard: si, slot: int(i)}, true
		}
		if sl.gtin1 == 0 {
			return slotRef{shard: si, slot: int(i)}, false
		}
	}
}

// touch reads the home slot of k (see itemIndex.prefetch).
func (t *itemTable) touch(k itemKey) uint64 {
	h := hashKey(k)
	s := &t.shards[shardOf(h)]
	if len(s.slots) == 0 {
		return 0
	}
	return s.slots[h&uint64(len(s.slots)-1)].gtin1
}

// value returns the state in a found slot.
func (t *itemTable) value(r slotRef) itemVal { return t.shards[r.shard].slots[r.slot].val }

// setValue changes the state in a found slot.
func (t *itemTable) setValue(r slotRef, v itemVal) { t.shards[r.shard].slots[r.slot].val = v }

// insertAt inserts k, which lookup did not find and returned r for. It
// reports whether the shard grew (which invalidates every slotRef).
func (t *itemTable) insertAt(r slotRef, k itemKey, v itemVal) (grew bool) {
	s := &t.shards[r.shard]
	if r.slot < 0 || (s.used+1)*tableLoadDen > len(s.slots)*tableLoadNum {
		s.grow()
		t.n++
		s.used++
		s.place(k, v)
		return true
	}
	s.slots[r.slot] = tableSlot{gtin1: k.gtin + 1, serial: k.serial, val: v}
	s.used++
	t.n++
	return false
}

// get returns the state of k.
func (t *itemTable) get(k itemKey) (itemVal, bool) {
	r, ok := t.lookup(k)
	if !ok {
		return itemVal{}, false
	}
	return t.value(r), true
}

// put sets the state of k.
func (t *itemTable) put(k itemKey, v itemVal) {
	r, ok := t.lookup(k)
	if ok {
		t.setValue(r, v)
		return
	}
	t.insertAt(r, k, v)
}

// delete removes k, shifting the slots after it back so that every key
// stays reachable from its home slot.
func (t *itemTable) delete(k itemKey) {
	r, ok := t.lookup(k)
	if !ok {
		return
	}
	s := &t.shards[r.shard]
	mask := len(s.slots) - 1
	i := r.slot
	for {
		s.slots[i] = tableSlot{}
		j := i
		for {
			j = (j + 1) & mask
			if s.slots[j].gtin1 == 0 {
				s.used--
				t.n--
				return
			}
			home := int(hashKey(itemKey{gtin: s.slots[j].gtin1 - 1, serial: s.slots[j].serial})) & mask
			// The key at j may move to i unless its home lies cyclically
			// in (i, j].
			if i <= j {
				if i < home && home <= j {
					continue
				}
			} else if i < home || home <= j {
				continue
			}
			break
		}
		s.slots[i] = s.slots[j]
		i = j
	}
}

// each calls fn for every key and state, in no particular order.
func (t *itemTable) each(fn func(k itemKey, v itemVal)) {
	for si := range t.shards {
		for _, sl := range t.shards[si].slots {
			if sl.gtin1 != 0 {
				fn(itemKey{gtin: sl.gtin1 - 1, serial: sl.serial}, sl.val)
			}
		}
	}
}

// grow doubles the shard (or gives it its first slots) and re-places its
// keys.
func (s *tableShard) grow() {
	old := s.slots
	n := max(2*len(old), tableMinSlots)
	s.slots = make([]tableSlot, n)
	for _, sl := range old {
		if sl.gtin1 != 0 {
			s.place(itemKey{gtin: sl.gtin1 - 1, serial: sl.serial}, sl.val)
		}
	}
}

// place puts a key known to be absent into the first free slot of its
// probe sequence; the shard has room.
func (s *tableShard) place(k itemKey, v itemVal) {
	mask := uint64(len(s.slots) - 1)
	for i := hashKey(k) & mask; ; i = (i + 1) & mask {
		if s.slots[i].gtin1 == 0 {
			s.slots[i] = tableSlot{gtin1: k.gtin + 1, serial: k.serial, val: v}
			return
		}
	}
}
