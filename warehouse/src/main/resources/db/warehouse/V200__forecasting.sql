-- Forecast runs are versioned and reproducible: each row of forecast_runs is one state of a run
-- (queued, running with progress, finished), the newest version wins.
CREATE TABLE IF NOT EXISTS forecast_runs (
    run_id             String,
    status             LowCardinality(String),
    progress           Float64,
    trigger            LowCardinality(String),   -- api, schedule, data-changed
    requested_by       String,
    grain              LowCardinality(String),
    horizon            UInt16,
    scope_key          String,
    scope_skus         Array(String),
    scope_locations    Array(String),
    scope_categories   Array(String),
    started_at         DateTime64(3, 'UTC'),
    finished_at        Nullable(DateTime64(3, 'UTC')),
    duration_ms        UInt64,
    mase               Nullable(Float64),
    smape              Nullable(Float64),
    wape               Nullable(Float64),
    bias               Nullable(Float64),
    coverage_p10_p90   Nullable(Float64),
    series             UInt32,
    data_as_of         Nullable(DateTime64(3, 'UTC')),
    data_version       UInt64,
    series_read        UInt64,
    code_version       String,
    models_chosen      Map(String, UInt64),
    trainer_provenance String,
    message            String,
    version            UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY run_id;

CREATE TABLE IF NOT EXISTS forecasts (
    run_id   String,
    sku      String,          -- '*' on aggregate levels
    location String,          -- '*' on aggregate levels
    period   Date,            -- first day of the period
    p10      Float64,
    p50      Float64,
    p90      Float64,
    model    LowCardinality(String)
) ENGINE = MergeTree
ORDER BY (run_id, sku, location, period);

CREATE TABLE IF NOT EXISTS forecast_series_accuracy (
    run_id           String,
    sku              String,
    location         String,
    model            LowCardinality(String),
    mase             Float64,
    smape            Float64,
    wape             Float64,
    bias             Float64,
    coverage_p10_p90 Float64
) ENGINE = MergeTree
ORDER BY (run_id, sku, location);

-- Lead-time anomaly flags, one per PO line (re-scoring replaces); acknowledgement is a new version.
CREATE TABLE IF NOT EXISTS lead_time_anomalies (
    po_line_id         String,
    supplier           String,
    sku                String,
    location           String,
    ordered_at         DateTime64(3, 'UTC'),
    promised_date      Date,
    received_at        DateTime64(3, 'UTC'),
    lead_time_days     Float64,
    delay_days         Float64,
    score              Float64,
    expected_low_days  Float64,
    expected_high_days Float64,
    drivers            Map(String, Float64),
    model_version      String,
    flagged_at         DateTime64(3, 'UTC'),
    acknowledged       Bool,
    acknowledged_by    String,
    version            UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY po_line_id;

-- Trained models (lead-time forests, global regressors) with their provenance.
CREATE TABLE IF NOT EXISTS model_versions (
    model_id   String,
    kind       LowCardinality(String),
    created_at DateTime64(3, 'UTC'),
    provenance String,
    metrics    Map(String, Float64)
) ENGINE = MergeTree
ORDER BY (kind, created_at, model_id);
