package io.refinery.warehouse.jobs;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

import static org.jooq.impl.DSL.inline;

/**
 * A version per data asset that only grows when the asset changes, so an orchestrator can trigger
 * jobs on data: the same signals forecasting's own data trigger reads (the newest served version).
 * Job outputs are assets too ({@code job:<name>}: the end of its newest successful run).
 */
@Component
public class AssetVersions {

    public static final String RAW_BATCHES = "raw.batches";
    public static final String CLEANED = "cleaned";
    public static final String SERVED_DEMAND = "served.demand";
    public static final String SERVED_LEAD_TIMES = "served.lead_times";
    public static final String JOB_PREFIX = "job:";

    private static final Map<String, String> QUERIES = Map.of(
            RAW_BATCHES, "SELECT toUInt64(count()) FROM raw_batches",
            CLEANED, "SELECT toUInt64(max(toUnixTimestamp64Milli(processed_at))) FROM ingest_batches",
            SERVED_DEMAND, "SELECT max(version) FROM demand_daily",
            SERVED_LEAD_TIMES, "SELECT max(version) FROM lead_times");

    private final DSLContext dsl;

    AssetVersions(DSLContext warehouseDsl) {
        this.dsl = warehouseDsl;
    }

    /** The data assets the warehouse knows (job outputs come on top). */
    public static List<String> dataAssets() {
        return List.of(RAW_BATCHES, CLEANED, SERVED_DEMAND, SERVED_LEAD_TIMES);
    }

    /** The asset's current version; 0 when it is empty or unknown. */
    public long version(String asset) {
        if (asset.startsWith(JOB_PREFIX)) {
            Number n = (Number) dsl.fetchOne("SELECT max(toUnixTimestamp64Milli(finished_at)) FROM job_runs FINAL"
                    + " WHERE job = {0} AND status = 'SUCCEEDED'", inline(asset.substring(JOB_PREFIX.length()))).get(0);
            return n == null ? 0 : n.longValue();
        }
        String sql = QUERIES.get(asset);
        if (sql == null) {
            throw new IllegalArgumentException("unknown asset " + asset + "; one of " + QUERIES.keySet()
                    + " or job:<name>");
        }
        Number n = (Number) dsl.fetchOne(sql).get(0);
        return n == null ? 0 : n.longValue();
    }
}
