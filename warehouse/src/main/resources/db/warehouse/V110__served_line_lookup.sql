-- Scratch space of the served refresh: the line ids of a batch about to be written, so the cells
-- they counted in before can be found with IN (subquery) instead of a huge IN literal (parsing a
-- 100 k-element literal cost seconds per batch). Rows are worthless after the look-up; TTL drops them.
CREATE TABLE IF NOT EXISTS served_line_lookup (
    token      UUID,
    line_id    String,
    created_at DateTime DEFAULT now()
) ENGINE = MergeTree
ORDER BY (token, line_id)
TTL created_at + INTERVAL 1 HOUR;
