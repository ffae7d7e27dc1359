-- Leases: at most one holder per key (a job and scope, a route) across replicas. ClickHouse has no
-- transactions, so the table is an append-only log of claims, renewals and releases; the protocol in
-- io.refinery.warehouse.lease.Leases decides the holder from it (see that class for why it is correct).
-- epoch is the fencing token: it only grows per key, because claim and release rows are never deleted.
-- Renewal rows older than a day no longer decide anything (a lease renewed since has a later expiry,
-- one not renewed since has long expired) and are dropped by TTL.
CREATE TABLE IF NOT EXISTS leases (
    lease_key   String,
    epoch       UInt64,
    claim_id    UUID,                      -- one claim attempt; the winner of an epoch is the least (at, claim_id)
    op_id       UUID,                      -- this row, so a writer can see whether its conditional insert happened
    holder      String,                    -- replica id (host/pid), for people
    action      LowCardinality(String),    -- claim, renew, release
    at          DateTime64(3, 'UTC'),      -- warehouse time the row was decided
    expires_at  DateTime64(3, 'UTC')
) ENGINE = MergeTree
ORDER BY (lease_key, epoch, at)
TTL toDateTime(at) + INTERVAL 1 DAY DELETE WHERE action = 'renew';
