package io.refinery.warehouse;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Raw retention as a ClickHouse TTL on {@code raw_records}, applied at every start from
 * {@code refinery.warehouse.raw-retention} (unset: kept forever, and a TTL left by an earlier setting
 * is removed). Only the payloads expire: the batch manifests ({@code raw_batches}) with their hash
 * chain stay, so lineage still names every batch.
 */
@Component
class RawRetention {

    private static final Logger log = LoggerFactory.getLogger(RawRetention.class);

    private final DSLContext dsl;

    RawRetention(DSLContext warehouseDsl, WarehouseProperties properties) {
        this.dsl = warehouseDsl;
        apply(properties.rawRetention());
    }

    void apply(Duration retention) {
        boolean hasTtl = dsl.fetchOptional("SELECT create_table_query FROM system.tables "
                        + "WHERE database = currentDatabase() AND name = 'raw_records'")
                .map(r -> r.get(0, String.class)).orElse("").contains(" TTL ");
        if (retention == null || retention.isZero() || retention.isNegative()) {
            if (hasTtl) {
                dsl.execute("ALTER TABLE raw_records REMOVE TTL");
                log.info("Raw retention: raw records are kept forever (TTL removed)");
            }
            return;
        }
        // The TTL is checked at merges; materialising it now rewrites old parts once, in the background.
        dsl.execute("ALTER TABLE raw_records MODIFY TTL toDateTime(received_at) + INTERVAL "
                + Math.max(1, retention.toSeconds()) + " SECOND");
        log.info("Raw retention: raw records expire {} after they were received", retention);
    }
}
