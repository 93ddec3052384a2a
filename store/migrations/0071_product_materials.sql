-- 0071_product_materials: a product's bill of materials (issue 14).
--
-- materials_json is the product's materials as JSON, [{"material":
-- "glass", "mass_kg": 0.3}, ...], or '' when it lists none;
-- manufacturing_share is NULL when not given. (Numbered 0071 to stay
-- clear of migrations other packages add meanwhile.)
ALTER TABLE products ADD COLUMN materials_json TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN manufacturing_share DOUBLE PRECISION;
