package io.refinery.api.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refinery.api.ApiTest;
import io.refinery.api.Seed;
import io.refinery.api.TestUsers;
import io.refinery.warehouse.accounts.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Ingest → forecast run → lineage back to the exact raw batches and route; and the raw layer's hash-chain proof. */
@ApiTest
class LineageApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    WebTestClient client;
    @Autowired
    UserAccounts accounts;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    @Qualifier("warehouseDataSource")
    DataSource warehouse;

    @BeforeEach
    void users() {
        TestUsers.ensure(accounts, encoder);
    }

    @Test
    void a_forecast_value_walks_back_through_run_model_snapshot_served_and_cleaned_rows_to_its_raw_batches_and_route()
            throws Exception {
        // given two uploads of one SKU's demand: two raw batches of the upload route
        String sku = Seed.unique("LIN");
        LocalDate start = LocalDate.now().minusDays(121);
        Map<LocalDate, Integer> first = new LinkedHashMap<>();
        Map<LocalDate, Integer> second = new LinkedHashMap<>();
        for (int i = 0; i < 120; i++) {
            (i < 70 ? first : second).put(start.plusDays(i), 10 + (i % 7) * 2);
        }
        String batchA = (String) Seed.sales(client, sku, "L1", first).get("batchId");
        String batchB = (String) Seed.sales(client, sku, "L1", second).get("batchId");

        // and a finished forecast run over it
        String runId = runFor(sku);

        // when a viewer asks where one forecast value came from
        JsonNode forecast = get("/api/v1/lineage/forecasts/" + runId + "?sku=" + sku + "&location=L1", "viewer");
        String period = forecast.path("nodes").findValues("period").getFirst().asText();
        JsonNode graph = get("/api/v1/lineage/forecasts/" + runId + "?sku=" + sku + "&location=L1&period=" + period, "viewer");

        // then the graph walks value → model → run → snapshot → served → cleaned → raw batches → route
        assertThat(nodes(graph, "forecast")).hasSize(1);
        JsonNode model = nodes(graph, "model").getFirst();
        assertThat(model.path("properties").path("model").asText()).isNotBlank();
        assertThat(model.path("properties").path("backtest").path("mase").isNumber()).isTrue();
        assertThat(nodes(graph, "run").getFirst().path("properties").path("runId").asText()).isEqualTo(runId);
        assertThat(nodes(graph, "snapshot").getFirst().path("properties").path("dataVersion").asLong()).isPositive();
        JsonNode served = nodes(graph, "served-rows").getFirst().path("properties");
        assertThat(served.path("rows").asLong()).isEqualTo(120);
        assertThat(served.path("firstDay").asText()).isEqualTo(start.toString());
        List<JsonNode> cleaned = nodes(graph, "cleaned-rows");
        assertThat(cleaned.stream().mapToLong(n -> n.path("properties").path("rows").asLong()).sum()).isEqualTo(120);
        Set<String> rawBatches = new HashSet<>();
        nodes(graph, "raw-batch").forEach(n -> rawBatches.add(n.path("properties").path("batchId").asText()));
        assertThat(rawBatches).containsExactlyInAnyOrder(batchA, batchB);
        JsonNode raw = nodes(graph, "raw-batch").getFirst().path("properties");
        assertThat(raw.path("batchHash").asText()).hasSize(64);
        assertThat(raw.path("contract").asText()).startsWith("sales-order-lines");
        assertThat(nodes(graph, "route")).singleElement()
                .satisfies(r -> assertThat(r.path("id").asText()).isEqualTo("route:upload-sales-order-lines"));
        // and every edge joins two nodes of the graph, with a path from the value to the route
        Set<String> ids = new HashSet<>();
        graph.path("nodes").forEach(n -> ids.add(n.path("id").asText()));
        graph.path("edges").forEach(e -> assertThat(ids).contains(e.path("from").asText(), e.path("to").asText()));
        assertThat(reachable(graph, nodes(graph, "forecast").getFirst().path("id").asText()))
                .contains("route:upload-sales-order-lines", "raw:" + batchA, "raw:" + batchB);

        // when asking downstream from the first raw batch, then its cleaned rows, served demand and the run appear
        JsonNode down = get("/api/v1/lineage/raw-batches/" + batchA, "viewer");
        assertThat(nodes(down, "cleaned-rows").getFirst().path("properties").path("rowsCurrent").asLong()).isEqualTo(70);
        assertThat(nodes(down, "run")).anySatisfy(r -> assertThat(r.path("id").asText()).isEqualTo("run:" + runId));
        assertThat(nodes(down, "route")).singleElement();

        // and unknown things are 404 problems, malformed ones 400
        client.get().uri("/api/v1/lineage/forecasts/" + runId + "?sku=NOPE&location=L1").headers(TestUsers.as("viewer"))
                .exchange().expectStatus().isNotFound().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client.get().uri("/api/v1/lineage/raw-batches/not-a-uuid").headers(TestUsers.as("viewer"))
                .exchange().expectStatus().isBadRequest();
        client.get().uri("/api/v1/lineage/raw-batches/00000000-0000-0000-0000-000000000000").headers(TestUsers.as("viewer"))
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void the_raw_chain_verifies_and_a_payload_altered_in_place_is_reported_with_its_exact_batch() throws Exception {
        // given three uploaded batches on the upload route
        String sku = Seed.unique("TAMPER");
        List<String> batches = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            Map<LocalDate, Integer> days = new LinkedHashMap<>();
            for (int i = 0; i < 5; i++) {
                days.put(LocalDate.of(2024, 1, 1).plusDays(b * 10L + i), 3 + i);
            }
            batches.add((String) Seed.sales(client, sku, "L9", days).get("batchId"));
        }

        // when an admin verifies the route, then the chain holds; viewers may not run the full rehash
        JsonNode ok = get("/api/v1/raw/verify?route=upload-sales-order-lines", "admin");
        assertThat(ok.path("ok").asBoolean()).as(ok.toString()).isTrue();
        assertThat(ok.path("routes").get(0).path("batches").asLong()).isGreaterThanOrEqualTo(3);
        client.get().uri("/api/v1/raw/verify").headers(TestUsers.as("viewer")).exchange().expectStatus().isForbidden();

        // when someone with write access to ClickHouse rewrites a stored payload of the second batch
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE raw_records UPDATE payload = concat(payload, ' ') WHERE batch_id = '"
                    + batches.get(1) + "' AND record_no = 2 SETTINGS mutations_sync = 2");
        }

        // then verification fails and names exactly that batch and record
        JsonNode broken = get("/api/v1/raw/verify?route=upload-sales-order-lines", "admin");
        assertThat(broken.path("ok").asBoolean()).isFalse();
        JsonNode first = broken.path("routes").get(0).path("firstBroken");
        assertThat(first.path("batchId").asText()).isEqualTo(batches.get(1));
        assertThat(first.path("recordNo").asInt()).isEqualTo(2);
        assertThat(first.path("reason").asText()).contains("does not match its stored hash");
        // and the whole-warehouse verdict is broken too
        assertThat(get("/api/v1/raw/verify", "admin").path("ok").asBoolean()).isFalse();

        // when the attacker also rewrites the record's stored hash, then the batch hash still gives it away
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE raw_records UPDATE payload_hash = lower(hex(SHA256(payload))) WHERE batch_id = '"
                    + batches.get(1) + "' AND record_no = 2 SETTINGS mutations_sync = 2");
        }
        JsonNode stillBroken = get("/api/v1/raw/verify?route=upload-sales-order-lines", "admin");
        assertThat(stillBroken.path("routes").get(0).path("firstBroken").path("batchId").asText()).isEqualTo(batches.get(1));
        assertThat(stillBroken.path("routes").get(0).path("firstBroken").path("reason").asText()).contains("batch hash");
        client.get().uri("/api/v1/raw/verify?route=no-such-route").headers(TestUsers.as("admin"))
                .exchange().expectStatus().isNotFound();
    }

    private String runFor(String sku) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Map<String, Object> started = client.post().uri("/api/v1/forecast-runs").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("grain", "day", "horizon", 7, "scope", Map.of("skus", List.of(sku))))
                .exchange().expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        String runId = (String) started.get("runId");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            Map<?, ?> run = client.get().uri("/api/v1/forecast-runs/" + runId).headers(TestUsers.as("viewer"))
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            if ("SUCCEEDED".equals(run.get("status"))) {
                return runId;
            }
            assertThat(run.get("status")).isNotEqualTo("FAILED");
            Thread.sleep(300);
        }
        throw new AssertionError("run " + runId + " did not finish in 3 minutes");
    }

    private JsonNode get(String uri, String role) throws Exception {
        var result = client.get().uri(uri).headers(TestUsers.as(role)).exchange().expectBody(String.class).returnResult();
        assertThat(result.getStatus().value()).as(uri + " → " + result.getResponseBody()).isEqualTo(200);
        return JSON.readTree(result.getResponseBody());
    }

    private static List<JsonNode> nodes(JsonNode graph, String type) {
        List<JsonNode> found = new ArrayList<>();
        graph.path("nodes").forEach(n -> {
            if (n.path("type").asText().equals(type)) {
                found.add(n);
            }
        });
        return found;
    }

    private static Set<String> reachable(JsonNode graph, String from) {
        Set<String> seen = new HashSet<>(Set.of(from));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (JsonNode e : graph.path("edges")) {
                if (seen.contains(e.path("from").asText()) && seen.add(e.path("to").asText())) {
                    grew = true;
                }
            }
        }
        return seen;
    }
}
