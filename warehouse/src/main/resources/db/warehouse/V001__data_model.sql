-- Refinery data model: raw (immutable) -> cleaned (typed, UTC, deduplicated) -> served (aggregates).
-- All timestamps are DateTime64(3, 'UTC'). Cleaned tables are ReplacingMergeTree(version) keyed by
-- the source key, so a re-delivery replaces instead of adding; readers use FINAL (or argMax) to be
-- correct before background merges.

-- Raw layer: every payload exactly as received, never updated.
CREATE TABLE IF NOT EXISTS raw_batches (
    batch_id      UUID,
    seq           UInt64,                   -- position in the route's hash chain, from 1
    source        LowCardinality(String),   -- route kind: file, jdbc, rest, mqtt, upload, demo
    route_id      LowCardinality(String),
    entity        LowCardinality(String),
    source_ref    String,                   -- file name, cursor range, topic
    received_at   DateTime64(3, 'UTC'),
    record_count  UInt32,
    payload_bytes UInt64,
    prev_hash     String,                   -- batch_hash of the previous batch of the same route
    batch_hash    String                    -- sha256(prev_hash || record payload hashes)
) ENGINE = MergeTree
ORDER BY (route_id, seq);

CREATE TABLE IF NOT EXISTS raw_records (
    batch_id      UUID,
    record_no     UInt32,
    source        LowCardinality(String),
    route_id      LowCardinality(String),
    entity        LowCardinality(String),
    source_offset String,                   -- line, offset or cursor value within the source
    received_at   DateTime64(3, 'UTC'),
    payload       String CODEC(ZSTD(3)),
    payload_hash  String                    -- sha256 hex of payload
) ENGINE = MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (entity, batch_id, record_no);

-- Cleaned layer. batch_id/record_no point back to the raw record (lineage); version orders
-- re-deliveries (the later landing wins).
CREATE TABLE IF NOT EXISTS sales_order_lines (
    line_id     String,
    sku         String,
    location    String,
    quantity    Decimal(18, 4),
    unit_price  Nullable(Decimal(18, 4)),
    ordered_at  DateTime64(3, 'UTC'),
    channel     LowCardinality(String),
    batch_id    UUID,
    record_no   UInt32,
    version     UInt64,
    cleaned_at  DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC')
) ENGINE = ReplacingMergeTree(version)
ORDER BY line_id;

CREATE TABLE IF NOT EXISTS purchase_order_lines (
    po_line_id    String,
    supplier      String,
    sku           String,
    location      String,
    quantity      Decimal(18, 4),
    ordered_at    DateTime64(3, 'UTC'),
    promised_date Date,
    batch_id      UUID,
    record_no     UInt32,
    version       UInt64,
    cleaned_at    DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC')
) ENGINE = ReplacingMergeTree(version)
ORDER BY po_line_id;

CREATE TABLE IF NOT EXISTS receipts (
    receipt_id  String,
    po_line_id  String,
    quantity    Decimal(18, 4),
    received_at DateTime64(3, 'UTC'),
    batch_id    UUID,
    record_no   UInt32,
    version     UInt64,
    cleaned_at  DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC')
) ENGINE = ReplacingMergeTree(version)
ORDER BY receipt_id;

CREATE TABLE IF NOT EXISTS iot_readings (
    device_id   String,
    location    String,
    sku         String,                     -- empty when the device is not tied to a SKU
    metric      LowCardinality(String),
    value       Float64,
    observed_at DateTime64(3, 'UTC'),
    batch_id    UUID,
    record_no   UInt32,
    version     UInt64,
    cleaned_at  DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC')
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(observed_at)
ORDER BY (device_id, metric, observed_at);

CREATE TABLE IF NOT EXISTS products (
    sku       String,
    name      String,
    category  LowCardinality(String),
    unit      LowCardinality(String),
    batch_id  UUID,
    record_no UInt32,
    version   UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY sku;

CREATE TABLE IF NOT EXISTS locations (
    location  String,
    name      String,
    region    LowCardinality(String),
    batch_id  UUID,
    record_no UInt32,
    version   UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY location;

CREATE TABLE IF NOT EXISTS suppliers (
    supplier  String,
    name      String,
    country   LowCardinality(String),
    batch_id  UUID,
    record_no UInt32,
    version   UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY supplier;

-- Served layer, refreshed incrementally for the keys a batch touched (ServedLayer), never rebuilt
-- whole. A refresh writes the recomputed value with a newer version; FINAL reads the latest.
CREATE TABLE IF NOT EXISTS demand_daily (
    sku         String,
    location    String,
    day         Date,
    quantity    Decimal(18, 4),
    order_lines UInt32,
    revenue     Decimal(18, 4),
    version     UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (sku, location, day);

CREATE VIEW IF NOT EXISTS demand_weekly AS
SELECT sku, location, toMonday(day) AS week, sum(quantity) AS quantity, sum(order_lines) AS order_lines,
       sum(revenue) AS revenue
FROM demand_daily FINAL
GROUP BY sku, location, week;

CREATE VIEW IF NOT EXISTS demand_monthly AS
SELECT sku, location, toStartOfMonth(day) AS month, sum(quantity) AS quantity,
       sum(order_lines) AS order_lines, sum(revenue) AS revenue
FROM demand_daily FINAL
GROUP BY sku, location, month;

CREATE TABLE IF NOT EXISTS lead_times (
    po_line_id        String,
    supplier          String,
    sku               String,
    location          String,
    ordered_quantity  Decimal(18, 4),
    ordered_at        DateTime64(3, 'UTC'),
    promised_date     Date,
    first_received_at Nullable(DateTime64(3, 'UTC')),
    last_received_at  Nullable(DateTime64(3, 'UTC')),
    received_quantity Decimal(18, 4),
    lead_time_days    Nullable(Float64),   -- ordered -> first receipt
    delay_days        Nullable(Float64),   -- first receipt - promised date (negative = early)
    version           UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY po_line_id;
