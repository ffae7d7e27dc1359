package io.refinery.api.cache;

import io.refinery.api.Blocking;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rendered responses of served-data reads, valid for one fingerprint of the data they were read
 * from. The fingerprint is probed at most once per {@code maxAge} for all requests together (one
 * round trip, shared while in flight), so a hit costs no warehouse call and no serialization, and
 * a response is never older than {@code maxAge} after the served layer changed. Concurrent misses of
 * the same key share one read. Bounded by bytes: when full it starts over (simple, and a full cache
 * of a busy API refills from the hottest keys first). Failures are never cached.
 */
public final class ServedResponseCache {

    private static final class Entry {
        private Mono<byte[]> response;
    }

    private static final Duration FOREVER = Duration.ofDays(365);

    private final Mono<String> fingerprint;
    private final long maxBytes;
    private final int maxEntryBytes;
    private final Map<Object, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private volatile String cachedFingerprint = "";

    /**
     * @param fingerprint   blocking probe of the data the responses depend on (run off the event loop)
     * @param maxAge        how long a probed fingerprint is trusted; zero probes on every request
     * @param maxBytes      total bytes of cached responses
     * @param maxEntryBytes larger responses are served but not kept
     */
    public ServedResponseCache(Callable<String> fingerprint, Duration maxAge, long maxBytes, int maxEntryBytes) {
        Mono<String> probe = Blocking.call(fingerprint);
        this.fingerprint = maxAge.isZero() ? probe : probe.cache(v -> maxAge, e -> Duration.ZERO, () -> Duration.ZERO);
        this.maxBytes = maxBytes;
        this.maxEntryBytes = maxEntryBytes;
    }

    /** The response for {@code key} under the current fingerprint, rendering it (blocking, off the event loop) on a miss. */
    public Mono<byte[]> get(Object key, Callable<byte[]> render) {
        Objects.requireNonNull(key);
        return fingerprint.flatMap(current -> {
            if (!current.equals(cachedFingerprint)) {
                synchronized (this) {
                    if (!current.equals(cachedFingerprint)) {
                        entries.clear();
                        bytes.set(0);
                        cachedFingerprint = current;
                    }
                }
            }
            Entry entry = entries.get(key);
            if (entry != null) {
                return entry.response;
            }
            Entry created = new Entry();
            created.response = Blocking.call(render)
                    .doOnNext(body -> keep(key, created, current, body.length))
                    .doOnError(e -> entries.remove(key, created))
                    .cache(v -> FOREVER, e -> Duration.ZERO, () -> Duration.ZERO);
            Entry raced = entries.putIfAbsent(key, created);
            return (raced == null ? created : raced).response;
        });
    }

    private void keep(Object key, Entry entry, String fingerprintOfBody, int length) {
        if (length > maxEntryBytes || !fingerprintOfBody.equals(cachedFingerprint)) {
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

    int size() {
        return entries.size();
    }
}
