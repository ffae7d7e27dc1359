package io.refinery.ops.lineage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refinery.forecasting.ForecastRun;
import io.refinery.ingestion.BatchIngested;
import io.refinery.warehouse.WarehouseEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends OpenLineage events for ingestion batches and forecast runs to an HTTP endpoint (Marquez and
 * friends) and/or appends them to a file. Events are sent in order from one background thread: the
 * pipeline publishes and moves on, and a down lineage server costs a logged warning, never a batch.
 */
class OpenLineageEmitter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpenLineageEmitter.class);

    private final OpenLineageProperties properties;
    private final OpenLineageEvents events;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;
    private final ThreadPoolExecutor sender;
    private final Set<String> startedRuns = ConcurrentHashMap.newKeySet();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    OpenLineageEmitter(OpenLineageProperties properties, WarehouseEndpoint warehouse) {
        this.properties = properties;
        this.events = new OpenLineageEvents(properties.namespace(), warehouse.httpUrl(), warehouse.database());
        this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(properties.queueCapacity()), r -> {
            Thread t = new Thread(r, "openlineage");
            t.setDaemon(true);
            return t;
        }, (r, executor) -> log.warn("OpenLineage queue full ({} events); an event was dropped", properties.queueCapacity()));
    }

    @EventListener
    void onBatch(BatchIngested batch) {
        events.batch(batch).forEach(this::send);
    }

    @EventListener
    void onForecastRun(ForecastRun run) {
        boolean first = !run.status().finished() && startedRuns.add(run.runId());
        Map<String, Object> event = events.forecastRun(run, first);
        if (run.status().finished()) {
            startedRuns.remove(run.runId());
        }
        if (event != null) {
            send(event);
        }
    }

    /** Events delivered to every configured transport / events that failed on one. */
    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    private void send(Map<String, Object> event) {
        String body;
        try {
            body = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an OpenLineage event", e);
        }
        sender.execute(() -> deliver(body));
    }

    private void deliver(String body) {
        boolean ok = true;
        if (properties.url() != null && !properties.url().isBlank()) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(properties.url()))
                        .timeout(properties.timeout())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
                if (properties.apiKey() != null && !properties.apiKey().isBlank()) {
                    request.header("Authorization", "Bearer " + properties.apiKey());
                }
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) {
                    ok = false;
                    log.warn("OpenLineage endpoint answered {}: {}", response.statusCode(), abbreviate(response.body()));
                }
            } catch (IOException | RuntimeException e) {
                ok = false;
                log.warn("OpenLineage event not sent to {}: {}", properties.url(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (properties.file() != null) {
            try {
                Files.writeString(properties.file(), body + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                ok = false;
                log.warn("OpenLineage event not written to {}: {}", properties.file(), e.toString());
            }
        }
        (ok ? sent : failed).incrementAndGet();
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    /** Lets queued events go out (bounded) when the application stops. */
    @Override
    public void close() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(properties.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    /** For tests and shutdown: waits until everything queued so far was delivered or failed. */
    void flush(java.time.Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while ((sender.getQueue().size() > 0 || sender.getActiveCount() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    static List<String> transports(OpenLineageProperties p) {
        return java.util.stream.Stream.of(p.url() == null || p.url().isBlank() ? null : "http",
                p.file() == null ? null : "file").filter(java.util.Objects::nonNull).toList();
    }
}
