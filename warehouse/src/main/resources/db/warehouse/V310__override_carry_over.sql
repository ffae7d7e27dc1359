-- Owned by the api module. Planner overrides carry over to later runs for the same sku x location x
-- period until a planner clears them; a clear is an override event with cleared = true (value = the
-- statistical value of that run), so "newest decision wins" also covers clearing.
ALTER TABLE forecast_overrides ADD COLUMN IF NOT EXISTS cleared Bool DEFAULT false;
ALTER TABLE forecast_override_audit ADD COLUMN IF NOT EXISTS cleared Bool DEFAULT false;
