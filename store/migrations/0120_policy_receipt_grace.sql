-- 0120_policy_receipt_grace: the policy's receipt_grace_days (issue 12):
-- how long after its first receipt a short delivery waits for the rest
-- before its order closes, in days. Networks stored before take the
-- default of sillage.DefaultReceiptGraceDays.
ALTER TABLE policies ADD COLUMN receipt_grace_days DOUBLE PRECISION NOT NULL DEFAULT 3;
