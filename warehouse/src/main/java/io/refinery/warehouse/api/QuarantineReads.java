package io.refinery.warehouse.api;

import io.refinery.warehouse.ingest.IngestRecords.QuarantineEntry;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.table;

/**
 * The quarantine as the API browses it: every filter a bound condition in ClickHouse (so a batch
 * filter finds a batch's records however large the quarantine is), paged in a stable order.
 */
@Repository
public class QuarantineReads {

    /**
     * Filters; null means any. {@code reasonContains} matches the reason text case-insensitively.
     * Pages are in (batch, record) order, {@code offset} rows skipped.
     */
    public record Query(String routeId, String entity, String status, UUID batchId, String rule, String field,
                        String reasonContains, long offset, int limit) {
    }

    private static final Field<String> BATCH_ID = field("toString(batch_id)", String.class);

    private final DSLContext dsl;

    QuarantineReads(DSLContext warehouseDsl) {
        this.dsl = warehouseDsl;
    }

    public List<QuarantineEntry> find(Query q) {
        Condition where = noCondition();
        where = eq(where, "route_id", q.routeId());
        where = eq(where, "entity", q.entity());
        where = eq(where, "status", q.status());
        where = eq(where, "rule", q.rule());
        where = eq(where, "field", q.field());
        if (q.batchId() != null) {
            where = where.and(field(name("batch_id")).eq(field("toUUID({0})", Object.class, q.batchId().toString())));
        }
        if (q.reasonContains() != null) {
            where = where.and(field("positionCaseInsensitiveUTF8(reason, {0})", Long.class, q.reasonContains()).gt(0L));
        }
        return dsl.select(BATCH_ID, field(name("record_no"), Long.class), field(name("route_id"), String.class),
                        field(name("entity"), String.class), field(name("contract"), String.class),
                        field(name("rule"), String.class), field(name("field"), String.class),
                        field(name("value"), String.class), field(name("reason"), String.class),
                        field(name("status"), String.class), field(name("correction"), String.class),
                        field("toUnixTimestamp64Milli(quarantined_at)", Long.class),
                        field("toUnixTimestamp64Milli(updated_at)", Long.class))
                .from(table("ingest_quarantine FINAL"))
                .where(where)
                .orderBy(field(name("batch_id")), field(name("record_no")))
                .limit(q.limit())
                .offset(q.offset())
                .fetch(r -> new QuarantineEntry(UUID.fromString(r.value1()), r.value2().intValue(), r.value3(),
                        r.value4(), r.value5(), r.value6(), r.value7(), r.value8(), r.value9(), r.value10(),
                        r.value11(), Instant.ofEpochMilli(r.value12()), Instant.ofEpochMilli(r.value13())));
    }

    private static Condition eq(Condition where, String column, String value) {
        return value == null ? where : where.and(field(name(column), String.class).eq(value));
    }
}
