package io.refinery.ingestion.admin;

import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionProperties;
import io.refinery.ingestion.Preview;
import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.RouteKind;
import io.refinery.ingestion.RouteOptions;
import io.refinery.ingestion.RouteStopRequested;
import io.refinery.ingestion.SourceRouteFactory;
import io.refinery.warehouse.ingest.IngestRecords.RouteAuditEntry;
import io.refinery.warehouse.ingest.IngestRecords.StoredRoute;
import io.refinery.warehouse.ingest.RouteStore;
import io.refinery.warehouse.lease.Lease;
import io.refinery.warehouse.lease.Leases;
import jakarta.annotation.PreDestroy;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Routes are data: create, read, update, delete, validate (dry run), start and stop, persisted in
 * the warehouse with an audit trail, applied to Camel at once (hot reload). Only the allowlisted
 * kinds and their options exist; a definition never carries a Camel URI, a path outside the
 * configured roots or a secret value.
 *
 * <p>Every started route has one active consumer across replicas: a replica runs a route only while
 * it holds the route's warehouse lease ({@code route:<id>}); it stops the consumer when it loses the
 * lease, and the replicas that do not run a started route try to take it over every third of the
 * lease ttl (so a crashed replica's routes move within about ttl + settle). Off with
 * {@code refinery.ingestion.route-leases=false} (one process only).
 */
@Component
public class RouteAdmin {

    private static final Logger log = LoggerFactory.getLogger(RouteAdmin.class);

    private final RouteStore store;
    private final CamelContext camel;
    private final Ingestion ingestion;
    private final IngestionProperties properties;
    private final Map<RouteKind, SourceRouteFactory> factories = new EnumMap<>(RouteKind.class);
    private final Leases leases;
    private final boolean routeLeases;
    /** The lease of each route running here, and the definition it runs with. */
    private final Map<String, Lease> heldLeases = new ConcurrentHashMap<>();
    private final Map<String, String> runningDefinitions = new ConcurrentHashMap<>();
    private ScheduledExecutorService takeover;

    RouteAdmin(RouteStore store, CamelContext camel, Ingestion ingestion, IngestionProperties properties,
               List<SourceRouteFactory> factories, Leases leases,
               @Value("${refinery.ingestion.route-leases:true}") boolean routeLeases) {
        this.store = store;
        this.camel = camel;
        this.ingestion = ingestion;
        this.properties = properties;
        this.leases = leases;
        this.routeLeases = routeLeases;
        factories.forEach(f -> this.factories.put(f.kind(), f));
    }

    public synchronized RouteView create(RouteDefinition definition, String actor) {
        if (store.route(definition.id()).isPresent()) {
            throw new RouteAdminException("route " + definition.id() + " already exists");
        }
        requireValid(definition);
        save(definition, RouteView.STOPPED, actor, "create", null);
        return get(definition.id()).orElseThrow();
    }

    public Optional<RouteView> get(String routeId) {
        return store.route(routeId).map(this::view);
    }

    public List<RouteView> list() {
        return store.routes().stream().map(this::view).toList();
    }

    /** Replaces a route's definition; a running route is reloaded with it. */
    public synchronized RouteView update(RouteDefinition definition, String actor) {
        StoredRoute current = existing(definition.id());
        requireValid(definition);
        RouteDefinition before = RouteDefinitions.fromJson(current.definition());
        save(definition, current.desiredState(), actor, "update", before);
        if (RouteView.STARTED.equals(current.desiredState()) && (!routeLeases || heldLeases.containsKey(definition.id()))) {
            runInCamel(definition); // elsewhere the replica running it reloads it at its next look
        }
        return get(definition.id()).orElseThrow();
    }

    public synchronized void delete(String routeId, String actor) {
        StoredRoute current = existing(routeId);
        removeFromCamel(routeId);
        releaseLease(routeId);
        RouteDefinition before = RouteDefinitions.fromJson(current.definition());
        Instant now = Instant.now();
        store.save(new StoredRoute(routeId, current.kind(), current.entity(), current.definition(), RouteView.STOPPED,
                actor, now), true, new RouteAuditEntry(routeId, now, actor, "delete", current.definition(), "",
                RouteDefinitions.changes(before, null)));
    }

    public synchronized RouteView start(String routeId, String actor) {
        StoredRoute current = existing(routeId);
        RouteDefinition definition = RouteDefinitions.fromJson(current.definition());
        requireValid(definition);
        claimAndRun(definition); // when another replica holds the route, it keeps consuming there
        save(definition, RouteView.STARTED, actor, "start", definition);
        return get(routeId).orElseThrow();
    }

    public synchronized RouteView stop(String routeId, String actor) {
        StoredRoute current = existing(routeId);
        removeFromCamel(routeId);
        releaseLease(routeId);
        RouteDefinition definition = RouteDefinitions.fromJson(current.definition());
        save(definition, RouteView.STOPPED, actor, "stop", definition);
        return get(routeId).orElseThrow();
    }

    /**
     * Dry run: checks the definition, connects to the source, reads a sample and shows what the
     * contract would do with it. Nothing is landed and nothing is stored.
     */
    public DryRun validate(RouteDefinition definition, int sampleSize) {
        SourceRouteFactory factory = factories.get(definition.kind());
        List<String> problems = new ArrayList<>(factory == null ? List.of("route kind not available")
                : factory.validate(definition));
        if (!problems.isEmpty()) {
            return new DryRun(false, problems, false, null, null, null);
        }
        try {
            SourceRouteFactory.Sample sample = factory.sample(definition, Math.max(1, Math.min(sampleSize, 1000)));
            IngestRequest request = request(definition, factory, sample.from(), properties.batchSize());
            Preview preview = ingestion.preview(request, sample.records());
            return new DryRun(true, List.of(), true, sample.from(), preview, null);
        } catch (Exception e) {
            return new DryRun(true, List.of(), false, null, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    public List<RouteAuditEntry> audit(String routeId) {
        return store.audit(routeId);
    }

    public List<RouteKind> kinds() {
        return List.copyOf(factories.keySet());
    }

    /** Allowed option names of a kind (for forms and the API's validation messages). */
    public List<String> options(RouteKind kind) {
        List<String> names = new ArrayList<>(factories.get(kind).optionNames());
        names.addAll(RouteOptions.COMMON);
        return names;
    }

    @EventListener
    void onStopRequested(RouteStopRequested request) {
        // Stopping from inside the route's own exchange would wait for itself: hand it over.
        CompletableFuture.runAsync(() -> {
            try {
                stop(request.routeId(), "system: " + request.reason());
            } catch (RuntimeException e) {
                log.warn("Could not stop route {}: {}", request.routeId(), e.getMessage());
            }
        });
    }

    @EventListener(ApplicationReadyEvent.class)
    void startStoredRoutes() {
        properties.routes().forEach((id, configured) -> {
            if (store.route(id).isEmpty()) {
                try {
                    create(new RouteDefinition(id, RouteKind.of(configured.kind()),
                            io.refinery.ingestion.Entity.of(configured.entity()), configured.driftPolicy(),
                            configured.options()), "config");
                    if (properties.autoStartRoutes()) {
                        start(id, "config");
                    }
                } catch (RuntimeException e) {
                    log.error("Configured route {} is not valid: {}", id, e.getMessage());
                }
            }
        });
        if (!properties.autoStartRoutes()) {
            return;
        }
        for (StoredRoute route : store.routes()) {
            if (RouteView.STARTED.equals(route.desiredState()) && camel.getRoute(route.routeId()) == null) {
                try {
                    claimAndRun(RouteDefinitions.fromJson(route.definition()));
                } catch (RuntimeException e) {
                    log.error("Stored route {} did not start: {}", route.routeId(), e.getMessage());
                }
            }
        }
        if (routeLeases) {
            long every = Math.max(500, leases.ttl().toMillis() / 3);
            takeover = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("route-takeover").daemon().factory());
            takeover.scheduleWithFixedDelay(this::reconcile, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Brings this replica in line with the stored routes: takes over started routes nobody holds,
     * stops routes stopped (or deleted) elsewhere, reloads routes updated elsewhere.
     */
    synchronized void reconcile() { // one at a time with start/stop/update: they read and write the same state
        try {
            Map<String, StoredRoute> stored = new java.util.HashMap<>();
            store.routes().forEach(r -> stored.put(r.routeId(), r));
            for (String routeId : List.copyOf(heldLeases.keySet())) {
                StoredRoute route = stored.get(routeId);
                if (route == null || !RouteView.STARTED.equals(route.desiredState())) {
                    synchronized (this) {
                        removeFromCamel(routeId);
                        releaseLease(routeId);
                    }
                } else if (!route.definition().equals(runningDefinitions.get(routeId))) {
                    synchronized (this) {
                        runInCamel(RouteDefinitions.fromJson(route.definition()));
                        runningDefinitions.put(routeId, route.definition());
                    }
                }
            }
            for (StoredRoute route : stored.values()) {
                if (RouteView.STARTED.equals(route.desiredState()) && !heldLeases.containsKey(route.routeId())) {
                    synchronized (this) {
                        claimAndRun(RouteDefinitions.fromJson(route.definition()));
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("Route takeover check failed: {}", e.getMessage());
        }
    }

    /** Routes consumed by this replica (for status and the multi-replica proof). */
    public List<String> runningHere() {
        return camel.getRoutes().stream().map(org.apache.camel.Route::getRouteId)
                .filter(id -> camel.getRouteController().getRouteStatus(id) == ServiceStatus.Started).sorted().toList();
    }

    @PreDestroy
    void handOver() {
        if (takeover != null) {
            takeover.shutdownNow();
        }
        for (String routeId : List.copyOf(heldLeases.keySet())) {
            try {
                removeFromCamel(routeId);
            } catch (RuntimeException e) {
                log.warn("Route {} did not stop cleanly: {}", routeId, e.getMessage());
            }
            releaseLease(routeId); // another replica takes over at once
        }
    }

    // ---- internals ------------------------------------------------------------------------------

    /**
     * Runs the route here if this replica holds (or can claim) its lease; false when another replica
     * consumes it.
     */
    private boolean claimAndRun(RouteDefinition definition) {
        if (!routeLeases) {
            runInCamel(definition);
            return true;
        }
        String routeId = definition.id();
        Lease lease = heldLeases.get(routeId);
        if (lease == null || !lease.isHeld()) {
            Optional<Lease> claimed = leases.tryAcquire("route:" + routeId);
            if (claimed.isEmpty()) {
                return false;
            }
            lease = claimed.get();
            heldLeases.put(routeId, lease);
            Lease held = lease;
            lease.onLost(() -> CompletableFuture.runAsync(() -> lost(routeId, held)));
        }
        try {
            runInCamel(definition);
            runningDefinitions.put(routeId, RouteDefinitions.toJson(definition));
            log.info("Route {} consumes on this replica ({}), lease epoch {}", routeId, leases.holderId(), lease.epoch());
            return true;
        } catch (RuntimeException e) {
            releaseLease(routeId);
            throw e;
        }
    }

    /** The lease expired or was taken over: stop consuming at once. */
    private synchronized void lost(String routeId, Lease lease) {
        if (heldLeases.remove(routeId, lease)) {
            runningDefinitions.remove(routeId);
            log.warn("Lost the lease of route {}: stopping its consumer here", routeId);
            try {
                removeFromCamel(routeId);
            } catch (RuntimeException e) {
                log.error("Route {} did not stop after losing its lease: {}", routeId, e.getMessage());
            }
        }
    }

    private void releaseLease(String routeId) {
        runningDefinitions.remove(routeId);
        Lease lease = heldLeases.remove(routeId);
        if (lease != null) {
            lease.close();
        }
    }

    private void requireValid(RouteDefinition definition) {
        SourceRouteFactory factory = factories.get(definition.kind());
        if (factory == null) {
            throw new RouteAdminException("route kind " + definition.kind().wireName() + " is not available");
        }
        List<String> problems = factory.validate(definition);
        if (!problems.isEmpty()) {
            throw new RouteAdminException("route " + definition.id() + " is not valid: " + String.join("; ", problems));
        }
    }

    private void runInCamel(RouteDefinition definition) {
        removeFromCamel(definition.id());
        // A process killed between landing a batch and processing it leaves the batch without an
        // outcome; sources that redeliver in other batches (MQTT) never land it again: finish it first.
        SourceRouteFactory factory = factories.get(definition.kind());
        ingestion.recover(request(definition, factory, "", 1));
        try {
            camel.addRoutes(factory.routeBuilder(definition));
            if (camel.getRouteController().getRouteStatus(definition.id()) != ServiceStatus.Started) {
                camel.getRouteController().startRoute(definition.id());
            }
        } catch (Exception e) {
            removeFromCamel(definition.id());
            throw new RouteAdminException("route " + definition.id() + " did not start: " + e.getMessage(), e);
        }
    }

    private void removeFromCamel(String routeId) {
        try {
            if (camel.getRoute(routeId) != null) {
                camel.getRouteController().stopRoute(routeId);
                camel.removeRoute(routeId);
            }
        } catch (Exception e) {
            throw new RouteAdminException("route " + routeId + " did not stop: " + e.getMessage(), e);
        }
    }

    private StoredRoute existing(String routeId) {
        return store.route(routeId).orElseThrow(() -> new RouteAdminException("no route " + routeId));
    }

    private void save(RouteDefinition definition, String desiredState, String actor, String action,
                      RouteDefinition before) {
        Instant now = Instant.now();
        String json = RouteDefinitions.toJson(definition);
        store.save(new StoredRoute(definition.id(), definition.kind().wireName(), definition.entity().wireName(), json,
                desiredState, actor, now), false, new RouteAuditEntry(definition.id(), now, actor, action,
                RouteDefinitions.toJson(before), json, action.equals("start") || action.equals("stop")
                ? "state: " + desiredState : RouteDefinitions.changes(before, definition)));
    }

    private RouteView view(StoredRoute route) {
        ServiceStatus status = camel.getRouteController().getRouteStatus(route.routeId());
        return new RouteView(RouteDefinitions.fromJson(route.definition()), route.desiredState(),
                status == null ? "not-running" : status.name().toLowerCase(), route.updatedBy(), route.updatedAt());
    }

    /** The ingest request of a route as its factory reads it: its column mapping, parse options and drift policy. */
    private static IngestRequest request(RouteDefinition definition, SourceRouteFactory factory, String sourceRef,
                                         int batchSize) {
        return new RouteOptions(definition, factory.optionNames()).request(definition.kind().source(), sourceRef, batchSize);
    }
}
