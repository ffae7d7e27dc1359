package io.refinery.ingestion;

/** What a route does with a batch whose columns or types drifted from the contract. */
public enum DriftPolicy {
    /** Land, then quarantine every record of the batch (rule {@code schema-drift}); the route goes on. */
    QUARANTINE,
    /** Land and process as usual (known renames mapped), and record the drift for review. */
    ACCEPT_AND_FLAG,
    /** Land, quarantine the batch, and stop the route until someone looks. */
    STOP
}
