package io.refinery.warehouse.lease;

import jakarta.annotation.PreDestroy;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.jooq.impl.DSL.inline;

/**
 * Warehouse-backed leases: at most one holder per key across every process that shares the
 * warehouse, with expiry, background renewal, release and a fencing epoch.
 *
 * <h2>Protocol (ClickHouse has no transactions)</h2>
 * The {@code leases} table is an append-only log. The state of a key is its newest epoch E: free when
 * E has a release row or when warehouse time is past the latest {@code expires_at} of E's rows plus
 * {@code settle}. Times are the warehouse's {@code now64()}, so replicas' clocks do not matter.
 * <ol>
 *   <li><b>Claim</b>: one conditional {@code INSERT … SELECT … WHERE} writes a claim for E+1 only if E is
 *   still the newest epoch and free, evaluated by the server at the instant {@code at} it stamps. A
 *   claim whose insert took longer than {@code settle} is void (the claimer walks away).</li>
 *   <li>The claimer waits {@code settle}, then reads E+1's claims: the least {@code (at, claim_id)} wins.</li>
 *   <li><b>Renew</b>: the holder appends a renewal with a new {@code expires_at}, conditional on E still
 *   being newest, not released, and the holder's last <i>confirmed</i> expiry not passed. A refused
 *   renewal loses the lease for good; one answered only after the holder's current deadline counts
 *   for nothing (neither the local deadline nor the confirmed expiry moves).</li>
 *   <li>The holder considers itself the holder only until (local send time of its last successful
 *   renewal) + ttl, which is never later than the expiry the server recorded.</li>
 * </ol>
 *
 * <h2>Why at most one holder (single server)</h2>
 * A ClickHouse INSERT is visible to every SELECT that starts after it returns. Take two claims X &lt; Y
 * of one epoch, both believing they won. Y read the claims at a time ≥ at(Y) + settle ≥ at(X) + settle;
 * X was committed by at(X) + settle (else X is void), so Y saw X and lost: contradiction. Claims of a
 * stale epoch are refused by the insert's condition. A new epoch is claimed only at a time c past the
 * newest visible expiry + settle. Each counted renewal was answered (so committed) before the holder's
 * previous deadline, which is before the previous confirmed expiry; by induction from the claim row,
 * every counted renewal is visible at c, so c is past the holder's confirmed expiry, and the holder
 * stopped at its local deadline, which is before that expiry. A holder's own release frees the epoch at once
 * (it stopped working first). Losers and void claims only ever make the key look busy longer.
 *
 * <h2>On a cluster</h2>
 * Keep {@code leases} on one shard as a ReplicatedMergeTree and write and read it with
 * {@code insert_quorum = 'auto'} (majority), {@code insert_quorum_parallel = 0} and
 * {@code select_sequential_consistency = 1}, so that a returned insert is visible to every later read on
 * any replica; {@code settle} must also cover the clock skew between ClickHouse nodes. See
 * docs/scale-out-coordination.md.
 */
@Component
public class Leases {

    private static final Logger log = LoggerFactory.getLogger(Leases.class);

    private final DSLContext dsl;
    private final LeaseProperties properties;
    private final ScheduledExecutorService heartbeats = Executors.newScheduledThreadPool(2,
            Thread.ofPlatform().name("lease-heartbeat-", 0).daemon().factory());
    private final Set<Lease> held = ConcurrentHashMap.newKeySet();

    public Leases(DSLContext warehouseDsl, LeaseProperties properties) {
        this.dsl = warehouseDsl;
        this.properties = properties;
    }

    public String holderId() {
        return properties.holder();
    }

    public Duration ttl() {
        return properties.ttl();
    }

    public Duration settle() {
        return properties.settle();
    }

    /** Claims {@code key} for the default ttl; empty when another process holds it or the claim lost a race. */
    public Optional<Lease> tryAcquire(String key) {
        return tryAcquire(key, properties.ttl());
    }

    public Optional<Lease> tryAcquire(String key, Duration ttl) {
        if (ttl.compareTo(properties.settle().multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("a lease ttl must be at least 3 x settle (" + properties.settle() + ")");
        }
        LeaseState state = state(key);
        if (!claimable(state)) {
            return Optional.empty();
        }
        long epoch = state.epoch() + 1;
        UUID claimId = UUID.randomUUID();
        long settleMillis = properties.settle().toMillis();
        long sent = System.nanoTime();
        dsl.execute("""
                INSERT INTO leases (lease_key, epoch, claim_id, op_id, holder, action, at, expires_at)
                SELECT {0}, {1}, toUUID({2}), toUUID({2}), {3}, 'claim', now64(3), now64(3) + toIntervalMillisecond({4})
                WHERE (SELECT max(epoch) FROM leases WHERE lease_key = {0}) = {5}
                  AND ((SELECT countIf(action = 'release') FROM leases WHERE lease_key = {0} AND epoch = {5}) > 0
                    OR (SELECT max(expires_at) FROM leases WHERE lease_key = {0} AND epoch = {5})
                       + toIntervalMillisecond({6}) < now64(3))""",
                inline(key), inline(epoch), inline(claimId.toString()), inline(holderId()), inline(ttl.toMillis()),
                inline(state.epoch()), inline(settleMillis));
        long returned = System.nanoTime();
        if (returned - sent > properties.settle().toNanos()) {
            log.debug("Claim of {} took {} ms (> settle): void", key, (returned - sent) / 1_000_000);
            return Optional.empty();
        }
        sleep(properties.settle());
        Record winner = dsl.fetchOne("""
                SELECT toString(argMin(claim_id, (at, claim_id))), count(),
                       toUnixTimestamp64Milli(maxIf(expires_at, claim_id = toUUID({2})))
                FROM leases WHERE lease_key = {0} AND epoch = {1} AND action = 'claim'""",
                inline(key), inline(epoch), inline(claimId.toString()));
        if (winner == null || winner.get(1, Long.class) == 0 || !claimId.toString().equals(winner.get(0, String.class))) {
            return Optional.empty();
        }
        Lease lease = new Lease(this, key, epoch, claimId, ttl, sent + ttl.toNanos(), winner.get(2, Long.class));
        if (!lease.isHeld()) {
            return Optional.empty(); // the claim took the whole ttl: it may already be claimable by others
        }
        held.add(lease);
        // Renew at once (a claim on a slow warehouse may have used much of the ttl), then every quarter ttl.
        long every = Math.max(1, ttl.toMillis() / 4);
        lease.heartbeat = heartbeats.scheduleWithFixedDelay(() -> heartbeat(lease), 0, every, TimeUnit.MILLISECONDS);
        log.info("Acquired lease {} (epoch {}) as {}", key, epoch, holderId());
        return Optional.of(lease);
    }

    /** The newest epoch of {@code key} and who holds it. */
    public LeaseState state(String key) {
        Record r = dsl.fetchOne("""
                SELECT epoch, countIf(action = 'release'), toUnixTimestamp64Milli(max(expires_at)),
                       argMinIf(holder, (at, claim_id), action = 'claim'), toUnixTimestamp64Milli(now64(3))
                FROM leases WHERE lease_key = {0} AND epoch = (SELECT max(epoch) FROM leases WHERE lease_key = {0})
                GROUP BY epoch""", inline(key));
        if (r == null) {
            return new LeaseState(key, 0, "", Instant.EPOCH, true, Instant.now());
        }
        return new LeaseState(key, r.get(0, Long.class), r.get(3, String.class),
                Instant.ofEpochMilli(r.get(2, Long.class)), r.get(1, Long.class) > 0, Instant.ofEpochMilli(r.get(4, Long.class)));
    }

    /** The states of every key starting with {@code prefix}, by key. */
    public List<LeaseState> states(String prefix) {
        return dsl.fetch("""
                SELECT lease_key, epoch, countIf(action = 'release'), toUnixTimestamp64Milli(max(expires_at)),
                       argMinIf(holder, (at, claim_id), action = 'claim'), toUnixTimestamp64Milli(now64(3))
                FROM leases WHERE startsWith(lease_key, {0}) AND (lease_key, epoch) IN
                      (SELECT lease_key, max(epoch) FROM leases WHERE startsWith(lease_key, {0}) GROUP BY lease_key)
                GROUP BY lease_key, epoch ORDER BY lease_key""", inline(prefix))
                .map(r -> new LeaseState(r.get(0, String.class), r.get(1, Long.class), r.get(4, String.class),
                        Instant.ofEpochMilli(r.get(3, Long.class)), r.get(2, Long.class) > 0,
                        Instant.ofEpochMilli(r.get(5, Long.class))));
    }

    private boolean claimable(LeaseState state) {
        return state.epoch() == 0 || state.released()
                || state.observedAt().isAfter(state.expiresAt().plus(properties.settle()));
    }

    private void heartbeat(Lease lease) {
        if (!lease.isHeld()) {
            log.warn("Lost lease {} (epoch {}): no renewal succeeded within its ttl", lease.key(), lease.epoch());
            lease.lose();
            return;
        }
        try {
            String refused = renew(lease);
            if (refused != null && lease.isHeld()) { // (not when released meanwhile)
                log.warn("Lost lease {} (epoch {}): {}", lease.key(), lease.epoch(), refused);
                lease.lose();
            }
        } catch (RuntimeException e) { // no answer: extends nothing; retried at the next beat if time is left
            if (!lease.isHeld()) {
                log.warn("Lost lease {} (epoch {}): no renewal within its ttl ({})", lease.key(), lease.epoch(), e.getMessage());
                lease.lose();
            } else {
                log.debug("Renewal of {} failed, retrying before its deadline: {}", lease.key(), e.getMessage());
            }
        }
    }

    /**
     * One renewal; null when done, else why the lease is lost. A renewal counts only if it was answered
     * before the holder's current deadline (so before the confirmed expiry: any claimer, who must wait
     * until that expiry + settle, will see it); a later answer extends nothing.
     */
    String renew(Lease lease) {
        UUID op = UUID.randomUUID();
        long sent = System.nanoTime();
        if (sent - lease.deadlineNanos() >= 0) {
            return "past its deadline";
        }
        dsl.execute("""
                INSERT INTO leases (lease_key, epoch, claim_id, op_id, holder, action, at, expires_at)
                SELECT {0}, {1}, toUUID({2}), toUUID({3}), {4}, 'renew', now64(3), now64(3) + toIntervalMillisecond({5})
                WHERE (SELECT max(epoch) FROM leases WHERE lease_key = {0}) = {1}
                  AND (SELECT countIf(action = 'release') FROM leases WHERE lease_key = {0} AND epoch = {1}) = 0
                  AND now64(3) < fromUnixTimestamp64Milli({6}, 'UTC')""",
                inline(lease.key()), inline(lease.epoch()), inline(lease.claimId().toString()), inline(op.toString()),
                inline(holderId()), inline(lease.ttl().toMillis()), inline(lease.confirmedExpiryMillis()));
        long returned = System.nanoTime();
        Record written = dsl.fetchOne("SELECT count(), toUnixTimestamp64Milli(max(expires_at)) FROM leases"
                        + " WHERE lease_key = {0} AND epoch = {1} AND op_id = toUUID({2})",
                inline(lease.key()), inline(lease.epoch()), inline(op.toString()));
        if (written == null || written.get(0, Long.class) == 0) {
            return "the warehouse refused the renewal (taken over, released or expired)";
        }
        if (returned - lease.deadlineNanos() >= 0) {
            // Answered after our deadline: a claimer may already have looked without seeing it.
            log.debug("Renewal of {} answered after the lease's deadline: not counted", lease.key());
            return null;
        }
        lease.extendTo(sent + lease.ttl().toNanos(), written.get(1, Long.class));
        return null;
    }

    void release(Lease lease) {
        stopHeartbeat(lease);
        try {
            dsl.execute("""
                    INSERT INTO leases (lease_key, epoch, claim_id, op_id, holder, action, at, expires_at)
                    SELECT {0}, {1}, toUUID({2}), generateUUIDv4(), {3}, 'release', now64(3), now64(3)""",
                    inline(lease.key()), inline(lease.epoch()), inline(lease.claimId().toString()), inline(holderId()));
            log.info("Released lease {} (epoch {})", lease.key(), lease.epoch());
        } catch (RuntimeException e) {
            log.warn("Could not release lease {} (it expires on its own): {}", lease.key(), e.getMessage());
        }
    }

    void forget(Lease lease) {
        stopHeartbeat(lease);
    }

    private void stopHeartbeat(Lease lease) {
        held.remove(lease);
        if (lease.heartbeat != null) {
            lease.heartbeat.cancel(false);
        }
    }

    /** Releases every lease still held (orderly shutdown), so other replicas take over at once. */
    @PreDestroy
    public void close() {
        for (Lease lease : List.copyOf(held)) {
            lease.close();
        }
        heartbeats.shutdownNow();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while claiming a lease", e);
        }
    }
}
