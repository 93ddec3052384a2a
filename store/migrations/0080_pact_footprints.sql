-- 0080_pact_footprints: PACT ProductFootprints served by "sillage
-- pact-serve" (package carbon/pact), every version kept, and what each
-- PACT client may see.
--
-- A lineage is one product of one company over one reference period; a
-- recomputation adds the next version of the lineage (new id) and marks
-- the previous one Deprecated. product_ids is the document's productIds,
-- space-separated. pact_shares lists, per OAuth2 client, the product ids
-- (URNs) whose footprints it may read; "*" shares every footprint.
CREATE TABLE pact_footprints (
    id TEXT NOT NULL PRIMARY KEY,
    lineage TEXT NOT NULL,
    version BIGINT NOT NULL,
    created TEXT NOT NULL,
    status TEXT NOT NULL,
    product_ids TEXT NOT NULL,
    document TEXT NOT NULL,
    UNIQUE (lineage, version)
);
CREATE INDEX pact_footprints_created ON pact_footprints (created, id);
CREATE TABLE pact_shares (
    client_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    PRIMARY KEY (client_id, product_id)
);
