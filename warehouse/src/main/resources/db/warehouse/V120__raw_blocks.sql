-- A raw row may hold a block of source records instead of one: a file's rows exactly as received,
-- with their header line ('csv-block'), landed as one payload with one hash. record_span says how many
-- source records the row holds (1 for a single record), so counts over the raw layer stay counts of records.
ALTER TABLE raw_records ADD COLUMN IF NOT EXISTS payload_format LowCardinality(String) DEFAULT 'record';
ALTER TABLE raw_records ADD COLUMN IF NOT EXISTS record_span UInt32 DEFAULT 1;
