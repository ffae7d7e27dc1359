package io.refinery.ingestion.mqtt;

import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.IngestResult;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.RouteStopRequested;
import io.refinery.ingestion.SourceRecord;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Message;
import org.apache.camel.support.AsyncProcessorSupport;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Collects MQTT messages into micro-batches (by size or age) and lands each batch through the
 * record path. A message is acknowledged to the broker (manual acks) only when its batch has been
 * landed and decided, so a crash loses nothing: the broker re-delivers the unacknowledged messages
 * to the persistent session. Back-pressure: when {@code maxPending} messages wait, the MQTT
 * callback thread blocks, the client stops reading and the broker holds the rest.
 *
 * <p>The Camel exchange of a message completes as soon as the message is buffered: what the
 * acknowledgement needs is the MQTT message, not the exchange (Camel's own acknowledgement by packet id
 * is switched off, see {@link SessionSafeMqttClient}), and holding tens of thousands of exchanges
 * across a landing made the garbage collector copy them.
 */
final class MqttMicroBatcher extends AsyncProcessorSupport {

    private static final Logger log = LoggerFactory.getLogger(MqttMicroBatcher.class);
    /** Attempts for a batch while the warehouse answers (a failure of the data, not an outage). */
    private static final int ATTEMPTS = 5;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private record Pending(SourceRecord record, MqttMessage message) {
    }

    private final Ingestion ingestion;
    private final IngestRequest request;
    private final IotPayloadParser parser;
    private final int maxBatch;
    private final Duration maxDelay;
    private final Semaphore capacity;
    private final ApplicationEventPublisher events;
    private final Object lock = new Object();
    private List<Pending> buffer = new ArrayList<>();
    private long oldestNanos;
    private ExecutorService writer;
    private ScheduledExecutorService ticker;
    private volatile SessionSafeMqttClient client;

    MqttMicroBatcher(Ingestion ingestion, IngestRequest request, IotPayloadParser parser, int maxBatch,
                     Duration maxDelay, int maxPending, ApplicationEventPublisher events) {
        this.ingestion = ingestion;
        this.request = request;
        this.parser = parser;
        this.maxBatch = maxBatch;
        this.maxDelay = maxDelay;
        this.capacity = new Semaphore(maxPending);
        this.events = events;
    }

    /** The route's MQTT client, disconnected once the last batch is landed and acknowledged. */
    void closeAfterStop(SessionSafeMqttClient client) {
        this.client = client;
    }

    @Override
    protected void doStart() {
        writer = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("mqtt-land-" + request.routeId()).factory());
        ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("mqtt-tick-" + request.routeId()).factory());
        long tick = Math.max(5, maxDelay.toMillis() / 4);
        ticker.scheduleAtFixedRate(this::flushIfOld, tick, tick, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws InterruptedException {
        ticker.shutdownNow();
        handOff();
        writer.shutdown();
        writer.awaitTermination(60, TimeUnit.SECONDS);
        if (client != null) {
            try {
                if (client.isConnected()) {
                    client.disconnect();
                }
                client.close();
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                log.debug("Closing the MQTT client of route {}: {}", request.routeId(), e.getMessage());
            }
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            capacity.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        String topic = exchange.getIn().getHeader("CamelMqttTopic", String.class);
        byte[] payload = exchange.getIn().getBody(byte[].class);
        var fields = parser.parse(topic, payload == null ? new byte[0] : payload, Instant.now());
        MqttMessage message = exchange.getIn() instanceof PahoMqtt5Message m ? m.getMqttMessage() : null;
        List<Pending> full = null;
        synchronized (lock) {
            if (buffer.isEmpty()) {
                oldestNanos = System.nanoTime();
            }
            buffer.add(new Pending(new SourceRecord(topic, fields), message));
            if (buffer.size() >= maxBatch) {
                full = take();
            }
        }
        if (full != null) {
            submit(full);
        }
        callback.done(true);
        return true;
    }

    private void flushIfOld() {
        List<Pending> due = null;
        synchronized (lock) {
            if (!buffer.isEmpty() && System.nanoTime() - oldestNanos >= maxDelay.toNanos()) {
                due = take();
            }
        }
        if (due != null) {
            submit(due);
        }
    }

    private void handOff() {
        List<Pending> rest;
        synchronized (lock) {
            rest = take();
        }
        if (!rest.isEmpty()) {
            submit(rest);
        }
    }

    private List<Pending> take() {
        List<Pending> taken = buffer;
        buffer = new ArrayList<>(Math.min(maxBatch, 8192));
        return taken;
    }

    private void submit(List<Pending> batch) {
        writer.execute(() -> land(batch));
    }

    private void land(List<Pending> batch) {
        List<SourceRecord> records = batch.stream().map(Pending::record).toList();
        Exception failure = null;
        for (int attempt = 1; ; attempt++) {
            try {
                IngestResult result = ingestion.ingest(request.withSourceRef(records.getFirst().offset()),
                        records.iterator());
                if (result.stopRequested()) {
                    events.publishEvent(new RouteStopRequested(request.routeId(), "schema drift: " + result.drift()));
                }
                failure = null;
                break;
            } catch (RuntimeException e) {
                failure = e;
                // While the warehouse is down this batch waits and is tried again, however long the outage:
                // its messages are unacknowledged, so the broker would re-deliver them only on a reconnect.
                // The semaphore holds the MQTT client meanwhile, and the broker keeps the rest. Only a
                // failure of the data itself (no outage) or a stopping route gives up.
                boolean outage = ingestion.outage(e);
                log.warn("Landing {} MQTT messages of route {} failed (attempt {}{}): {}", batch.size(),
                        request.routeId(), attempt, outage ? ", the warehouse does not answer" : "", e.getMessage());
                if (!isRunAllowed() || Thread.currentThread().isInterrupted() || (!outage && attempt >= ATTEMPTS)) {
                    break;
                }
                sleep(Math.min(MAX_BACKOFF_MILLIS, 200L << Math.min(attempt, 10)));
            }
        }
        int acknowledged = 0;
        for (Pending p : batch) {
            // Not landed: not acknowledged, the broker re-delivers it to the persistent session.
            acknowledged += acknowledge(p.message(), failure == null) ? 1 : 0;
        }
        if (failure != null) {
            log.error("Route {}: {} MQTT messages not landed, left unacknowledged for the broker to re-deliver: {}",
                    request.routeId(), batch.size(), failure.getMessage());
        }
        log.debug("Route {}: batch of {} MQTT messages {}; {} acknowledged", request.routeId(), batch.size(),
                failure == null ? "landed" : "not landed", acknowledged);
        capacity.release(batch.size());
    }

    private boolean acknowledge(MqttMessage message, boolean landed) {
        if (client == null || message == null) {
            return false;
        }
        if (!landed) {
            client.forget(message);
            return false;
        }
        try {
            return client.acknowledge(message);
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            // the connection broke: the broker re-sends the message, which then lands as a duplicate
            log.debug("Acknowledging an MQTT message of route {}: {}", request.routeId(), e.getMessage());
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
