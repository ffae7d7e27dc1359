-- Orchestrated job runs (ops): one row per attempt, each state (running with progress, finished)
-- a newer version of the same run_id. trigger_key names the occasion (a cron fire time, an asset
-- version, a request), so replicas that see the same occasion run it once. lease_epoch is the
-- fencing token of the lease the attempt ran under.
CREATE TABLE IF NOT EXISTS job_runs (
    run_id       String,
    job          LowCardinality(String),
    scope        String,
    lane         LowCardinality(String),   -- online, backfill
    trigger      LowCardinality(String),   -- schedule, data, manual, backfill, upstream
    trigger_key  String,
    attempt      UInt32,
    replica      String,
    lease_epoch  UInt64,
    status       LowCardinality(String),   -- RUNNING, SUCCEEDED, FAILED, TIMED_OUT, BLOCKED, LEASE_LOST, INTERRUPTED
    progress     Float64,
    started_at   DateTime64(3, 'UTC'),
    finished_at  Nullable(DateTime64(3, 'UTC')),
    duration_ms  UInt64,
    error        String,
    detail       String,
    version      UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY run_id;
