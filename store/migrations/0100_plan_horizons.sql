-- 0100_plan_horizons: the whole horizon of a time-phased plan (issue 11),
-- stored beside the plan by the PlanWorkflow's solve step.
--
-- plans and plan_lines keep the lines released in week 0 (those become
-- orders); these tables keep every week: the planned lines with their
-- release, departure and arrival weeks, the projected inventory of each
-- site and product by week, the serve costs (EUR per unit) and the
-- binding capacities (EUR per kg or unit). Booleans are BIGINT 0/1; seq
-- and line_no keep the saved order.
CREATE TABLE plan_horizons (
    plan_id TEXT NOT NULL PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
    weeks BIGINT NOT NULL,
    service_level DOUBLE PRECISION NOT NULL,
    mip_status TEXT NOT NULL,
    mip_method TEXT NOT NULL,
    mip_gap DOUBLE PRECISION NOT NULL,
    mip_seconds DOUBLE PRECISION NOT NULL,
    mip_objective_eur DOUBLE PRECISION NOT NULL,
    mip_bound_eur DOUBLE PRECISION NOT NULL,
    mip_integers BIGINT NOT NULL
);
CREATE TABLE plan_horizon_lines (
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    line_no BIGINT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    site TEXT NOT NULL,
    sku TEXT NOT NULL,
    path TEXT NOT NULL,
    release_week BIGINT NOT NULL,
    depart_week BIGINT NOT NULL,
    arrive_week BIGINT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    transit_days DOUBLE PRECISION NOT NULL,
    cost_eur DOUBLE PRECISION NOT NULL,
    kgco2e DOUBLE PRECISION NOT NULL,
    is_integer BIGINT NOT NULL,
    PRIMARY KEY (plan_id, line_no)
);
CREATE TABLE plan_projected (
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    site TEXT NOT NULL,
    sku TEXT NOT NULL,
    week BIGINT NOT NULL,
    on_hand DOUBLE PRECISION NOT NULL,
    arrivals DOUBLE PRECISION NOT NULL,
    in_transit DOUBLE PRECISION NOT NULL,
    outbound DOUBLE PRECISION NOT NULL,
    demand DOUBLE PRECISION NOT NULL,
    lost DOUBLE PRECISION NOT NULL,
    safety DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (plan_id, site, sku, week)
);
CREATE TABLE plan_serve_costs (
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    site TEXT NOT NULL,
    sku TEXT NOT NULL,
    week BIGINT NOT NULL,
    eur_per_unit DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (plan_id, site, sku, week)
);
CREATE TABLE plan_horizon_bindings (
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    sku TEXT NOT NULL,
    week BIGINT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    unit TEXT NOT NULL,
    PRIMARY KEY (plan_id, seq)
);
