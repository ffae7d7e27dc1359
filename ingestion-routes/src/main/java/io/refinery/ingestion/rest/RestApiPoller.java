package io.refinery.ingestion.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refinery.ingestion.IngestResult;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.RouteStopRequested;
import io.refinery.ingestion.SourceRecord;
import io.refinery.warehouse.ingest.CursorStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Polls an external REST API: follows its pagination (page number, offset, next link or cursor),
 * asks only for what changed since the stored cursor, sends the auth header from a secret
 * reference, retries transient failures with exponential backoff and jitter, honours 429 and
 * Retry-After, and times out. Each page lands as one batch (its id derives from the content, so
 * a re-poll after a crash lands nothing twice); the incremental cursor advances once every page of
 * the poll is landed.
 */
final class RestApiPoller implements Processor {

    private static final Logger log = LoggerFactory.getLogger(RestApiPoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final RestSettings settings;
    private final Supplier<String> authValue;
    private final Ingestion ingestion;
    private final CursorStore cursors;
    private final ApplicationEventPublisher events;
    private final HttpClient http;

    RestApiPoller(RestSettings settings, Supplier<String> authValue, Ingestion ingestion, CursorStore cursors,
                  ApplicationEventPublisher events) {
        this.settings = settings;
        this.authValue = authValue;
        this.ingestion = ingestion;
        this.cursors = cursors;
        this.events = events;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String since = cursors.cursor(settings.routeId()).map(c -> c.cursor()).orElse(null);
        String newest = since;
        URI next = first(since);
        int pages = 0;
        java.util.UUID lastBatch = null;
        while (next != null && pages < settings.maxPages()) {
            JsonPage page = fetch(next);
            pages++;
            if (!page.items().isEmpty()) {
                IngestResult result = ingestion.ingest(settings.request().withSourceRef(next.toString()),
                        page.items().iterator());
                lastBatch = result.batchId();
                if (result.stopRequested()) {
                    events.publishEvent(new RouteStopRequested(settings.routeId(), "schema drift: " + result.drift()));
                    return;
                }
                newest = newest(newest, page.items());
            }
            next = next(next, page, pages);
        }
        if (lastBatch != null && newest != null && !newest.equals(since)) {
            cursors.advance(settings.routeId(), newest, lastBatch);
        }
        log.debug("Route {} polled {} pages", settings.routeId(), pages);
    }

    record JsonPage(List<SourceRecord> items, JsonNode body, String linkNext) {
    }

    URI first(String since) {
        Map<String, String> params = new LinkedHashMap<>();
        switch (settings.pagination()) {
            case PAGE -> {
                params.put(settings.pageParam(), String.valueOf(settings.firstPage()));
                params.put(settings.sizeParam(), String.valueOf(settings.pageSize()));
            }
            case OFFSET -> {
                params.put(settings.offsetParam(), "0");
                params.put(settings.sizeParam(), String.valueOf(settings.pageSize()));
            }
            case NEXT_LINK, CURSOR -> params.put(settings.sizeParam(), String.valueOf(settings.pageSize()));
            case NONE -> {
            }
        }
        if (since != null && settings.sinceParam() != null) {
            params.put(settings.sinceParam(), since);
        }
        return withParams(settings.url(), params);
    }

    private URI next(URI current, JsonPage page, int pagesRead) {
        return switch (settings.pagination()) {
            case NONE -> null;
            case PAGE -> page.items().size() < settings.pageSize() ? null : withParams(current,
                    Map.of(settings.pageParam(), String.valueOf(settings.firstPage() + pagesRead)));
            case OFFSET -> page.items().size() < settings.pageSize() ? null : withParams(current,
                    Map.of(settings.offsetParam(), String.valueOf((long) pagesRead * settings.pageSize())));
            case CURSOR -> {
                String cursor = text(page.body(), settings.nextField());
                yield cursor == null || cursor.isBlank() ? null : withParams(current, Map.of(settings.cursorParam(), cursor));
            }
            case NEXT_LINK -> {
                String link = text(page.body(), settings.nextField());
                if (link == null || link.isBlank()) {
                    link = page.linkNext();
                }
                if (link == null || link.isBlank()) {
                    yield null;
                }
                URI uri = current.resolve(link);
                // Never follow a link (and send credentials) to another host.
                if (!uri.getHost().equalsIgnoreCase(settings.url().getHost()) || uri.getPort() != settings.url().getPort()
                        || !uri.getScheme().equals(settings.url().getScheme())) {
                    log.warn("Route {}: next link to another origin {} ignored", settings.routeId(), uri);
                    yield null;
                }
                yield uri;
            }
        };
    }

    JsonPage fetch(URI uri) throws IOException, InterruptedException {
        IOException lastFailure = null;
        for (int attempt = 0; attempt <= settings.maxRetries(); attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.timeout()).GET()
                    .header("Accept", "application/json");
            if (settings.authSecret() != null) {
                String value = authValue.get();
                request.header(settings.authHeader(), settings.authScheme() == null ? value
                        : settings.authScheme() + " " + value);
            }
            Duration wait;
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    JsonNode body = JSON.readTree(response.body());
                    return new JsonPage(items(body), body, linkNext(response));
                }
                if (status != 429 && status != 408 && status < 500) {
                    throw new IOException("GET " + uri.getPath() + " answered " + status + " (not retried)");
                }
                lastFailure = new IOException("GET " + uri.getPath() + " answered " + status);
                wait = retryAfter(response).orElse(backoff(attempt));
            } catch (java.net.http.HttpTimeoutException | java.net.ConnectException e) {
                lastFailure = e;
                wait = backoff(attempt);
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().contains("not retried")) {
                    throw e;
                }
                lastFailure = e;
                wait = backoff(attempt);
            }
            if (attempt < settings.maxRetries()) {
                log.info("Route {}: {} — retrying in {} ms", settings.routeId(), lastFailure.getMessage(), wait.toMillis());
                Thread.sleep(wait.toMillis());
            }
        }
        throw lastFailure;
    }

    /**
     * Exponential backoff with jitter: a random wait in [c / 2, c] for c = base·2^attempt, capped. Callers that
     * failed together spread out, and none retries at once.
     */
    Duration backoff(int attempt) {
        long cap = settings.maxBackoff().toMillis();
        long ceiling = Math.min(cap, 200L << Math.min(attempt, 20));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    private java.util.Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Long.parseLong(v.strip()));
            } catch (NumberFormatException e) {
                try {
                    return Duration.between(java.time.Instant.now(),
                            ZonedDateTime.parse(v.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                } catch (RuntimeException unparseable) {
                    return backoff(1);
                }
            }
        }).map(d -> d.isNegative() ? Duration.ZERO : d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d);
    }

    private List<SourceRecord> items(JsonNode body) {
        JsonNode array = body;
        if (settings.itemsField() != null) {
            for (String part : settings.itemsField().split("\\.")) {
                array = array.path(part);
            }
        }
        List<SourceRecord> items = new ArrayList<>();
        if (!array.isArray()) {
            return items;
        }
        int n = 0;
        for (JsonNode item : array) {
            Map<String, String> fields = new LinkedHashMap<>();
            if (item.isObject()) {
                item.properties().forEach(e -> {
                    if (!e.getValue().isNull()) {
                        fields.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
                    }
                });
            } else {
                fields.put("_malformed", "item is not an object");
            }
            items.add(new SourceRecord("item " + n++, fields));
        }
        return items;
    }

    private String newest(String current, List<SourceRecord> items) {
        if (settings.sinceField() == null) {
            return current;
        }
        String newest = current;
        for (SourceRecord item : items) {
            String v = item.fields().get(settings.sinceField());
            if (v != null && (newest == null || compare(v, newest) > 0)) {
                newest = v;
            }
        }
        return newest;
    }

    /** Numbers compare as numbers, anything else (ISO timestamps) as text. */
    private static int compare(String a, String b) {
        try {
            return new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private static String linkNext(HttpResponse<?> response) {
        for (String link : response.headers().allValues("Link")) {
            Matcher m = LINK_NEXT.matcher(link);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body;
        for (String part : field.split("\\.")) {
            node = node.path(part);
        }
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    static URI withParams(URI base, Map<String, String> params) {
        Map<String, String> query = new LinkedHashMap<>();
        if (base.getRawQuery() != null) {
            for (String pair : base.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                query.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        params.forEach((k, v) -> query.put(URLEncoder.encode(k, StandardCharsets.UTF_8),
                URLEncoder.encode(v, StandardCharsets.UTF_8)));
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.isEmpty() ? "" : "&").append(k).append('=').append(v));
        String s = base.toString();
        int question = s.indexOf('?');
        return URI.create((question < 0 ? s : s.substring(0, question)) + (q.isEmpty() ? "" : "?" + q));
    }
}
