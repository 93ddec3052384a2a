-- 0001_core: the network, stock positions, plans, orders and footprints.
--
-- Portable SQL for SQLite and PostgreSQL: TEXT, BIGINT and DOUBLE PRECISION
-- only; booleans are BIGINT 0/1; timestamps are TEXT in RFC 3339 UTC with
-- nine fractional digits (see store/timefmt.go); lists of legs, weekly
-- demand, shortfalls and bindings are JSON in TEXT columns. Every list of a
-- network keeps its order in the file in a seq column.

CREATE TABLE networks (
    name TEXT PRIMARY KEY
);

CREATE TABLE policies (
    network TEXT PRIMARY KEY REFERENCES networks (name) ON DELETE CASCADE,
    carbon_price_eur_per_t DOUBLE PRECISION NOT NULL,
    shortfall_penalty_eur DOUBLE PRECISION NOT NULL,
    safety_stock_days DOUBLE PRECISION NOT NULL,
    review_period_days DOUBLE PRECISION NOT NULL,
    approval_threshold_eur DOUBLE PRECISION NOT NULL,
    holding_rate_per_year DOUBLE PRECISION NOT NULL,
    storage_kwh_per_unit_day DOUBLE PRECISION NOT NULL,
    storage_days_per_hub DOUBLE PRECISION NOT NULL,
    forecast_horizon_weeks BIGINT NOT NULL
);

CREATE TABLE sites (
    network TEXT NOT NULL REFERENCES networks (name) ON DELETE CASCADE,
    id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    gln TEXT NOT NULL,
    latitude DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL,
    country TEXT NOT NULL,
    capacity_units DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (network, id)
);

CREATE TABLE products (
    network TEXT NOT NULL REFERENCES networks (name) ON DELETE CASCADE,
    sku TEXT NOT NULL,
    seq BIGINT NOT NULL,
    gtin TEXT NOT NULL,
    name TEXT NOT NULL,
    maison TEXT NOT NULL,
    class TEXT NOT NULL,
    mass_kg DOUBLE PRECISION NOT NULL,
    unit_cost_eur DOUBLE PRECISION NOT NULL,
    cradle_to_gate_kgco2e DOUBLE PRECISION NOT NULL,
    max_transit_days DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (network, sku)
);

CREATE TABLE lanes (
    network TEXT NOT NULL,
    from_site TEXT NOT NULL,
    to_site TEXT NOT NULL,
    mode TEXT NOT NULL,
    seq BIGINT NOT NULL,
    distance_km DOUBLE PRECISION NOT NULL,
    distance_estimated BIGINT NOT NULL,
    cost_eur_per_kg DOUBLE PRECISION NOT NULL,
    transit_days DOUBLE PRECISION NOT NULL,
    capacity_kg DOUBLE PRECISION NOT NULL,
    intensity_kgco2e_per_tkm DOUBLE PRECISION,
    PRIMARY KEY (network, from_site, to_site, mode),
    FOREIGN KEY (network, from_site) REFERENCES sites (network, id) ON DELETE CASCADE,
    FOREIGN KEY (network, to_site) REFERENCES sites (network, id) ON DELETE CASCADE
);

CREATE INDEX lanes_to ON lanes (network, to_site);

CREATE TABLE stock_positions (
    network TEXT NOT NULL,
    site TEXT NOT NULL,
    sku TEXT NOT NULL,
    seq BIGINT NOT NULL,
    on_hand DOUBLE PRECISION NOT NULL,
    in_transit DOUBLE PRECISION NOT NULL,
    reserved DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (network, site, sku),
    FOREIGN KEY (network, site) REFERENCES sites (network, id) ON DELETE CASCADE,
    FOREIGN KEY (network, sku) REFERENCES products (network, sku) ON DELETE CASCADE
);

CREATE TABLE demand_history (
    network TEXT NOT NULL,
    site TEXT NOT NULL,
    sku TEXT NOT NULL,
    seq BIGINT NOT NULL,
    weeks BIGINT NOT NULL,
    weekly_json TEXT NOT NULL,
    PRIMARY KEY (network, site, sku),
    FOREIGN KEY (network, site) REFERENCES sites (network, id) ON DELETE CASCADE,
    FOREIGN KEY (network, sku) REFERENCES products (network, sku) ON DELETE CASCADE
);

CREATE TABLE supply (
    network TEXT NOT NULL,
    supplier TEXT NOT NULL,
    sku TEXT NOT NULL,
    seq BIGINT NOT NULL,
    capacity_units DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (network, supplier, sku),
    FOREIGN KEY (network, supplier) REFERENCES sites (network, id) ON DELETE CASCADE,
    FOREIGN KEY (network, sku) REFERENCES products (network, sku) ON DELETE CASCADE
);

-- Plans are not tied to a stored network by a foreign key: a plan may be
-- solved from a network file that was never seeded.
CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    network TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL,
    carbon_price_eur_per_t DOUBLE PRECISION NOT NULL,
    cost_eur DOUBLE PRECISION NOT NULL,
    kgco2e DOUBLE PRECISION NOT NULL,
    shortfall_units DOUBLE PRECISION NOT NULL,
    shortfalls_json TEXT NOT NULL,
    binding_json TEXT NOT NULL
);

CREATE INDEX plans_network ON plans (network, created_at);

CREATE TABLE plan_lines (
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    line_no BIGINT NOT NULL,
    source TEXT NOT NULL,
    site TEXT NOT NULL,
    sku TEXT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    cost_eur DOUBLE PRECISION NOT NULL,
    kgco2e DOUBLE PRECISION NOT NULL,
    legs_json TEXT NOT NULL,
    PRIMARY KEY (plan_id, line_no)
);

-- An order's id is deterministic (po:<plan>:<supplier>:<n>,
-- to:<plan>:<source>:<site>); the primary key makes a retried insert a
-- no-op instead of a second order.
CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    site TEXT NOT NULL,
    status TEXT NOT NULL,
    value_eur DOUBLE PRECISION NOT NULL,
    kgco2e DOUBLE PRECISION NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX orders_plan ON orders (plan_id);
CREATE INDEX orders_status ON orders (status);

CREATE TABLE order_lines (
    order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no BIGINT NOT NULL,
    sku TEXT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    value_eur DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE footprints (
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    site TEXT NOT NULL,
    sku TEXT NOT NULL,
    seq BIGINT NOT NULL,
    cradle_to_gate_kgco2e DOUBLE PRECISION NOT NULL,
    transport_kgco2e DOUBLE PRECISION NOT NULL,
    storage_kgco2e DOUBLE PRECISION NOT NULL,
    total_kgco2e DOUBLE PRECISION NOT NULL,
    legs_json TEXT NOT NULL,
    PRIMARY KEY (plan_id, site, sku)
);
