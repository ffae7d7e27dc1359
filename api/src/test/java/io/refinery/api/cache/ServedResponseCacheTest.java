package io.refinery.api.cache;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServedResponseCacheTest {

    private final AtomicReference<String> fingerprint = new AtomicReference<>("v1");
    /** maxAge zero: every request probes the fingerprint first, so a change shows at once. */
    private final ServedResponseCache cache = new ServedResponseCache(fingerprint::get, Duration.ZERO, 1 << 24, 1 << 22);

    @Test
    void a_hit_is_served_without_rendering_again_until_the_data_changes() {
        AtomicInteger renders = new AtomicInteger();
        byte[] first = cache.get("k", () -> new byte[]{(byte) renders.incrementAndGet()}).block();
        byte[] second = cache.get("k", () -> new byte[]{(byte) renders.incrementAndGet()}).block();
        assertThat(second).isSameAs(first);
        fingerprint.set("v2");
        assertThat(cache.get("k", () -> new byte[]{(byte) renders.incrementAndGet()}).block()).containsExactly(2);
    }

    @Test
    void a_failure_is_not_kept() {
        assertThatThrownBy(() -> cache.get("k", () -> {
            throw new IllegalStateException("warehouse away");
        }).block()).hasMessageContaining("warehouse away");
        assertThat(cache.get("k", () -> new byte[]{7}).block()).containsExactly(7);
    }

    /** The soak's finding: responses dropped from the cache stayed reachable (a timer task per entry). */
    @Test
    void a_dropped_response_becomes_garbage() throws InterruptedException {
        byte[][] holder = {new byte[1 << 20]};
        WeakReference<byte[]> body = new WeakReference<>(holder[0]);
        cache.get("k", () -> holder[0]).block();
        holder[0] = null;
        fingerprint.set("v2");
        cache.get("other", () -> new byte[1]).block(); // adopts v2: the entries of v1 are dropped
        for (int i = 0; i < 100 && body.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(body.get()).as("the dropped response is still reachable").isNull();
    }
}
