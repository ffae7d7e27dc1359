package io.refinery.api.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refinery.api.ApiTest;
import io.refinery.api.TestUsers;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.IngestResult;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.SourceKind;
import io.refinery.ops.observability.AlertRules;
import io.refinery.ops.observability.PipelineMetrics;
import io.refinery.ops.quality.CheckResult;
import io.refinery.ops.quality.CheckStatus;
import io.refinery.ops.quality.QualityGates;
import io.refinery.warehouse.accounts.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Observability of the running application: the Prometheus scrape moves after an ingest (per-route
 * counters, quarantine ratio, freshness, storage, warehouse query latency, JVM), the alert rule file
 * names only metrics the scrape has, the in-app alerts evaluate it, health is public with status only
 * while the probe groups hold the right components, and storage is reported per layer.
 */
@ApiTest
class ObservabilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    WebTestClient client;
    @Autowired
    Ingestion ingestion;
    @Autowired
    PipelineMetrics metrics;
    @Autowired
    UserAccounts accounts;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    QualityGates gates;

    @BeforeEach
    void users() {
        TestUsers.ensure(accounts, encoder);
    }

    /** Two valid and two refused products, and one sales line (an event time): half the products quarantined. */
    private String ingestHalfBad() {
        String route = "obs-" + System.nanoTime();
        IngestResult products = ingestion.ingest(IngestRequest.of(Entity.PRODUCTS, route, SourceKind.UPLOAD, "obs.csv"),
                List.of(Map.of("sku", "OBS-1", "name", "One", "unit", "EA"),
                        Map.of("sku", "OBS-2", "name", "Two", "unit", "KG"),
                        Map.of("sku", "OBS-3", "name", "Three", "unit", "PARSEC"),
                        Map.of("sku", "", "name", "Four", "unit", "EA")));
        assertThat(products.quarantined()).isEqualTo(2);
        ingestion.ingest(IngestRequest.of(Entity.SALES_ORDER_LINES, route + "-sales", SourceKind.UPLOAD, "obs.csv"),
                List.of(Map.of("line_id", route + "-L1", "sku", "OBS-1", "location", "WH1", "quantity", "3",
                        "ordered_at", Instant.now().minusSeconds(3600).toString())));
        metrics.refresh();
        return route;
    }

    @Test
    void the_prometheus_scrape_shows_per_route_counts_freshness_storage_query_latency_and_jvm_and_they_move_after_an_ingest() {
        String before = scrape();

        String route = ingestHalfBad();
        String after = scrape();

        String r = "route=\"" + route + "\"";
        assertThat(value(before, "refinery_ingestion_records_total", r, "stage=\"landed\"")).isEmpty();
        assertThat(value(after, "refinery_ingestion_records_total", r, "stage=\"landed\"")).hasValue(4.0);
        assertThat(value(after, "refinery_ingestion_records_total", r, "stage=\"quarantined\"")).hasValue(2.0);
        assertThat(value(after, "refinery_route_records_total", r, "stage=\"landed\"")).hasValue(4.0);
        assertThat(value(after, "refinery_route_records_total", r, "stage=\"cleaned\"")).hasValue(2.0);
        assertThat(value(after, "refinery_route_records_total", r, "stage=\"quarantined\"")).hasValue(2.0);
        assertThat(value(after, "refinery_route_quarantine_ratio", r)).hasValue(0.5);
        assertThat(value(after, "refinery_route_processing_lag_seconds", r)).isPresent();
        assertThat(value(after, "refinery_source_freshness_seconds", r, "entity=\"products\"", "source=\"upload\""))
                .hasValueSatisfying(seconds -> assertThat(seconds).isBetween(0.0, 600.0));
        assertThat(value(after, "refinery_table_freshness_seconds", "table=\"sales_order_lines\"")).isPresent();
        // Present and non-zero, not "grown": a background merge may compress the raw parts meanwhile.
        assertThat(value(after, "refinery_storage_bytes", "layer=\"raw\"")).hasValueSatisfying(bytes ->
                assertThat(bytes).isPositive());
        assertThat(value(after, "refinery_warehouse_query_seconds_count", "operation=\"IngestionLedger.totals\"",
                "kind=\"read\"", "outcome=\"ok\"")).hasValueSatisfying(n -> assertThat(n).isPositive());
        assertThat(value(after, "refinery_warehouse_query_seconds_count", "kind=\"insert\"",
                "operation=\"RawLanding.")).hasValueSatisfying(n -> assertThat(n).isPositive());
        assertThat(after).contains("jvm_memory_used_bytes{").contains("refinery_forecast_accuracy{measure=\"mase\"}")
                .contains("refinery_leadtime_anomalies_recent ").contains("refinery_forecast_runs_failed_recent ");
    }

    @Test
    void every_quality_check_in_force_is_a_gauge_saying_whether_its_newest_result_passed() {
        gates.runAll();
        List<CheckResult> latest;
        String scrape;
        do { // the scheduled quality job may store newer results meanwhile: take a scrape no run overlapped
            latest = gates.latest();
            metrics.refresh();
            scrape = scrape();
        } while (!latest.equals(gates.latest()));

        assertThat(latest).isNotEmpty();
        for (CheckResult r : latest) {
            String table = "table=\"" + r.table() + "\"";
            String check = "check=\"" + r.check() + "\"";
            assertThat(value(scrape, "refinery_quality_check_passing", table, check)).as(r.table() + "." + r.check())
                    .hasValue(r.status() == CheckStatus.PASS ? 1.0 : 0.0);
            if (r.observedValue() != null && Double.isFinite(r.observedValue())) {
                assertThat(value(scrape, "refinery_quality_check_observed", table, check)).as(r.table() + "." + r.check())
                        .hasValue(r.observedValue());
            }
        }
    }

    @Test
    void every_metric_an_alert_rule_names_is_in_the_scrape_and_the_shipped_file_is_the_one_the_app_reads() throws Exception {
        ingestHalfBad();
        String scrape = scrape();
        Path file = Path.of("..", "ops", "prometheus", "refinery-alerts.yml");
        List<AlertRules.Rule> rules;
        try (InputStream in = Files.newInputStream(file)) {
            rules = AlertRules.parse(in);
        }
        try (InputStream shipped = getClass().getResourceAsStream("/prometheus/refinery-alerts.yml")) {
            assertThat(shipped).as("rule file on the classpath").isNotNull();
            assertThat(new String(shipped.readAllBytes())).isEqualTo(Files.readString(file));
        }
        assertThat(rules).extracting(AlertRules.Rule::alert).contains("RefinerySourceFreshnessSla",
                "RefineryRowCountDrop", "RefineryQuarantineRateHigh", "RefineryForecastRunFailures",
                "RefineryLeadTimeAnomalySurge");
        List<String> missing = new ArrayList<>();
        for (AlertRules.Rule rule : rules) {
            if (!Pattern.compile("(?m)^" + Pattern.quote(rule.metric()) + "[{ ]").matcher(scrape).find()) {
                missing.add(rule.alert() + " -> " + rule.metric());
            }
        }
        assertThat(missing).as("alert rules whose metric is not in /actuator/prometheus").isEmpty();
    }

    @Test
    void the_in_app_alerts_list_a_route_that_quarantined_half_its_records_in_the_shape_the_banner_reads() throws Exception {
        String route = ingestHalfBad();

        String body = client.get().uri("/api/v1/alerts").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();

        JsonNode alerts = JSON.readTree(body);
        assertThat(alerts.isArray()).isTrue();
        JsonNode quarantine = null;
        for (JsonNode alert : alerts) {
            assertThat(alert.properties()).extracting(Map.Entry::getKey)
                    .containsExactly("id", "rule", "severity", "message", "since", "value", "threshold");
            if (alert.get("id").asText().equals("RefineryQuarantineRateHigh:route=" + route)) {
                quarantine = alert;
            }
        }
        assertThat(quarantine).as("quarantine alert of " + route + " in " + body).isNotNull();
        assertThat(quarantine.get("rule").asText()).isEqualTo("RefineryQuarantineRateHigh");
        assertThat(quarantine.get("severity").asText()).isEqualTo("critical");
        assertThat(quarantine.get("value").asDouble()).isEqualTo(0.5);
        assertThat(quarantine.get("threshold").asDouble()).isEqualTo(0.05);
        assertThat(quarantine.get("message").asText()).contains(route).contains("0.500");
        assertThat(Instant.parse(quarantine.get("since").asText())).isBefore(Instant.now().plusSeconds(1));
        // and a route with clean records raises no quarantine alert
        assertThat(body).doesNotContain("RefineryQuarantineRateHigh:route=" + route + "-sales");
    }

    @Test
    void health_is_public_with_status_only_and_the_probe_groups_hold_the_right_components() throws Exception {
        JsonNode publicHealth = JSON.readTree(client.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(publicHealth.get("status").asText()).isEqualTo("UP");
        assertThat(publicHealth.has("components")).as("components are for admins").isFalse();
        for (String probe : List.of("liveness", "readiness")) {
            JsonNode anonymous = JSON.readTree(client.get().uri("/actuator/health/" + probe).exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
            assertThat(anonymous.get("status").asText()).isEqualTo("UP");
            assertThat(anonymous.has("components")).isFalse();
        }

        JsonNode readiness = JSON.readTree(client.get().uri("/actuator/health/readiness").headers(TestUsers.as("admin"))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertThat(readiness.get("components").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("readinessState", "warehouse", "routeSources");
        assertThat(readiness.at("/components/warehouse/status").asText()).isEqualTo("UP");
        JsonNode liveness = JSON.readTree(client.get().uri("/actuator/health/liveness").headers(TestUsers.as("admin"))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertThat(liveness.get("components").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("livenessState", "ping");
    }

    @Test
    void storage_is_reported_per_layer_to_viewers_and_an_admin_token_may_scrape_but_a_planner_token_may_not() throws Exception {
        ingestHalfBad();
        JsonNode storage = JSON.readTree(client.get().uri("/api/v1/storage").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        List<String> layers = new ArrayList<>();
        storage.get("layers").forEach(l -> layers.add(l.get("layer").asText()));
        assertThat(layers).containsExactly("raw", "cleaned", "served", "quarantine", "ops");
        assertThat(storage.at("/layers/0/bytesOnDisk").asLong()).isPositive();
        assertThat(storage.at("/layers/3/rows").asLong()).as("quarantine rows").isPositive();

        String adminToken = token("admin");
        client.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + adminToken).exchange()
                .expectStatus().isOk();
        client.get().uri("/actuator/metrics").header(HttpHeaders.AUTHORIZATION, "Bearer " + adminToken).exchange()
                .expectStatus().isForbidden();
        client.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + token("test-planner"))
                .exchange().expectStatus().isForbidden();
    }

    private String token(String username) {
        @SuppressWarnings("unchecked")
        Map<String, Object> issued = client.post().uri("/api/v1/admin/tokens").headers(TestUsers.as("admin"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("username", username, "name", "scrape"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        return (String) issued.get("token");
    }

    private String scrape() {
        // The scrape is larger than the test's 64 KB codec limit for API bodies.
        return client.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build().get().uri("/actuator/prometheus").headers(TestUsers.as("admin")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    /** The value of the first sample of {@code metric} whose labels contain all {@code labels}. */
    static Optional<Double> value(String scrape, String metric, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "(\\{([^}]*)})? (\\S+)").matcher(scrape);
        while (m.find()) {
            String set = m.group(2) == null ? "" : m.group(2);
            boolean all = true;
            for (String label : labels) {
                all &= set.contains(label);
            }
            if (all) {
                return Optional.of(Double.parseDouble(m.group(3)));
            }
        }
        return Optional.empty();
    }
}
