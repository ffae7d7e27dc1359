package io.refinery.ops.bench.ingestion;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;

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
 */
public final class MqttBenchPublisher {

    private MqttBenchPublisher() {
    }

    public static void main(String[] args) throws Exception {
        String broker = args[0];
        String prefix = args[1];
        long count = Long.parseLong(args[2]);
        long rate = Long.parseLong(args[3]);
        String devicePrefix = args.length > 4 ? args[4] : "bench-";
        MqttAsyncClient client = new MqttAsyncClient(broker, "bench-pub-" + prefix + "-" + devicePrefix.replaceAll("[^A-Za-z0-9]", ""), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setMaxReconnectDelay(1000);
        if (broker.startsWith("tcp://")) {
            options.setSocketFactory(new io.refinery.ingestion.mqtt.BufferedSocketFactory());
        }
        client.connect(options).waitForCompletion(10_000);
        if (args.length > 6) {
            System.out.println("WARMED " + publish(client, prefix, Long.parseLong(args[5]), rate, args[6]));
            System.out.flush();
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        System.out.println("PUBLISHED " + publish(client, prefix, count, rate, devicePrefix));
        client.disconnect().waitForCompletion(5_000);
        client.close();
    }

    private static String publish(MqttAsyncClient client, String prefix, long count, long rate, String devicePrefix)
            throws Exception {
        int windowSize = Math.max(1, Math.min(1000, client.getInFlightMessageCount() + 1000));
        Semaphore window = new Semaphore(windowSize);
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        MqttActionListener listener = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                acked.incrementAndGet();
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                failed.incrementAndGet();
                window.release();
            }
        };
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 200_000) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            window.acquire();
            MqttMessage message = new MqttMessage((i % 100 + ".5;" + System.currentTimeMillis())
                    .getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            while (true) {
                try {
                    client.publish(prefix + "/site/s" + (i % 7) + "/device/" + devicePrefix + i + "/temp", message, null,
                            listener);
                    break;
                } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                    // The client's in-flight limit (the broker's receive maximum): wait and retry.
                    Thread.sleep(1);
                }
            }
        }
        window.acquire(windowSize);
        double seconds = (System.nanoTime() - start) / 1e9;
        return String.format("%d acked=%d failed=%d seconds=%.2f rate=%.0f", count, acked.get(), failed.get(), seconds,
                count / seconds);
    }
}
