package io.refinery.warehouse.lease;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lease this process holds: renewed in the background until {@link #close()} releases it. The
 * holder must stop the guarded work as soon as {@link #isHeld()} turns false (it says so to
 * {@link #onLost} listeners too): by then another replica may claim the key. {@link #epoch()} is the
 * fencing token: it grows with every new holder of the key, so writes stamped with it can be ordered.
 */
public final class Lease implements AutoCloseable {

    private final Leases leases;
    private final String key;
    private final long epoch;
    private final UUID claimId;
    private final Duration ttl;
    /** Local monotonic time by which the lease is surely still ours: the send time of the last renewal + ttl. */
    private volatile long deadlineNanos;
    /** Warehouse expiry (epoch ms) of the last claim or renewal known to be committed; renewals must be decided before it. */
    private volatile long confirmedExpiryMillis;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final List<Runnable> lostListeners = new CopyOnWriteArrayList<>();
    volatile ScheduledFuture<?> heartbeat;

    Lease(Leases leases, String key, long epoch, UUID claimId, Duration ttl, long deadlineNanos,
          long confirmedExpiryMillis) {
        this.leases = leases;
        this.key = key;
        this.epoch = epoch;
        this.claimId = claimId;
        this.ttl = ttl;
        this.deadlineNanos = deadlineNanos;
        this.confirmedExpiryMillis = confirmedExpiryMillis;
    }

    public String key() {
        return key;
    }

    public long epoch() {
        return epoch;
    }

    public String holder() {
        return leases.holderId();
    }

    UUID claimId() {
        return claimId;
    }

    Duration ttl() {
        return ttl;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    long confirmedExpiryMillis() {
        return confirmedExpiryMillis;
    }

    void extendTo(long deadline, long confirmedExpiry) {
        deadlineNanos = deadline;
        confirmedExpiryMillis = confirmedExpiry;
    }

    /** True until released, lost on a failed renewal, or past the last renewal's ttl. */
    public boolean isHeld() {
        return !ended.get() && System.nanoTime() - deadlineNanos < 0;
    }

    /** Runs {@code listener} once if the lease is lost (not when it is released); at once if already lost. */
    public void onLost(Runnable listener) {
        lostListeners.add(listener);
        if (ended.get() && !released) {
            listener.run();
        }
    }

    private volatile boolean released;

    /** Marks the lease lost for good: a lost lease is never renewed again, even if the warehouse would allow it. */
    void lose() {
        if (ended.compareAndSet(false, true)) {
            leases.forget(this);
            lostListeners.forEach(Runnable::run);
        }
    }

    /** Releases the lease so another replica can claim it at once. Stop the guarded work first. */
    @Override
    public void close() {
        if (ended.compareAndSet(false, true)) {
            released = true;
            leases.release(this);
        }
    }

    /** Test hook: stops renewing without releasing, as a process killed with -9 would. */
    void abandon() {
        if (ended.compareAndSet(false, true)) {
            released = true;
            leases.forget(this);
        }
    }

    @Override
    public String toString() {
        return "Lease[" + key + " epoch " + epoch + " by " + holder() + (isHeld() ? "" : ", ended") + "]";
    }
}
