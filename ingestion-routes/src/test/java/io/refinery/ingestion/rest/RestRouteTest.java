package io.refinery.ingestion.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.refinery.ingestion.DriftPolicy;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionIntegrationTest;
import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.RouteKind;
import io.refinery.ingestion.admin.RouteAdmin;
import io.refinery.ingestion.admin.RouteView;
import io.refinery.warehouse.ingest.CursorStore;
import io.refinery.warehouse.ingest.IngestRecords.Reconciliation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IngestionIntegrationTest
class RestRouteTest {

    static HttpServer server;
    /** Receipts per pagination mode, each with an increasing updated_at. */
    static final Map<String, List<Map<String, String>>> ITEMS = new ConcurrentHashMap<>();
    static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
    static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    static final Map<String, Instant> RETRY_AT = new ConcurrentHashMap<>();
    static final Duration STALL = Duration.ofSeconds(5);

    @Autowired
    RouteAdmin admin;
    @Autowired
    Ingestion ingestion;
    @Autowired
    CursorStore cursors;

    @BeforeAll
    static void startApi() throws IOException {
        System.setProperty("refinery.secret.TEST_API_TOKEN", "s3cret");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/", RestRouteTest::handle);
        // a stalled answer must not hold up the route's next attempt
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    @AfterAll
    static void stopApi() {
        server.stop(0);
    }

    /**
     * An ERP-like API: bearer auth, a 429 with Retry-After and a 500 before it answers, four ways to paginate;
     * under {@code /api/stall/} its first answer comes after {@link #STALL} instead, then it pages as {@code page}.
     */
    static void handle(HttpExchange exchange) throws IOException {
        String mode = exchange.getRequestURI().getPath().split("/")[2];
        REQUESTS.add(exchange.getRequestURI().toString());
        Map<String, String> q = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                q.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
        }
        if (!"Bearer s3cret".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "{}", Map.of());
            return;
        }
        int call = CALLS.computeIfAbsent(mode, m -> new AtomicInteger()).incrementAndGet();
        if (mode.equals("stall")) {
            if (call == 1) {
                try {
                    Thread.sleep(STALL.toMillis());
                    respond(exchange, 200, "{\"data\": []}", Map.of());
                } catch (InterruptedException | IOException e) {
                    exchange.close(); // the caller gave up long ago
                }
                return;
            }
        } else if (call == 1) {
            RETRY_AT.put(mode, Instant.now().plusSeconds(1));
            respond(exchange, 429, "{}", Map.of("Retry-After", "1"));
            return;
        }
        if (call == 2 && !mode.equals("stall")) {
            respond(exchange, 500, "{}", Map.of());
            return;
        }
        String since = q.get("updated_since");
        List<Map<String, String>> all = ITEMS.get(mode).stream()
                .filter(i -> since == null || i.get("updated_at").compareTo(since) > 0).toList();
        int size = Integer.parseInt(q.getOrDefault("size", "100"));
        int from = switch (mode) {
            case "page", "stall" -> (Integer.parseInt(q.getOrDefault("page", "1")) - 1) * size;
            case "offset" -> Integer.parseInt(q.getOrDefault("offset", "0"));
            default -> Integer.parseInt(q.getOrDefault("cursor", q.getOrDefault("after", "0")));
        };
        List<Map<String, String>> page = all.subList(Math.min(from, all.size()), Math.min(from + size, all.size()));
        StringBuilder body = new StringBuilder("{\"data\": [");
        for (int i = 0; i < page.size(); i++) {
            Map<String, String> item = page.get(i);
            body.append(i == 0 ? "" : ",").append("{\"receipt_id\":\"").append(item.get("receipt_id"))
                    .append("\",\"po_line_id\":\"PO-1\",\"quantity\":").append(item.get("quantity"))
                    .append(",\"received_at\":\"").append(item.get("updated_at")).append("\",\"updated_at\":\"")
                    .append(item.get("updated_at")).append("\"}");
        }
        body.append("]");
        boolean more = from + size < all.size();
        Map<String, String> headers = new HashMap<>();
        if (mode.equals("cursor")) {
            body.append(", \"next\": ").append(more ? "\"" + (from + size) + "\"" : "null");
        }
        if (mode.equals("next-link") && more) {
            String link = "/api/next-link/receipts?size=" + size + "&after=" + (from + size)
                    + (since == null ? "" : "&updated_since=" + since);
            headers.put("Link", "<" + link + ">; rel=\"next\"");
        }
        body.append("}");
        respond(exchange, 200, body.toString(), headers);
    }

    static void respond(HttpExchange exchange, int status, String body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    static void addItems(String mode, int from, int to) {
        List<Map<String, String>> items = ITEMS.computeIfAbsent(mode, m -> new CopyOnWriteArrayList<>());
        for (int i = from; i <= to; i++) {
            items.add(Map.of("receipt_id", "RC-" + mode + "-" + i, "quantity", String.valueOf(i),
                    "updated_at", String.format("2025-08-01T10:%02d:00Z", i)));
        }
    }

    Reconciliation reconciliation(String route) {
        return ingestion.reconcile().stream().filter(r -> r.routeId().equals(route)).findFirst()
                .orElse(new Reconciliation(route, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"page", "offset", "next-link", "cursor"})
    void anApiIsPagedRetriedAfter429And500AndPolledIncrementally(String mode) {
        addItems(mode, 1, 23);
        String route = "rest-" + mode;
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/" + mode + "/receipts";
        admin.create(new RouteDefinition(route, RouteKind.REST, Entity.RECEIPTS, DriftPolicy.ACCEPT_AND_FLAG,
                Map.ofEntries(Map.entry("url", url), Map.entry("pagination", mode), Map.entry("itemsField", "data"),
                        Map.entry("pageSize", "5"), Map.entry("sinceParam", "updated_since"),
                        Map.entry("sinceField", "updated_at"), Map.entry("authSecret", "TEST_API_TOKEN"),
                        Map.entry("authScheme", "Bearer"), Map.entry("pollDelayMs", "500"),
                        Map.entry("timeoutMs", "2000"), Map.entry("maxBackoffMs", "2000"))),
                "test");
        RouteView view = admin.start(route, "test");
        assertThat(view.definition().options()).containsEntry("authSecret", "TEST_API_TOKEN")
                .doesNotContainValue("s3cret");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> reconciliation(route).landedRecords() == 23);
            assertThat(Instant.now()).isAfterOrEqualTo(RETRY_AT.get(mode));
            addItems(mode, 24, 26);
            await().atMost(Duration.ofSeconds(30)).until(() -> reconciliation(route).landedRecords() == 26);
        } finally {
            admin.delete(route, "test");
        }
        Reconciliation r = reconciliation(route);
        assertThat(r.cleaned()).isEqualTo(26);
        assertThat(r.balanced()).isTrue();
        assertThat(cursors.cursor(route).orElseThrow().cursor()).isEqualTo("2025-08-01T10:26:00Z");
        List<String> incremental = new ArrayList<>(REQUESTS.stream().filter(u -> u.contains("/" + mode + "/")
                && u.contains("updated_since=2025-08-01T10%3A23")).toList());
        assertThat(incremental).isNotEmpty();
    }

    @Test
    void anAnswerThatStallsPastTheTimeoutIsGivenUpAndAskedForAgainAndNothingIsLostOrDoubled() {
        addItems("stall", 1, 12);
        String route = "rest-stall";
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/stall/receipts";
        admin.create(new RouteDefinition(route, RouteKind.REST, Entity.RECEIPTS, DriftPolicy.ACCEPT_AND_FLAG,
                Map.ofEntries(Map.entry("url", url), Map.entry("pagination", "page"), Map.entry("itemsField", "data"),
                        Map.entry("pageSize", "5"), Map.entry("authSecret", "TEST_API_TOKEN"),
                        Map.entry("authScheme", "Bearer"), Map.entry("pollDelayMs", "500"),
                        Map.entry("timeoutMs", "500"), Map.entry("maxBackoffMs", "500"))),
                "test");
        admin.start(route, "test");
        try {
            // well before the stalled answer would have come: the route gave up on it and asked again
            await().atMost(STALL.minusSeconds(1)).until(() -> reconciliation(route).landedRecords() == 12);
        } finally {
            admin.delete(route, "test");
        }
        assertThat(CALLS.get("stall").get()).isGreaterThanOrEqualTo(4); // the stalled call, then three pages
        Reconciliation r = reconciliation(route);
        assertThat(r.cleaned()).isEqualTo(12);
        assertThat(r.duplicates()).isZero();
        assertThat(r.balanced()).isTrue();
    }
}
