package io.refinery.ops.bench.ingestion;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The separate publisher of the MQTT benchmark: publishes {@code count} QoS 1 readings at
 * {@code rate} messages per second, each with its publish time as the observation time (so the
 * warehouse can compute publish → queryable latency), with a bounded window of unacknowledged
 * publishes. Args: brokerUrl topicPrefix count rate [devicePrefix=bench- [warmupCount warmupPrefix]].
 *
 * <p>With a warm-up, one process publishes both: the warm-up first, then a {@code WARMED} line, and the
 * measured run once a line arrives on standard input. A fresh publisher JVM per phase spent its own first
 * seconds compiling, on the same two cores as the ingesting JVM, at the start of the measured run.
 *
 * <p>It speaks MQTT 5 itself (CONNECT, QoS 1 PUBLISH, PUBACK, DISCONNECT over tcp://), as load generators
 * do: the benchmark runs publisher, broker and ingesting service on one two-core machine, and Paho's
 * client cost half a core at 19 k msg/s (a thread hand-off and a socket write per message, a callback per
 * acknowledgement) that the service under test then did not have. Publishes due within the same
 * millisecond share a socket write; each carries the time it was made, so that waiting in
 * the buffer counts against the measured latency. Every publish must be acknowledged (PUBACK reason
 * below 0x80) for the run to count it as acked.
 */
public final class MqttBenchPublisher {

    /** Unacknowledged publishes at most (or the broker's Receive Maximum, if lower). */
    private static final int WINDOW = 4000;

    private final Socket socket;
    private final OutputStream out;
    private final int windowSize;
    private final Semaphore window;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread reader;
    private volatile IOException readFailure;
    private int packetId;

    private MqttBenchPublisher(String broker, String clientId) throws IOException {
        URI uri = URI.create(broker);
        if (!"tcp".equals(uri.getScheme())) {
            throw new IllegalArgumentException("the bench publisher speaks MQTT over tcp:// only: " + broker);
        }
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 1883), 10_000);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 << 10);
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 << 10));
        windowSize = Math.min(WINDOW, connect(in, clientId));
        window = new Semaphore(windowSize);
        reader = Thread.ofPlatform().name("puback-reader").daemon().start(() -> readAcks(in));
    }

    public static void main(String[] args) throws Exception {
        String broker = args[0];
        String prefix = args[1];
        long count = Long.parseLong(args[2]);
        long rate = Long.parseLong(args[3]);
        String devicePrefix = args.length > 4 ? args[4] : "bench-";
        MqttBenchPublisher publisher = new MqttBenchPublisher(broker,
                "bench-pub-" + prefix + "-" + devicePrefix.replaceAll("[^A-Za-z0-9]", ""));
        if (args.length > 6) {
            System.out.println("WARMED " + publisher.publish(prefix, Long.parseLong(args[5]), rate, args[6]));
            System.out.flush();
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        System.out.println("PUBLISHED " + publisher.publish(prefix, count, rate, devicePrefix));
        publisher.disconnect();
    }

    private String publish(String prefix, long count, long rate, String devicePrefix) throws Exception {
        long ackedBefore = acked.get();
        long failedBefore = failed.get();
        long start = System.nanoTime();
        long flushed = start;
        for (long i = 0; i < count; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long now = System.nanoTime();
            long wait = due - now;
            if (wait > 1_000_000) {
                out.flush(); // what is due now leaves before the pause
                TimeUnit.NANOSECONDS.sleep(wait);
                flushed = System.nanoTime();
            } else if (now - flushed > 1_000_000) {
                out.flush(); // behind the rate, nothing waits in the buffer for more than a millisecond either
                flushed = now;
            }
            if (!window.tryAcquire()) {
                out.flush(); // the broker can only acknowledge what it has received
                window.acquire();
            }
            checkReader();
            String topic = prefix + "/site/s" + (i % 7) + "/device/" + devicePrefix + i + "/temp";
            byte[] payload = (i % 100 + ".5;" + System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8);
            writePublish(topic.getBytes(StandardCharsets.UTF_8), payload);
        }
        out.flush();
        // every publish acknowledged, or the run reports how many were not
        if (window.tryAcquire(windowSize, 2, TimeUnit.MINUTES)) {
            window.release(windowSize);
        }
        checkReader();
        double seconds = (System.nanoTime() - start) / 1e9;
        return String.format("%d acked=%d failed=%d seconds=%.2f rate=%.0f", count, acked.get() - ackedBefore,
                failed.get() - failedBefore, seconds, count / seconds);
    }

    /** A QoS 1 PUBLISH: fixed header, topic, packet id, no properties, payload. */
    private void writePublish(byte[] topic, byte[] payload) throws IOException {
        packetId = packetId % 65_535 + 1;
        out.write(0x32);
        writeLength(out, 2 + topic.length + 2 + 1 + payload.length);
        out.write(topic.length >> 8);
        out.write(topic.length);
        out.write(topic);
        out.write(packetId >> 8);
        out.write(packetId);
        out.write(0); // properties
        out.write(payload);
    }

    /** Sends CONNECT (clean start, no keep-alive) and reads CONNACK; returns the broker's Receive Maximum. */
    private int connect(DataInputStream in, String clientId) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[]{0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 0, 0}); // name, version 5, clean start, keep-alive 0, no properties
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        body.write(id.length >> 8);
        body.write(id.length);
        body.write(id);
        out.write(0x10);
        writeLength(out, body.size());
        body.writeTo(out);
        out.flush();
        int type = in.readUnsignedByte();
        byte[] connack = new byte[readLength(in)];
        in.readFully(connack);
        if (type != 0x20 || connack.length < 2 || (connack[1] & 0xff) != 0) {
            throw new IOException("broker refused the connection: packet 0x" + Integer.toHexString(type)
                    + (connack.length > 1 ? ", reason 0x" + Integer.toHexString(connack[1] & 0xff) : ""));
        }
        // properties: Receive Maximum (0x21, two bytes) is the one that matters here
        int receiveMaximum = 65_535;
        DataInputStream props = new DataInputStream(new java.io.ByteArrayInputStream(connack, 2, connack.length - 2));
        int propertiesLength = readLength(props);
        int end = props.available() - propertiesLength;
        while (props.available() > end) {
            int property = props.readUnsignedByte();
            switch (property) {
                case 0x21 -> receiveMaximum = props.readUnsignedShort();
                case 0x11, 0x27 -> props.readInt();
                case 0x13, 0x22 -> props.readUnsignedShort();
                case 0x24, 0x25, 0x28, 0x29, 0x2A -> props.readUnsignedByte();
                case 0x12, 0x15, 0x16, 0x1A, 0x1C, 0x1F -> props.skipBytes(props.readUnsignedShort()); // strings, binary
                case 0x26 -> {
                    props.skipBytes(props.readUnsignedShort());
                    props.skipBytes(props.readUnsignedShort());
                }
                default -> throw new IOException("unexpected CONNACK property 0x" + Integer.toHexString(property));
            }
        }
        return receiveMaximum;
    }

    /** Counts PUBACKs (a reason code of 0x80 or more is a failure) and frees their window slots. */
    private void readAcks(DataInputStream in) {
        try {
            while (true) {
                int type = in.readUnsignedByte();
                int length = readLength(in);
                if (type == 0x40) {
                    in.readUnsignedShort(); // packet id
                    int reason = length > 2 ? in.readUnsignedByte() : 0;
                    in.skipNBytes(Math.max(0, length - 3));
                    (reason >= 0x80 ? failed : acked).incrementAndGet();
                    window.release();
                } else if (type == 0xE0) {
                    throw new IOException("broker disconnected: reason 0x"
                            + (length > 0 ? Integer.toHexString(in.readUnsignedByte()) : "0"));
                } else {
                    in.skipNBytes(length);
                }
            }
        } catch (EOFException e) {
            // the connection closed after DISCONNECT
        } catch (IOException e) {
            readFailure = e;
            window.release(windowSize); // nothing more will be acknowledged: let the publishing loop see the failure
        }
    }

    private void checkReader() throws IOException {
        if (readFailure != null) {
            throw readFailure;
        }
    }

    private void disconnect() throws IOException, InterruptedException {
        out.write(new byte[]{(byte) 0xE0, 0});
        out.flush();
        socket.shutdownOutput();
        reader.join(5_000);
        socket.close();
    }

    private static void writeLength(OutputStream out, int length) throws IOException {
        do {
            int digit = length & 0x7f;
            length >>>= 7;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
    }

    private static int readLength(InputStream in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed remaining length");
    }
}
