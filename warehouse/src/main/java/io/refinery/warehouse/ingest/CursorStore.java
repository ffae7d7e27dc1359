package io.refinery.warehouse.ingest;

import io.refinery.warehouse.BulkInserter;
import io.refinery.warehouse.ingest.IngestRecords.StoredCursor;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.jooq.impl.DSL.inline;

/** Incremental source cursors; callers advance one only after the batch it covers is landed. */
@Component
public class CursorStore {

    private final DSLContext dsl;
    private final BulkInserter inserter;

    CursorStore(DSLContext warehouseDsl, BulkInserter inserter) {
        this.dsl = warehouseDsl;
        this.inserter = inserter;
    }

    public Optional<StoredCursor> cursor(String routeId) {
        return dsl.fetch("""
                SELECT route_id, cursor, toString(batch_id), toUnixTimestamp64Milli(updated_at)
                FROM ingest_cursors FINAL WHERE route_id = {0}""", inline(routeId)).stream().findFirst()
                .map(r -> new StoredCursor(r.get(0, String.class), r.get(1, String.class),
                        UUID.fromString(r.get(2, String.class)), Instant.ofEpochMilli(r.get(3, Long.class))));
    }

    public void advance(String routeId, String cursor, UUID batchId) {
        long version = Versions.next();
        inserter.insertRowBinary("ingest_cursors", List.of("route_id", "cursor", "batch_id", "updated_at", "version"),
                w -> w.string(routeId).string(cursor).uuid(batchId).dateTime64Millis(Instant.now()).uint64(version));
    }
}
