-- Owned by the api module. Read-only API tokens for machines (Power BI): only the SHA-256 of the
-- token is stored; the token itself is shown once, at creation. Revoking writes a newer version.
CREATE TABLE IF NOT EXISTS api_tokens (
    token_id    String,
    username    String,
    name        String,
    token_hash  String,                       -- sha256 hex of the whole token
    created_at  DateTime64(3, 'UTC'),
    created_by  String,
    revoked     Bool,
    revoked_at  DateTime64(3, 'UTC'),
    revoked_by  String,
    version     UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY token_id;

-- Planner overrides of a run's forecast, one current value per run x sku x location x period.
CREATE TABLE IF NOT EXISTS forecast_overrides (
    run_id        String,
    sku           String,
    location      String,
    period        Date,
    statistical   Float64,                    -- the run's P50 when the override was made
    value         Float64,                    -- the planner's final value
    reason        String,
    overridden_by String,
    overridden_at DateTime64(3, 'UTC'),
    version       UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (run_id, sku, location, period);

-- Every override ever made, never updated: who, when, old and new value, why.
CREATE TABLE IF NOT EXISTS forecast_override_audit (
    run_id      String,
    sku         String,
    location    String,
    period      Date,
    old_value   Float64,
    new_value   Float64,
    statistical Float64,
    reason      String,
    actor       String,
    at          DateTime64(3, 'UTC')
) ENGINE = MergeTree
ORDER BY (run_id, sku, location, period, at);
