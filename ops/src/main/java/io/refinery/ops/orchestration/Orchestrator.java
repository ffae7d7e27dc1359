package io.refinery.ops.orchestration;

import io.refinery.warehouse.jobs.AssetVersions;
import io.refinery.warehouse.jobs.JobRunFilter;
import io.refinery.warehouse.jobs.JobRunRow;
import io.refinery.warehouse.jobs.JobRunStore;
import io.refinery.warehouse.lease.Lease;
import io.refinery.warehouse.lease.LeaseState;
import io.refinery.warehouse.lease.Leases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.support.CronExpression;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Runs the job graph: evaluates triggers every tick (cron fires, upstream asset versions), keeps the
 * resulting occasions pending until this replica holds the job+scope lease, runs each occasion once
 * across all replicas (the run history, read under the lease, says whether anyone already did),
 * with retries and exponential backoff, a timeout per attempt, progress and a stored history.
 * Backfills run on their own bounded lane so the online lane keeps its freshness.
 */
public class Orchestrator implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Orchestrator.class);
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
            .withZone(ZoneOffset.UTC);
    static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "BLOCKED");

    private final Map<String, JobStep> online = new LinkedHashMap<>();
    private final Map<String, BackfillStep> backfills = new LinkedHashMap<>();
    private final Leases leases;
    private final JobRunStore history;
    private final AssetVersions assets;
    private final OrchestrationProperties properties;

    private final Map<String, Occasion> pending = new ConcurrentHashMap<>();
    private final Set<String> runningLocally = ConcurrentHashMap.newKeySet();
    private final Map<String, String> lastDataKey = new ConcurrentHashMap<>();
    /** Slots held back until a time (a data-triggered job inside its quiet period): no lease claims meanwhile. */
    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();
    private final Map<String, CronExpression> crons = new HashMap<>();
    private volatile Instant lastTick;
    private ScheduledExecutorService ticker;
    private ExecutorService onlineLane;
    private ExecutorService backfillLane;
    private volatile boolean running;

    public Orchestrator(List<JobStep> steps, Leases leases, JobRunStore history, AssetVersions assets,
                        OrchestrationProperties properties) {
        for (JobStep step : steps) {
            if (!step.name().matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("job name '" + step.name() + "' must match [a-z0-9-]+");
            }
            if (online.containsKey(step.name()) || backfills.containsKey(step.name())) {
                throw new IllegalArgumentException("two jobs named " + step.name());
            }
            if (step instanceof BackfillStep backfill) {
                backfills.put(step.name(), backfill);
            } else {
                online.put(step.name(), step);
                if (step.schedule() != null && !step.schedule().isBlank() && !"-".equals(step.schedule())) {
                    crons.put(step.name(), CronExpression.parse(step.schedule()));
                }
            }
        }
        this.leases = leases;
        this.history = history;
        this.assets = assets;
        this.properties = properties;
    }

    // ---- the facade -------------------------------------------------------------------------------

    /** The graph: every job with its triggers, lease holders and newest runs. */
    public List<JobView> jobs() {
        List<LeaseState> states = leases.states("job:");
        Map<String, List<JobRunRow>> latest = history.latestPerJob().stream()
                .collect(Collectors.groupingBy(JobRunRow::job));
        List<JobView> views = new ArrayList<>();
        for (JobStep step : allSteps()) {
            String prefix = "job:" + step.name() + ":";
            views.add(new JobView(step.name(), step.description(), step instanceof BackfillStep ? Occasion.BACKFILL
                    : Occasion.ONLINE, step.upstream(), step.schedule(), step.scopes(), step.timeout().toSeconds(),
                    step.maxAttempts(), states.stream().filter(s -> s.key().startsWith(prefix)).toList(),
                    latest.getOrDefault(step.name(), List.of())));
        }
        return views;
    }

    public List<JobRunRow> runs(JobRunFilter filter, int offset, int limit) {
        return history.find(filter, offset, limit);
    }

    public long countRuns(JobRunFilter filter) {
        return history.count(filter);
    }

    /** Queues a run by hand; returns its occasion key (the runs carry it as trigger key). */
    public String runNow(String job, String scope, String actor) {
        JobStep step = online.get(job);
        if (step == null) {
            throw new UnknownJobException(job, online.keySet());
        }
        String effectiveScope = scope == null || scope.isBlank() ? step.scopes().getFirst() : scope;
        if (!step.scopes().contains(effectiveScope)) {
            throw new IllegalArgumentException("job " + job + " has no scope '" + effectiveScope + "'; one of " + step.scopes());
        }
        String key = "manual:" + actor + ":" + UUID.randomUUID();
        enqueue(new Occasion(step, effectiveScope, Occasion.ONLINE, "manual", key, null, null));
        return key;
    }

    /**
     * Queues a backfill of [from, to) on the backfill lane, in chunks; returns the request id (the
     * chunks' trigger keys start with it) and the number of chunks.
     */
    public Backfill backfill(Instant from, Instant to, String actor) {
        if (from == null || to == null || !from.isBefore(to)) {
            throw new IllegalArgumentException("a backfill needs from < to");
        }
        if (backfills.isEmpty()) {
            throw new IllegalStateException("no backfill step is configured");
        }
        String requestId = "backfill:" + actor + ":" + UUID.randomUUID();
        int chunks = 0;
        for (Instant start = from; start.isBefore(to); start = start.plus(properties.backfillChunk())) {
            Instant end = start.plus(properties.backfillChunk()).isBefore(to) ? start.plus(properties.backfillChunk()) : to;
            for (BackfillStep step : backfills.values()) {
                Occasion occasion = new Occasion(step, start + "/" + end, Occasion.BACKFILL, "backfill",
                        requestId + ":" + start, start, end);
                backfillLane.submit(() -> runBackfillChunk(occasion));
            }
            chunks++;
        }
        return new Backfill(requestId, chunks);
    }

    public record Backfill(String requestId, int chunks) {
    }

    /** Thrown for a job name the graph does not have. */
    public static final class UnknownJobException extends IllegalArgumentException {
        public UnknownJobException(String job, Set<String> known) {
            super("no job '" + job + "'; one of " + known);
        }
    }

    // ---- lifecycle -----------------------------------------------------------------------------------

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        onlineLane = Executors.newFixedThreadPool(properties.onlineConcurrency(),
                Thread.ofPlatform().name("jobs-online-", 0).daemon().factory());
        backfillLane = Executors.newFixedThreadPool(properties.backfillConcurrency(),
                Thread.ofPlatform().name("jobs-backfill-", 0).daemon().factory());
        ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("jobs-ticker").daemon().factory());
        lastTick = Instant.now();
        running = true;
        ticker.scheduleWithFixedDelay(this::safeTick, 0, properties.tick().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Orchestrating {} jobs and {} backfill steps as {}", online.size(), backfills.size(), leases.holderId());
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        ticker.shutdownNow();
        backfillLane.shutdownNow(); // a backfill chunk is long and idempotent: it is simply run again
        onlineLane.shutdown();
        try {
            // A run interrupted here is not final, so another replica would run its occasion a second time:
            // let short runs finish instead.
            if (!onlineLane.awaitTermination(properties.stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Interrupting online runs still busy after {}", properties.stopGrace());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            onlineLane.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100; // after everything it uses has started, stopped before them
    }

    // ---- triggers --------------------------------------------------------------------------------------

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("Orchestrator tick failed: {}", e.getMessage());
        }
    }

    void tick() {
        Instant now = Instant.now();
        Instant since = lastTick;
        Map<String, Long> versions = new HashMap<>();
        for (JobStep step : online.values()) {
            CronExpression cron = crons.get(step.name());
            if (cron != null) {
                ZonedDateTime fire = null;
                for (ZonedDateTime next = cron.next(since.atZone(ZoneOffset.UTC)); next != null
                        && !next.toInstant().isAfter(now); next = cron.next(next)) {
                    fire = next; // several missed fires coalesce into the newest
                }
                if (fire != null) {
                    for (String scope : step.scopes()) {
                        enqueue(new Occasion(step, scope, Occasion.ONLINE, "schedule",
                                "schedule:" + fire.toInstant(), null, null));
                    }
                }
            }
            if (!step.upstream().isEmpty()) {
                List<String> parts = new ArrayList<>();
                boolean any = false;
                for (String asset : step.upstream()) {
                    long version = versions.computeIfAbsent(asset, assets::version);
                    any |= version > 0;
                    parts.add(asset + "=" + version);
                }
                String key = "data:" + String.join(",", parts);
                for (String scope : step.scopes()) {
                    String slot = step.name() + "|" + scope;
                    if (any && !key.equals(lastDataKey.put(slot, key))) {
                        enqueue(new Occasion(step, scope, Occasion.ONLINE, "data", key, null, null));
                    }
                }
            }
        }
        lastTick = now;
        dispatch();
    }

    private void enqueue(Occasion occasion) {
        pending.put(occasion.slot(), occasion);
        if (running && ticker != null) {
            ticker.execute(this::dispatch);
        }
    }

    private synchronized void dispatch() {
        Instant now = Instant.now();
        for (Occasion occasion : List.copyOf(pending.values())) {
            String key = occasion.leaseKey();
            Instant wait = notBefore.get(occasion.slot());
            if (wait != null && wait.isAfter(now)) {
                continue;
            }
            if (running && pending.remove(occasion.slot(), occasion) && runningLocally.add(key)) {
                onlineLane.submit(() -> {
                    try {
                        runOnline(occasion);
                    } finally {
                        runningLocally.remove(key);
                    }
                });
            } else if (runningLocally.contains(key)) {
                pending.putIfAbsent(occasion.slot(), occasion); // runs after the current one here
            }
        }
    }

    private void runOnline(Occasion occasion) {
        if (!running) {
            return; // stopping: every replica computes the same occasions, so another one takes it
        }
        Optional<Lease> claimed;
        try {
            claimed = leases.tryAcquire(occasion.leaseKey());
        } catch (RuntimeException e) {
            log.warn("Could not claim {}: {}", occasion.leaseKey(), e.getMessage());
            claimed = Optional.empty();
        }
        if (claimed.isEmpty()) {
            pending.putIfAbsent(occasion.slot(), occasion); // another replica runs it now; look again later
            return;
        }
        try (Lease lease = claimed.get()) {
            Optional<JobRunRow> previous = history.latestFor(occasion.step().name(), occasion.scope(), occasion.triggerKey());
            if (previous.isPresent() && FINAL.contains(previous.get().status())) {
                return; // another replica (or this one) already ran this occasion
            }
            previous.filter(p -> "RUNNING".equals(p.status())).ifPresent(this::markAbandoned);
            if ("data".equals(occasion.trigger()) && !occasion.step().quietPeriod().isZero()) {
                Optional<JobRunRow> lastData = history.latestByTrigger(occasion.step().name(), occasion.scope(), "data");
                if (lastData.isPresent() && lastData.get().startedAt().plus(occasion.step().quietPeriod()).isAfter(Instant.now())) {
                    notBefore.put(occasion.slot(), lastData.get().startedAt().plus(occasion.step().quietPeriod()));
                    pending.putIfAbsent(occasion.slot(), occasion); // picked up after the quiet period
                    return;
                }
            }
            execute(occasion, lease);
        }
    }

    private void runBackfillChunk(Occasion occasion) {
        for (int tries = 0; tries < 10; tries++) {
            Optional<Lease> claimed = leases.tryAcquire(occasion.leaseKey());
            if (claimed.isPresent()) {
                try (Lease lease = claimed.get()) {
                    execute(occasion, lease);
                }
                return;
            }
            sleepQuietly(leases.ttl().dividedBy(3));
        }
        log.warn("Backfill chunk {} skipped: its lease stayed taken", occasion.leaseKey());
    }

    /** A RUNNING row whose lease we now hold belongs to a replica that died: say so in the history. */
    private void markAbandoned(JobRunRow stale) {
        history.save(new JobRunRow(stale.runId(), stale.job(), stale.scope(), stale.lane(), stale.trigger(),
                stale.triggerKey(), stale.attempt(), stale.replica(), stale.leaseEpoch(), "LEASE_LOST", stale.progress(),
                stale.startedAt(), Instant.now(), Duration.between(stale.startedAt(), Instant.now()).toMillis(),
                "the replica running it stopped renewing its lease", stale.detail()));
    }

    // ---- running -----------------------------------------------------------------------------------------

    private void execute(Occasion occasion, Lease lease) {
        JobStep step = occasion.step();
        for (int attempt = 1; attempt <= step.maxAttempts(); attempt++) {
            if (!lease.isHeld()) {
                return;
            }
            String status = attempt(occasion, lease, attempt);
            if (!status.equals("FAILED") && !status.equals("TIMED_OUT")) {
                return;
            }
            if (attempt < step.maxAttempts()) {
                long backoff = Math.min(properties.maxRetryBackoff().toMillis(),
                        properties.retryBackoff().toMillis() << Math.min(20, attempt - 1));
                sleepQuietly(Duration.ofMillis(backoff));
            }
        }
    }

    private String attempt(Occasion occasion, Lease lease, int attempt) {
        String runId = "job-" + RUN_ID_TIME.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
        Attempt context = new Attempt(this, occasion, runId, attempt, lease.epoch(), Instant.now());
        context.save("RUNNING", null);
        // Every log line of the job, on its own thread, carries its run id and name: JSON logs correlate on them.
        FutureTask<Void> work = new FutureTask<>(() -> {
            try (MDC.MDCCloseable id = MDC.putCloseable("jobId", runId);
                 MDC.MDCCloseable name = MDC.putCloseable("job", occasion.step().name())) {
                occasion.step().run(context);
            }
            return null;
        });
        Thread.ofVirtual().name("job-" + occasion.step().name() + "-" + attempt).start(work);
        lease.onLost(() -> {
            context.cancel("LEASE_LOST");
            work.cancel(true);
        });
        String status;
        String error = null;
        try {
            work.get(occasion.step().timeout().toMillis(), TimeUnit.MILLISECONDS);
            status = "SUCCEEDED";
        } catch (TimeoutException e) {
            context.cancel("TIMED_OUT");
            work.cancel(true);
            status = "TIMED_OUT";
            error = "no result within " + occasion.step().timeout();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            status = cause instanceof JobContext.Halted ? "BLOCKED" : "FAILED";
            error = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        } catch (java.util.concurrent.CancellationException e) {
            status = context.cancelReason() == null ? "FAILED" : context.cancelReason();
            error = "cancelled: " + status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            work.cancel(true);
            status = "INTERRUPTED"; // not final: another replica runs the occasion again
            error = "the orchestrator stopped";
        }
        if (!lease.isHeld() && !status.equals("SUCCEEDED")) {
            status = "LEASE_LOST";
        }
        context.save(status, error);
        if (!status.equals("SUCCEEDED")) {
            try (MDC.MDCCloseable id = MDC.putCloseable("jobId", runId)) {
                log.warn("Job {} [{}] attempt {} {}: {}", occasion.step().name(), occasion.scope(), attempt, status, error);
            }
        }
        return status;
    }

    void save(JobRunRow row) {
        try {
            history.save(row);
        } catch (RuntimeException e) {
            log.warn("Could not store the state of run {}: {}", row.runId(), e.getMessage());
        }
    }

    String replica() {
        return leases.holderId();
    }

    private List<JobStep> allSteps() {
        List<JobStep> all = new ArrayList<>(online.values());
        all.addAll(backfills.values());
        return all;
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
