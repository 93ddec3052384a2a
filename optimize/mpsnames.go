package optimize

import (
	"strconv"
	"strings"

	"github.com/sillage/sillage/optimize/clp"
)

// Readable names of the rows and columns of the model, for MPS exports
// (LP.WriteMPS). They are built only on export, never for a solve:
//
//	cover:SITE:SKU          coverage of a requirement
//	supply:SUPPLIER:SKU     supplier capacity
//	stock:DC:SKU            distribution centre stock
//	lane:FROM>TO:MODE       lane capacity, kg
//	storage:SITE            site storage capacity
//	ship:SOURCE>SITE:SKU    units shipped over a candidate path (the
//	                        second path of the same triple gets "#2", …)
//	short:SITE:SKU          units of need left short
//
// Every name is a valid MPS token for CLP and GLPK: bytes other than
// printable ASCII (spaces included) become '_', names are cut to fit
// clp.MaxNameLength, and a name already taken gets "#2", "#3", … .

// rowNames returns the names of the model's rows, in order.
func (m *model) rowNames() []string {
	n := m.net
	names := make([]string, len(m.rows))
	for i, r := range m.rows {
		switch r.kind {
		case rowCoverage:
			q := m.reqs[r.a]
			names[i] = "cover:" + q.Site + ":" + q.SKU
		case rowSupply:
			names[i] = "supply:" + n.Sites[r.a].ID + ":" + n.Products[r.b].SKU
		case rowStock:
			names[i] = "stock:" + n.Sites[r.a].ID + ":" + n.Products[r.b].SKU
		case rowLane:
			l := n.Lanes[r.a]
			names[i] = "lane:" + l.From + ">" + l.To + ":" + string(l.Mode)
		case rowStorage:
			names[i] = "storage:" + n.Sites[r.a].ID
		default:
			names[i] = "row" + strconv.Itoa(i)
		}
	}
	return uniqueNames(names)
}

// colNames returns the names of the model's columns, in order.
func (m *model) colNames() []string {
	n := m.net
	names := make([]string, len(m.colReq))
	for j, r := range m.colReq {
		q := &m.reqs[r]
		if m.colSrc[j] < 0 {
			names[j] = "short:" + q.Site + ":" + q.SKU
			continue
		}
		names[j] = "ship:" + n.Sites[m.colSrc[j]].ID + ">" + q.Site + ":" + q.SKU
	}
	return uniqueNames(names)
}

// uniqueNames makes names valid MPS tokens and unique, in place: see the
// comment at the top of the file.
func uniqueNames(names []string) []string {
	const room = 8 // for a "#n" suffix
	seen := make(map[string]int, len(names))
	for i, s := range names {
		s = mpsToken(s)
		if len(s) > clp.MaxNameLength-room {
			s = s[:clp.MaxNameLength-room]
		}
		if k, dup := seen[s]; dup {
			base := s
			for {
				k++
				s = base + "#" + strconv.Itoa(k)
				if _, taken := seen[s]; !taken {
					break
				}
			}
			seen[base] = k
		}
		seen[s] = 1
		names[i] = s
	}
	return names
}

// mpsToken replaces the bytes of s that cannot appear in an MPS name
// (anything but printable ASCII other than a space) with '_'.
func mpsToken(s string) string {
	ok := true
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c > '~' {
			b.WriteByte('_')
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}
