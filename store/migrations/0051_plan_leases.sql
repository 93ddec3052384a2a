-- 0051_plan_leases: one plan at a time per network (package activities,
-- for the Temporal PlanWorkflow).
--
-- A plan reads the stock, then its orders hold units; a second plan of the
-- same network that read the stock meanwhile would order the same units
-- again. Every PlanWorkflow (started by the planner, a schedule or the CLI)
-- takes its network's lease before it reads the stock and gives it back
-- once its orders hold their units. A lease past expires_at, or held by a
-- plan whose workflow has ended, may be taken over.
CREATE TABLE plan_leases (
    network TEXT NOT NULL PRIMARY KEY,
    plan_id TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
