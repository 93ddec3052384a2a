package pact

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sillage/sillage"
)

// VersionStore keeps every version of every footprint (package store
// implements it).
type VersionStore interface {
	LatestPACTFootprint(ctx context.Context, lineage string) (sillage.PACTRecord, error)
	SavePACTFootprint(ctx context.Context, rec sillage.PACTRecord, replaced *sillage.PACTRecord) error
}

// Lineage returns the key under which the versions of pf are kept: the
// company, the sorted product ids and the start of the reference period.
func Lineage(pf ProductFootprint) string {
	ids := append([]string(nil), pf.ProductIDs...)
	sort.Strings(ids)
	return pf.CompanyName + "|" + strings.Join(ids, " ") + "|" + pf.PCF.ReferencePeriodStart.UTC().Format(time.RFC3339)
}

// Publish stores pf as the current footprint of its lineage and returns
// what was stored, and whether it is a new version:
//   - a lineage seen for the first time stores pf as version 1 (its id as
//     built);
//   - when the latest version has the same content (everything but id,
//     version, created, updated, status, statusComment and
//     precedingPfIds), nothing is stored and the latest is returned;
//   - otherwise pf becomes version latest + 1 with a new id and
//     precedingPfIds = the latest's precedingPfIds + the latest's id, and
//     the latest is kept with status Deprecated, updated = now and a
//     statusComment naming its successor.
//
// Errors wrap sillage.ErrConflict when another process published the same
// lineage at once (publish again).
func Publish(ctx context.Context, st VersionStore, pf ProductFootprint, now time.Time) (ProductFootprint, bool, error) {
	lineage := Lineage(pf)
	latest, err := st.LatestPACTFootprint(ctx, lineage)
	if errors.Is(err, sillage.ErrNotFound) {
		pf.Version = 1
		pf.Status = "Active"
		rec, err := record(pf, lineage)
		if err != nil {
			return pf, false, err
		}
		if err := st.SavePACTFootprint(ctx, rec, nil); err != nil {
			return pf, false, fmt.Errorf("publish %s: %w", pf.ID, err)
		}
		return pf, true, nil
	}
	if err != nil {
		return pf, false, fmt.Errorf("publish %s: %w", pf.ID, err)
	}
	var prev ProductFootprint
	if err := json.Unmarshal(latest.Document, &prev); err != nil {
		return pf, false, fmt.Errorf("publish: stored footprint %s does not decode: %w", latest.ID, err)
	}
	if sameContent(prev, pf) {
		return prev, false, nil
	}
	next := Supersede(prev, pf)
	prev.Status = "Deprecated"
	prev.StatusComment = fmt.Sprintf("Superseded by version %d (id %s).", next.Version, next.ID)
	u := now.UTC()
	prev.Updated = &u
	rec, err := record(next, lineage)
	if err != nil {
		return pf, false, err
	}
	old, err := record(prev, lineage)
	if err != nil {
		return pf, false, err
	}
	if err := st.SavePACTFootprint(ctx, rec, &old); err != nil {
		return pf, false, fmt.Errorf("publish %s: %w", next.ID, err)
	}
	return next, true, nil
}

// Supersede returns next as the version after prev: version prev + 1, a
// new id derived from prev's id and the version, precedingPfIds = prev's
// precedingPfIds then prev's id, status Active.
func Supersede(prev, next ProductFootprint) ProductFootprint {
	next.Version = prev.Version + 1
	h := sha256.Sum256([]byte(fmt.Sprintf("sillage-pact-version\x00%s\x00%d", prev.ID, next.Version)))
	next.ID = uuidFromHash(h)
	next.PrecedingPfIDs = append(append([]string(nil), prev.PrecedingPfIDs...), prev.ID)
	next.Status = "Active"
	next.StatusComment = ""
	next.Updated = nil
	return next
}

func sameContent(a, b ProductFootprint) bool {
	strip := func(p ProductFootprint) []byte {
		p.ID, p.Version, p.Created, p.Updated, p.Status, p.StatusComment, p.PrecedingPfIDs = "", 0, time.Time{}, nil, "", "", nil
		out, _ := json.Marshal(p)
		return out
	}
	return bytes.Equal(strip(a), strip(b))
}

func record(pf ProductFootprint, lineage string) (sillage.PACTRecord, error) {
	doc, err := json.Marshal(pf)
	if err != nil {
		return sillage.PACTRecord{}, fmt.Errorf("encode footprint %s: %w", pf.ID, err)
	}
	return sillage.PACTRecord{ID: pf.ID, Lineage: lineage, Version: pf.Version, Created: pf.Created, Status: pf.Status,
		ProductIDs: pf.ProductIDs, Document: doc}, nil
}
