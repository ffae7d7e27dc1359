package io.refinery.warehouse.ingest;

import java.util.concurrent.atomic.AtomicLong;

/** Strictly increasing versions for ReplacingMergeTree rows written by this process. */
final class Versions {

    private static final AtomicLong LAST = new AtomicLong();

    private Versions() {
    }

    static long next() {
        long now = System.currentTimeMillis() * 1_000_000L;
        return LAST.updateAndGet(last -> Math.max(last + 1, now));
    }
}
