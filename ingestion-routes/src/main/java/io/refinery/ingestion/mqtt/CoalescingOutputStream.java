package io.refinery.ingestion.mqtt;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Buffers what is written and, on a flush, writes it to the underlying stream once a delay has passed since
 * the first flush not yet done (from a timer thread), or at once when the buffer fills: the flushes of a burst
 * of small packets become one write. Bytes keep their order; a delayed write's failure is thrown by the next
 * write or flush.
 */
final class CoalescingOutputStream extends OutputStream {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("mqtt-flush").daemon(true).factory());

    private final OutputStream out;
    private final byte[] buffer;
    private final long delayNanos;
    private int count;
    private boolean flushPending;
    private IOException failure;

    CoalescingOutputStream(OutputStream out, int bufferBytes, long delayNanos) {
        this.out = out;
        this.buffer = new byte[bufferBytes];
        this.delayNanos = delayNanos;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        check();
        if (count == buffer.length) {
            drain();
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        check();
        if (len > buffer.length - count) {
            drain();
        }
        if (len >= buffer.length) {
            out.write(b, off, len);
            return;
        }
        System.arraycopy(b, off, buffer, count, len);
        count += len;
    }

    /** Has the buffered bytes written within the delay; a flush already scheduled takes them along. */
    @Override
    public synchronized void flush() throws IOException {
        check();
        if (count > 0 && !flushPending) {
            flushPending = true;
            TIMER.schedule(this::flushOnTimer, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Writes the buffered bytes now. */
    synchronized void flushNow() throws IOException {
        flushPending = false;
        drain();
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            flushNow();
        } finally {
            out.close();
        }
    }

    private synchronized void flushOnTimer() {
        try {
            flushNow();
        } catch (IOException e) {
            failure = e;
        }
    }

    private void drain() throws IOException {
        if (count > 0) {
            int n = count;
            count = 0;
            out.write(buffer, 0, n);
        }
    }

    private void check() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }
}
