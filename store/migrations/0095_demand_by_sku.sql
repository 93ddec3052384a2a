-- 0095_demand_by_sku: the demand histories of a few products, for one part
-- of a split plan (store.LoadPlanNetwork with SKUs), without a scan of
-- every history of the network.
CREATE INDEX demand_history_sku ON demand_history (network, sku);
