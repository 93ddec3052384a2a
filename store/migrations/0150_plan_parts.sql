-- 0150_plan_parts: the parts of a time-phased plan split into product
-- groups that are solved apart (issue 11), one PlanWorkflow activity per
-- part, on any worker.
--
-- The split step stores one row per part with its products (skus, a JSON
-- array of SKUs); each part's step stores its solved result (result, the
-- gzipped JSON of a timephased.Result, NULL until solved); the merge step
-- stores the plan and its horizon (plans, plan_horizons) and deletes the
-- rows. No foreign key to plans: the plan is stored after its parts.
-- engine: sqlite
CREATE TABLE plan_parts (
    plan_id TEXT NOT NULL,
    part BIGINT NOT NULL,
    skus TEXT NOT NULL,
    result BLOB,
    PRIMARY KEY (plan_id, part)
);
-- engine: postgres
CREATE TABLE plan_parts (
    plan_id TEXT NOT NULL,
    part BIGINT NOT NULL,
    skus TEXT NOT NULL,
    result BYTEA,
    PRIMARY KEY (plan_id, part)
);
