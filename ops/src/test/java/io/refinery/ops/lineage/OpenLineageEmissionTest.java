package io.refinery.ops.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.refinery.forecasting.ForecastRequest;
import io.refinery.forecasting.ForecastRun;
import io.refinery.forecasting.ForecastRuns;
import io.refinery.forecasting.ForecastingConfiguration;
import io.refinery.forecasting.Grain;
import io.refinery.forecasting.RunStatus;
import io.refinery.forecasting.Scope;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.IngestResult;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionConfiguration;
import io.refinery.ingestion.SourceKind;
import io.refinery.ops.OpsConfiguration;
import io.refinery.warehouse.WarehouseConfiguration;
import io.refinery.warehouse.WarehouseEndpoint;
import io.refinery.warehouse.test.TestWarehouseInitializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * OpenLineage RunEvents for a real ingestion batch and a real forecast run reach a real HTTP server
 * (a JDK HttpServer standing in for Marquez) and the file transport, with every field the spec requires.
 */
@SpringBootTest(classes = OpenLineageEmissionTest.App.class, properties = {"refinery.demo.enabled=false",
        "refinery.openlineage.enabled=true", "refinery.openlineage.namespace=refinery-test",
        "refinery.openlineage.api-key=test-key", "refinery.forecasting.schedule=-",
        "refinery.forecasting.data-trigger-interval=1h", "refinery.forecasting.backtest-origins=2",
        // the crafted data is a few days of one series: gating on volume or freshness is not this test's subject
        "refinery.quality.interval=0s", "refinery.quality.gate-forecasts=false",
        "refinery.orchestration.forecast.upstream=-"})
@ContextConfiguration(initializers = TestWarehouseInitializer.class)
class OpenLineageEmissionTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({WarehouseConfiguration.class, IngestionConfiguration.class, ForecastingConfiguration.class, OpsConfiguration.class})
    static class App {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<JsonNode> RECEIVED = new CopyOnWriteArrayList<>();
    private static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
    private static final HttpServer MARQUEZ = marquez();
    private static final Path FILE = tempFile();

    @DynamicPropertySource
    static void transports(DynamicPropertyRegistry registry) {
        registry.add("refinery.openlineage.url", () -> "http://127.0.0.1:" + MARQUEZ.getAddress().getPort() + "/api/v1/lineage");
        registry.add("refinery.openlineage.file", FILE::toString);
    }

    @AfterAll
    static void stop() {
        MARQUEZ.stop(0);
    }

    @Autowired
    Ingestion ingestion;
    @Autowired
    ForecastRuns runs;
    @Autowired
    WarehouseEndpoint warehouse;
    @Autowired
    OpenLineageEmitter emitter;

    @Test
    void an_ingestion_batch_and_a_forecast_run_each_emit_start_and_complete_run_events_to_http_and_file() throws Exception {
        // given a batch of sales lines, one of which breaks the contract
        String sku = "OL-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        List<Map<String, String>> records = new ArrayList<>();
        LocalDate start = LocalDate.of(2024, 1, 1);
        for (int i = 0; i < 90; i++) {
            records.add(Map.of("line_id", sku + "-" + i, "sku", sku, "location", "L1", "quantity", String.valueOf(5 + i % 7),
                    "unit_price", "2.50", "ordered_at", start.plusDays(i) + "T10:00:00Z", "channel", "web"));
        }
        records.add(Map.of("line_id", sku + "-bad", "sku", sku, "location", "L1", "quantity", "not-a-number",
                "unit_price", "2.50", "ordered_at", start + "T10:00:00Z", "channel", "web"));

        // when it is ingested and a forecast run reads it
        IngestResult result = ingestion.ingest(IngestRequest.of(Entity.SALES_ORDER_LINES, "ol-test-route", SourceKind.UPLOAD,
                "lineage.csv"), records);
        ForecastRun started = runs.start(new ForecastRequest(Grain.DAY, 7, new Scope(List.of(sku), List.of(), List.of())),
                "test", "api");
        await().atMost(Duration.ofMinutes(3)).until(() -> runs.find(started.runId()).orElseThrow().status().finished());
        assertThat(runs.find(started.runId()).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
        emitter.flush(Duration.ofSeconds(30));

        // then the server received valid RunEvents for the batch: START then COMPLETE with row counts
        RECEIVED.forEach(OpenLineageEmissionTest::assertValidRunEvent);
        String namespace = "clickhouse://" + URI.create(warehouse.httpUrl()).getHost() + ":" + URI.create(warehouse.httpUrl()).getPort();
        List<JsonNode> batch = events("ingest.ol-test-route");
        assertThat(batch).extracting(e -> e.path("eventType").asText()).containsExactly("START", "COMPLETE");
        assertThat(batch).allSatisfy(e -> assertThat(e.path("run").path("runId").asText()).isEqualTo(result.batchId().toString()));
        JsonNode complete = batch.get(1);
        assertThat(complete.path("inputs").get(0).path("namespace").asText()).isEqualTo("upload://ol-test-route");
        Map<String, Long> rows = new HashMap<>();
        complete.path("outputs").forEach(o -> {
            assertThat(o.path("namespace").asText()).isEqualTo(namespace);
            rows.put(o.path("name").asText(), o.path("outputFacets").path("outputStatistics").path("rowCount").asLong());
        });
        assertThat(rows).containsEntry(warehouse.database() + ".raw_records", 91L)
                .containsEntry(warehouse.database() + ".sales_order_lines", 90L)
                .containsEntry(warehouse.database() + ".ingest_quarantine", 1L);

        // and for the forecast run: START then COMPLETE on one UUID, reading demand_daily at the run's data version
        List<JsonNode> run = events("forecast.day").stream()
                .filter(e -> e.path("run").path("facets").path("refinery_run").path("refineryRunId").asText()
                        .equals(started.runId())).toList();
        assertThat(run).extracting(e -> e.path("eventType").asText()).containsExactly("START", "COMPLETE");
        assertThat(run.get(0).path("run").path("runId").asText()).isEqualTo(run.get(1).path("run").path("runId").asText());
        JsonNode input = run.get(1).path("inputs").get(0);
        assertThat(input.path("name").asText()).isEqualTo(warehouse.database() + ".demand_daily");
        assertThat(input.path("facets").path("version").path("datasetVersion").asText())
                .isEqualTo(Long.toString(runs.find(started.runId()).orElseThrow().lineage().dataVersion()));
        assertThat(run.get(1).path("outputs")).extracting(o -> o.path("name").asText())
                .contains(warehouse.database() + ".forecasts");
        assertThat(AUTHORIZATIONS).isNotEmpty().allMatch("Bearer test-key"::equals);

        // and the file transport holds the same events, one JSON document per line
        List<String> lines = Files.readAllLines(FILE, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(RECEIVED.size());
        for (String line : lines) {
            assertValidRunEvent(JSON.readTree(line));
        }
        assertThat(emitter.failed()).isZero();
    }

    @Test
    void a_failed_forecast_run_emits_a_fail_event_with_the_error_message_facet() throws Exception {
        Instant now = Instant.now();
        ForecastRun failed = new ForecastRun("run-failing-" + UUID.randomUUID(), RunStatus.FAILED, 0.3, "api", "test",
                new ForecastRequest(Grain.WEEK, 4, Scope.ALL), now.minusSeconds(5), now, 5000, null, null,
                "served demand unavailable");
        emitter.onForecastRun(failed);
        emitter.flush(Duration.ofSeconds(10));

        JsonNode fail = events("forecast.week").stream().filter(e -> e.path("eventType").asText().equals("FAIL"))
                .findFirst().orElseThrow();
        assertValidRunEvent(fail);
        assertThat(fail.path("run").path("runId").asText()).isEqualTo(OpenLineageEvents.runUuid(failed.runId()).toString());
        assertThat(fail.path("run").path("facets").path("errorMessage").path("message").asText())
                .isEqualTo("served demand unavailable");
    }

    /** The fields the OpenLineage 2-0-2 RunEvent schema requires, and the formats it declares. */
    static void assertValidRunEvent(JsonNode e) {
        assertThat(e.path("eventType").asText()).isIn("START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER");
        assertThat(Instant.parse(e.path("eventTime").asText())).isBefore(Instant.now().plusSeconds(60));
        assertThat(UUID.fromString(e.path("run").path("runId").asText())).isNotNull();
        assertThat(e.path("job").path("namespace").asText()).isEqualTo("refinery-test");
        assertThat(e.path("job").path("name").asText()).isNotBlank();
        assertThat(URI.create(e.path("producer").asText()).isAbsolute()).isTrue();
        assertThat(e.path("schemaURL").asText()).isEqualTo("https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent");
        for (String side : Set.of("inputs", "outputs")) {
            assertThat(e.path(side).isArray()).isTrue();
            e.path(side).forEach(d -> {
                assertThat(d.path("namespace").asText()).isNotBlank();
                assertThat(d.path("name").asText()).isNotBlank();
            });
        }
        e.path("run").path("facets").forEach(OpenLineageEmissionTest::assertFacet);
        e.path("job").path("facets").forEach(OpenLineageEmissionTest::assertFacet);
    }

    private static void assertFacet(JsonNode facet) {
        assertThat(URI.create(facet.path("_producer").asText()).isAbsolute()).isTrue();
        assertThat(URI.create(facet.path("_schemaURL").asText()).isAbsolute()).isTrue();
    }

    private static List<JsonNode> events(String job) {
        return RECEIVED.stream().filter(e -> e.path("job").path("name").asText().equals(job)).toList();
    }

    private static HttpServer marquez() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/api/v1/lineage", exchange -> {
                try (exchange) {
                    boolean json = "application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    if (!"POST".equals(exchange.getRequestMethod()) || !json) {
                        exchange.sendResponseHeaders(400, -1);
                        return;
                    }
                    AUTHORIZATIONS.add(exchange.getRequestHeaders().getFirst("Authorization"));
                    RECEIVED.add(JSON.readTree(body));
                    exchange.sendResponseHeaders(201, -1);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path tempFile() {
        try {
            Path dir = Files.createTempDirectory("openlineage");
            dir.toFile().deleteOnExit();
            return dir.resolve("events.jsonl");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
