package io.refinery.api.cache;

import io.refinery.api.Blocking;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rendered responses of served-data reads, valid for one fingerprint of the data they were read
 * from. The fingerprint is re-probed in the background at most once per {@code maxAge} while
 * requests come in (stale-while-revalidate): a hit costs no warehouse call, no serialization and no
 * wait for a probe, and a response is at most {@code maxAge} plus one probe older than the served
 * layer. With {@code maxAge} zero every request probes first (strict: tests, or deployments that
 * must never serve superseded data). Concurrent misses of the same key share one read. Bounded by
 * bytes: when full it starts over (simple, and a busy API refills from its hottest keys first).
 * Failures are never cached.
 */
public final class ServedResponseCache {

    private static final class Entry {
        private Mono<byte[]> response;
    }

    private final Mono<String> probe;
    private final long maxAgeNanos;
    private final long maxBytes;
    private final int maxEntryBytes;
    private final Map<Object, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile String cachedFingerprint;
    private volatile long probedAtNanos;

    /**
     * @param fingerprint   blocking probe of the data the responses depend on (run off the event loop)
     * @param maxAge        how long a probed fingerprint is trusted; zero probes on every request
     * @param maxBytes      total bytes of cached responses
     * @param maxEntryBytes larger responses are served but not kept
     */
    public ServedResponseCache(Callable<String> fingerprint, Duration maxAge, long maxBytes, int maxEntryBytes) {
        this.probe = Blocking.call(fingerprint);
        this.maxAgeNanos = maxAge.toNanos();
        this.maxBytes = maxBytes;
        this.maxEntryBytes = maxEntryBytes;
    }

    /** The fingerprint to serve under: the last probed one, re-probed in the background when old. */
    private Mono<String> fingerprint() {
        String known = cachedFingerprint;
        if (known == null || maxAgeNanos == 0) {
            return probe.doOnNext(this::adopt);
        }
        if (System.nanoTime() - probedAtNanos > maxAgeNanos && probing.compareAndSet(false, true)) {
            probe.doOnNext(this::adopt).doFinally(signal -> probing.set(false)).subscribe(v -> { }, e -> { });
        }
        return Mono.just(known);
    }

    /** A newer fingerprint: responses of the old one are dropped. */
    private void adopt(String current) {
        probedAtNanos = System.nanoTime();
        if (!current.equals(cachedFingerprint)) {
            synchronized (this) {
                if (!current.equals(cachedFingerprint)) {
                    entries.clear();
                    bytes.set(0);
                    cachedFingerprint = current;
                }
            }
        }
    }

    /** The response for {@code key} under the current fingerprint, rendering it (blocking, off the event loop) on a miss. */
    public Mono<byte[]> get(Object key, Callable<byte[]> render) {
        Objects.requireNonNull(key);
        return fingerprint().flatMap(current -> {
            Entry entry = entries.get(key);
            if (entry != null) {
                return entry.response;
            }
            Entry created = new Entry();
            // cache() without a time to live: a finite one, however long, schedules a timer task per entry
            // that holds the response until it fires, long after the entry left the map (the 30-minute soak
            // found that leak). A failure is dropped from the map instead, so the next request reads again.
            created.response = Blocking.call(render)
                    .doOnNext(body -> keep(key, created, current, body.length))
                    .doOnError(e -> entries.remove(key, created))
                    .cache();
            Entry raced = entries.putIfAbsent(key, created);
            return (raced == null ? created : raced).response;
        });
    }

    private void keep(Object key, Entry entry, String fingerprintOfBody, int length) {
        if (length > maxEntryBytes || !fingerprintOfBody.equals(cachedFingerprint)) {
            // too large, or read under a fingerprint that has been superseded meanwhile
            entries.remove(key, entry);
            return;
        }
        if (bytes.addAndGet(length) > maxBytes) {
            synchronized (this) {
                entries.clear();
                bytes.set(0);
            }
        }
    }

}
