package clp

/*
#include <stdlib.h>
#include "warm.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// MaxNameLength is the longest row or column name SetNames accepts, in
// bytes. CLP 1.17's MPS writer (CoinMpsIO) copies each row name into a
// buffer of 100 bytes, and overruns it with a longer one.
const MaxNameLength = 99

// SetNames gives the rows and columns names (one per row, one per column,
// in order) that WriteMPS writes instead of CLP's generic R0000000 and
// C0000000, as ReadMPS keeps the names of the file it reads. Each name
// must be a valid MPS token: 1 to MaxNameLength bytes of printable ASCII
// without spaces, not starting with '$' or '*' (comment markers of some
// readers); row names must differ from each other and from "OBJROW" (the
// objective's row), and column names from each other. Otherwise it
// returns an error wrapping ErrInvalid and leaves the names as they were.
// Names change nothing else: not the problem, not the basis, not the
// speed of a solve. It takes O(total length of the names) time.
func (m *Model) SetNames(rows, cols []string) error {
	if m.Closed() {
		return ErrClosed
	}
	defer runtime.KeepAlive(m)
	nr, nc := m.NumRows(), m.NumCols()
	if len(rows) != nr || len(cols) != nc {
		return fmt.Errorf("%w: %d row names and %d column names for %d rows and %d columns", ErrInvalid, len(rows), len(cols), nr, nc)
	}
	total := 0
	if err := checkNames("row", rows, &total, "OBJROW"); err != nil {
		return err
	}
	if err := checkNames("column", cols, &total, ""); err != nil {
		return err
	}
	// One C block holds every name, NUL-terminated, and one the pointers:
	// the rows' then the columns'.
	buf := (*C.char)(C.malloc(C.size_t(total + 1)))
	defer C.free(unsafe.Pointer(buf))
	ptrs := (**C.char)(C.malloc(C.size_t(nr+nc+1) * C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	defer C.free(unsafe.Pointer(ptrs))
	bytes := unsafe.Slice((*byte)(unsafe.Pointer(buf)), total+1)
	ps := unsafe.Slice(ptrs, nr+nc+1)
	at := 0
	put := func(k int, name string) {
		ps[k] = (*C.char)(unsafe.Pointer(&bytes[at]))
		at += copy(bytes[at:], name)
		bytes[at] = 0
		at++
	}
	for i, name := range rows {
		put(i, name)
	}
	for j, name := range cols {
		put(nr+j, name)
	}
	C.Clp_copyNames(m.p, &ps[0], &ps[nr])
	return nil
}

// checkNames checks the names of one kind (see SetNames) and adds their
// lengths plus one NUL each to total. reserved, when not empty, is a name
// they must not take.
func checkNames(kind string, names []string, total *int, reserved string) error {
	seen := make(map[string]int, len(names))
	for i, s := range names {
		if len(s) == 0 || len(s) > MaxNameLength {
			return fmt.Errorf("%w: %s name %d has %d bytes, want 1 to %d", ErrInvalid, kind, i, len(s), MaxNameLength)
		}
		for k := 0; k < len(s); k++ {
			if c := s[k]; c <= ' ' || c > '~' {
				return fmt.Errorf("%w: %s name %d %q: byte %d (%q) is not printable ASCII other than a space", ErrInvalid, kind, i, s, k, c)
			}
		}
		if s[0] == '$' || s[0] == '*' {
			return fmt.Errorf("%w: %s name %d %q starts with %q, a comment marker in MPS files", ErrInvalid, kind, i, s, s[0])
		}
		if s == reserved {
			return fmt.Errorf("%w: %s name %d is %q, the name of the objective", ErrInvalid, kind, i, s)
		}
		if j, dup := seen[s]; dup {
			return fmt.Errorf("%w: %s names %d and %d are both %q", ErrInvalid, kind, j, i, s)
		}
		seen[s] = i
		*total += len(s) + 1
	}
	return nil
}

// DropNames forgets the row and column names: WriteMPS then writes CLP's
// generic ones.
func (m *Model) DropNames() {
	if m.Closed() {
		return
	}
	defer runtime.KeepAlive(m)
	C.Clp_dropNames(m.p)
}

// RowName returns the name WriteMPS gives row i: the one set by SetNames
// or read by ReadMPS, else CLP's generic R0000000 form. It returns "" for
// an index out of range or after Close.
func (m *Model) RowName(i int) string {
	if m.Closed() || i < 0 || i >= m.NumRows() {
		return ""
	}
	defer runtime.KeepAlive(m)
	return readName(func(buf *C.char, size C.int) C.int { return C.sillage_clp_row_name(m.p, C.int(i), buf, size) })
}

// ColumnName returns the name WriteMPS gives column j (see RowName).
func (m *Model) ColumnName(j int) string {
	if m.Closed() || j < 0 || j >= m.NumCols() {
		return ""
	}
	defer runtime.KeepAlive(m)
	return readName(func(buf *C.char, size C.int) C.int { return C.sillage_clp_column_name(m.p, C.int(j), buf, size) })
}

// readName reads a name with one of the shim's name getters, which copy
// as much of it as fits and return its length.
func readName(get func(buf *C.char, size C.int) C.int) string {
	var small [64]C.char
	n := get(&small[0], C.int(len(small)))
	switch {
	case n < 0:
		return ""
	case int(n) < len(small):
		return C.GoStringN(&small[0], n)
	}
	buf := make([]C.char, int(n)+1)
	get(&buf[0], C.int(len(buf)))
	return C.GoStringN(&buf[0], n)
}
