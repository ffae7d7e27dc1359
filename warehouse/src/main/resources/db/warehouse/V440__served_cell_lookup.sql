-- Scratch space of the served refresh: the demand cells that the lines of a write counted in before it.
-- The engine finds them itself from the line ids sent as the body of INSERT … SELECT … input(), so only
-- the (few) cells are stored, not every line id as served_line_lookup did (that table is no longer
-- written; its TTL empties it, and it is left in place because a DROP is not rewritten for clusters).
CREATE TABLE IF NOT EXISTS served_cell_lookup (
    token      UUID,
    sku        String,
    day        Date,
    created_at DateTime DEFAULT now()
) ENGINE = MergeTree
ORDER BY token
TTL created_at + INTERVAL 1 HOUR;
