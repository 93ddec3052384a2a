-- 0090_plan_terms: the time-phased plan's network fields (issue 11).
--
-- Supplier terms per supply row (production lead time in days, minimum
-- order quantity and case pack in units, purchase cost in EUR), each
-- product's selling price in EUR, and the policy's horizon in weeks,
-- service level and per-class service levels (service_levels_json:
-- [{"class": "watch", "level": 0.99}, ...], or '' when none). 0 means
-- "not given" as in the network file.
ALTER TABLE supply ADD COLUMN lead_time_days DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE supply ADD COLUMN moq_units DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE supply ADD COLUMN case_pack_units DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE supply ADD COLUMN unit_cost_eur DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN unit_price_eur DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE policies ADD COLUMN horizon_weeks BIGINT NOT NULL DEFAULT 0;
ALTER TABLE policies ADD COLUMN service_level DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE policies ADD COLUMN service_levels_json TEXT NOT NULL DEFAULT '';
