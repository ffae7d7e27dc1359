-- Quality gate results: one row per check per run, append-only (history is the point). The spec
-- version that produced a result is stored with it, so a result can be read against its rules.
CREATE TABLE IF NOT EXISTS quality_results (
    run_id         String,
    table_name     LowCardinality(String),
    check_name     String,
    kind           LowCardinality(String),   -- not_null, unique, accepted_values, range, row_count, ...
    column_name    String,                   -- '' for table-level checks; 'a,b' for key checks
    spec_version   UInt32,
    severity       LowCardinality(String),   -- blocking, warning
    status         LowCardinality(String),   -- PASS, WARN, FAIL, ERROR
    observed       String,
    observed_value Nullable(Float64),
    expected       String,
    message        String,
    checked_at     DateTime64(3, 'UTC'),
    duration_ms    UInt32,
    stored_at      DateTime DEFAULT now()    -- retention runs on the wall clock, not on the checks' clock
) ENGINE = MergeTree
ORDER BY (table_name, check_name, checked_at)
TTL stored_at + INTERVAL 180 DAY;
