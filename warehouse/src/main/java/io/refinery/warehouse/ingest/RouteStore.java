package io.refinery.warehouse.ingest;

import io.refinery.warehouse.BulkInserter;
import io.refinery.warehouse.ingest.IngestRecords.RouteAuditEntry;
import io.refinery.warehouse.ingest.IngestRecords.StoredRoute;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.jooq.impl.DSL.inline;

/** Route definitions (routes are data) and the audit trail of every change to them. */
@Component
public class RouteStore {

    private final DSLContext dsl;
    private final BulkInserter inserter;

    RouteStore(DSLContext warehouseDsl, BulkInserter inserter) {
        this.dsl = warehouseDsl;
        this.inserter = inserter;
    }

    public List<StoredRoute> routes() {
        return dsl.fetch("""
                SELECT route_id, kind, entity, definition, desired_state, updated_by, toUnixTimestamp64Milli(updated_at)
                FROM ingest_routes FINAL WHERE deleted = 0 ORDER BY route_id""").map(RouteStore::routeOf);
    }

    public Optional<StoredRoute> route(String routeId) {
        return dsl.fetch("""
                SELECT route_id, kind, entity, definition, desired_state, updated_by, toUnixTimestamp64Milli(updated_at)
                FROM ingest_routes FINAL WHERE deleted = 0 AND route_id = {0}""", inline(routeId))
                .stream().findFirst().map(RouteStore::routeOf);
    }

    /** Saves (or deletes) a route and appends the audit entry describing the change. */
    public void save(StoredRoute route, boolean deleted, RouteAuditEntry audit) {
        long version = Versions.next();
        inserter.insertRowBinary("ingest_routes", List.of("route_id", "kind", "entity", "definition", "desired_state",
                "deleted", "updated_by", "updated_at", "version"), w -> w.string(route.routeId()).string(route.kind())
                .string(route.entity()).string(route.definition()).string(route.desiredState()).uint8(deleted ? 1 : 0)
                .string(route.updatedBy()).dateTime64Millis(route.updatedAt()).uint64(version));
        inserter.insertRowBinary("ingest_route_audit", List.of("route_id", "at", "actor", "action", "before", "after",
                "changes"), w -> w.string(audit.routeId()).dateTime64Millis(audit.at()).string(audit.actor())
                .string(audit.action()).string(audit.before()).string(audit.after()).string(audit.changes()));
    }

    public List<RouteAuditEntry> audit(String routeId) {
        return dsl.fetch("""
                SELECT route_id, toUnixTimestamp64Milli(at), actor, action, before, after, changes
                FROM ingest_route_audit WHERE ({0} = '' OR route_id = {0}) ORDER BY at, action""",
                inline(routeId == null ? "" : routeId))
                .map(r -> new RouteAuditEntry(r.get(0, String.class), Instant.ofEpochMilli(r.get(1, Long.class)),
                        r.get(2, String.class), r.get(3, String.class), r.get(4, String.class), r.get(5, String.class),
                        r.get(6, String.class)));
    }

    private static StoredRoute routeOf(Record r) {
        return new StoredRoute(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                r.get(3, String.class), r.get(4, String.class), r.get(5, String.class),
                Instant.ofEpochMilli(r.get(6, Long.class)));
    }
}
