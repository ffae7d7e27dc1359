package io.refinery.ingestion.mqtt;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoalescingOutputStreamTest {

    /** The bytes and how many writes reached the stream under the coalescing one. */
    private static final class Recording extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> writes = new ArrayList<>();
        volatile boolean broken;

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (broken) {
                throw new IOException("broken pipe");
            }
            bytes.write(b, off, len);
            writes.add(len);
        }

        synchronized int size() {
            return bytes.size();
        }
    }

    private static void awaitSize(Recording out, int size) throws InterruptedException {
        for (int i = 0; i < 500 && out.size() < size; i++) {
            Thread.sleep(2);
        }
    }

    @Test
    void aBurstOfFlushedPacketsArrivesWholeInOrderInFewWrites() throws Exception {
        Recording out = new Recording();
        CoalescingOutputStream stream = new CoalescingOutputStream(out, 1024, 5_000_000);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 1_000; i++) { // a PUBACK each: four bytes, flushed, as Paho sends them
            byte[] puback = {0x40, 0x02, (byte) (i >> 8), (byte) i};
            stream.write(puback[0]);
            stream.write(puback, 1, 3);
            stream.flush();
            expected.write(puback);
        }

        awaitSize(out, 4_000);

        assertThat(out.bytes.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(out.writes.size()).as("a write per buffer's worth, not per flush").isLessThan(20);
    }

    @Test
    void aWriteLargerThanTheBufferFollowsWhatWasBufferedBeforeIt() throws Exception {
        Recording out = new Recording();
        CoalescingOutputStream stream = new CoalescingOutputStream(out, 16, 1_000_000);
        byte[] large = new byte[100];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i + 10);
        }
        stream.write(new byte[] {1, 2, 3}, 0, 3);
        stream.write(large, 0, large.length);
        stream.write(9);
        stream.flushNow();

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(new byte[] {1, 2, 3});
        expected.write(large);
        expected.write(9);
        assertThat(out.bytes.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void aDelayedWriteThatFailsFailsTheNextWrite() throws Exception {
        Recording out = new Recording();
        out.broken = true;
        CoalescingOutputStream stream = new CoalescingOutputStream(out, 64, 1_000_000);
        stream.write(new byte[] {0x40, 0x02, 0, 1}, 0, 4);
        stream.flush();

        Thread.sleep(50); // the delayed write has failed by now

        assertThatThrownBy(() -> stream.write(1)).isInstanceOf(IOException.class).hasMessage("broken pipe");
    }
}
