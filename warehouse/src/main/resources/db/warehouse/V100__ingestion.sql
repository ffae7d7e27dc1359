-- Ingestion bookkeeping (owned by ingestion-routes, stored beside the data it describes).
-- Outcome of every landed batch: the counts that reconcile raw against cleaned + quarantine.
-- A re-process writes a newer version of the same batch row, so sums stay exact under FINAL.
CREATE TABLE IF NOT EXISTS ingest_batches (
    batch_id      UUID,
    route_id      LowCardinality(String),
    entity        LowCardinality(String),
    source        LowCardinality(String),
    source_ref    String,
    contract      LowCardinality(String),   -- contract id and version that decided, e.g. sales-order-lines.v1
    received      UInt32,                   -- records handed to the record path
    landed        UInt32,                   -- records in the raw layer for this batch
    cleaned       UInt32,
    quarantined   UInt32,
    duplicates    UInt32,                   -- superseded by a later record with the same key in the batch
    served        UInt32,                   -- cleaned rows that feed a served aggregate
    received_at   DateTime64(3, 'UTC'),
    processed_at  DateTime64(3, 'UTC'),
    version       UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY batch_id;

-- One row per rejected (or superseded) raw record; nothing is ever deleted, a fix writes a newer
-- version with status 'resolved'. value holds the offending value ('***' for columns tagged pii).
CREATE TABLE IF NOT EXISTS ingest_quarantine (
    batch_id       UUID,
    record_no      UInt32,
    route_id       LowCardinality(String),
    entity         LowCardinality(String),
    contract       LowCardinality(String),
    rule           LowCardinality(String),
    field          String,
    value          String,
    reason         String,
    status         LowCardinality(String),  -- open, resolved, duplicate
    correction     String,                  -- operator-corrected field values as JSON, '' when none
    quarantined_at DateTime64(3, 'UTC'),
    updated_at     DateTime64(3, 'UTC'),
    version        UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (batch_id, record_no);

-- Schema drift findings per route and batch, with the policy applied.
CREATE TABLE IF NOT EXISTS ingest_drift (
    route_id     LowCardinality(String),
    entity       LowCardinality(String),
    batch_id     UUID,
    detected_at  DateTime64(3, 'UTC'),
    change       LowCardinality(String),    -- new-column, missing-column, renamed-column, type-change
    column_name  String,
    detail       String,
    policy       LowCardinality(String),
    action       LowCardinality(String)
) ENGINE = MergeTree
ORDER BY (route_id, detected_at);

-- Incremental source cursors (JDBC, REST); advanced only after the batch they cover is landed.
CREATE TABLE IF NOT EXISTS ingest_cursors (
    route_id    String,
    cursor      String,
    batch_id    UUID,
    updated_at  DateTime64(3, 'UTC'),
    version     UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY route_id;

-- Route definitions (routes are data) and their audit trail. definition is JSON; secrets appear
-- only as references (names), never as values.
CREATE TABLE IF NOT EXISTS ingest_routes (
    route_id      String,
    kind          LowCardinality(String),
    entity        LowCardinality(String),
    definition    String,
    desired_state LowCardinality(String),   -- started, stopped
    deleted       UInt8,
    updated_by    String,
    updated_at    DateTime64(3, 'UTC'),
    version       UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY route_id;

CREATE TABLE IF NOT EXISTS ingest_route_audit (
    route_id  String,
    at        DateTime64(3, 'UTC'),
    actor     String,
    action    LowCardinality(String),
    before    String,
    after     String,
    changes   String
) ENGINE = MergeTree
ORDER BY (route_id, at);
