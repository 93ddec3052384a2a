-- 0050_order_effects: the stock effects of orders, applied exactly once
-- (package activities, for the Temporal order workflows).
--
-- An order changes stock positions several times in its life: it holds
-- units (in transit at its site, reserved at a distribution centre) when
-- it is created, releases them when it is rejected, cut or cancelled, and
-- when goods arrive. Activities are retried, so each change is recorded
-- here under a name unique per order ("hold", "release:rejected",
-- "receipt:1", "final", ...) in the same transaction as the position
-- changes: a retried or replayed activity finds its row and changes
-- nothing. (Numbered 0050 to stay clear of migrations other packages add
-- meanwhile; versions need not be contiguous.)
CREATE TABLE order_effects (
    order_id TEXT NOT NULL,
    effect TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    changes_json TEXT NOT NULL,
    PRIMARY KEY (order_id, effect)
);
