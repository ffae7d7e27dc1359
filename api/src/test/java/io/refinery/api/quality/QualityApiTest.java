package io.refinery.api.quality;

import io.refinery.api.ApiTest;
import io.refinery.api.TestUsers;
import io.refinery.warehouse.accounts.UserAccounts;
import io.refinery.warehouse.cleaned.CleanedRows.SalesOrderLine;
import io.refinery.warehouse.cleaned.CleanedWriter;
import io.refinery.warehouse.cleaned.Lineage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quality gates through the API, in a database of their own with forecasts gated: an admin runs
 * the checks, viewers read the newest results, history and the pipeline's quality section, and a
 * forecast started while a blocking check fails is BLOCKED with the reason, then runs once the data is fixed.
 */
@ApiTest
@TestPropertySource(properties = "refinery.quality.gate-forecasts=true")
@Import(QualityApiTest.FixedClock.class)
class QualityApiTest {

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final LocalDate TODAY = LocalDate.of(2025, 6, 1);

    @TestConfiguration(proxyBeanMethods = false)
    static class FixedClock {
        @Bean
        Clock qualityClock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }

    @Autowired
    WebTestClient client;
    @Autowired
    UserAccounts accounts;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    CleanedWriter cleaned;

    @BeforeEach
    void users() {
        TestUsers.ensure(accounts, encoder);
    }

    /** 10 series x 40 days; yesterday only 7 of them (a 30 % drop) unless {@code complete}. */
    private List<SalesOrderLine> lines(boolean lateOnly) {
        UUID batch = UUID.nameUUIDFromBytes("quality-api".getBytes());
        List<SalesOrderLine> lines = new ArrayList<>();
        int n = 0;
        for (int d = 0; d < 40; d++) {
            LocalDate day = TODAY.minusDays(d);
            for (int s = 0; s < 10; s++) {
                boolean late = d == 1 && s >= 7;
                if (late == lateOnly) {
                    lines.add(new SalesOrderLine("QA-" + day + "-" + s, "QA-SKU-" + s, "QA-LOC",
                            BigDecimal.valueOf(5 + (d * 7 + s) % 10), BigDecimal.ONE,
                            day.atTime(9, 0).toInstant(ZoneOffset.UTC), "web", new Lineage(batch, d * 10 + s, 1)));
                }
                n++;
            }
        }
        return lines;
    }

    @Test
    @SuppressWarnings("unchecked")
    void adminRunsChecksViewersSeeResultsAndABlockingFailureHaltsTheForecastUntilTheDataIsFixed() {
        cleaned.writeSalesOrderLines(lines(false));

        // a viewer may not run checks; an admin may
        client.post().uri("/api/v1/quality/run").headers(TestUsers.as("viewer")).exchange().expectStatus().isForbidden();
        Map<String, Object> run = client.post().uri("/api/v1/quality/run").headers(TestUsers.as("admin")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<Map<String, Object>>) run.get("results")).isNotEmpty();

        // the newest results, with the failing blocking check named
        Map<String, Object> quality = client.get().uri("/api/v1/quality").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Object> summary = (Map<String, Object>) quality.get("summary");
        assertThat(((Map<String, Number>) summary.get("counts")).get("FAIL").intValue()).isEqualTo(1);
        List<Map<String, Object>> failing = (List<Map<String, Object>>) summary.get("failingBlocking");
        assertThat(failing).singleElement().satisfies(f -> {
            assertThat(f.get("table")).isEqualTo("demand_daily");
            assertThat(f.get("check")).isEqualTo("volume_vs_yesterday");
            assertThat(f.get("observed")).isEqualTo("7 rows on 2025-05-31 (-30 % vs 10)");
            assertThat(f.get("specVersion")).isEqualTo(1);
            assertThat(f.get("blocking")).isEqualTo(true);
        });
        assertThat((List<Map<String, Object>>) quality.get("tables")).extracting(t -> t.get("table"))
                .contains("demand_daily", "sales_order_lines", "lead_times", "receipts", "iot_readings");

        // the pipeline overview carries the same state
        Map<String, Object> pipeline = client.get().uri("/api/v1/pipeline").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Object> section = (Map<String, Object>) pipeline.get("quality");
        assertThat(((Map<String, Number>) section.get("counts")).get("FAIL").intValue()).isEqualTo(1);
        assertThat((List<Map<String, Object>>) section.get("failingBlocking")).extracting(f -> f.get("check"))
                .containsExactly("volume_vs_yesterday");

        // a planner's forecast run is halted, and says why
        String blocked = startRun();
        Map<String, Object> halted = awaitFinished(blocked);
        assertThat(halted.get("status")).isEqualTo("BLOCKED");
        assertThat((String) halted.get("message")).startsWith("quality check volume_vs_yesterday on table demand_daily"
                + " failed: observed 7 rows on 2025-05-31 (-30 % vs 10), expected >= 8 rows");

        // the late lines arrive: the next run proceeds
        cleaned.writeSalesOrderLines(lines(true));
        Map<String, Object> proceeded = awaitFinished(startRun());
        assertThat(proceeded.get("status")).as(String.valueOf(proceeded.get("message"))).isEqualTo("SUCCEEDED");

        // history: the failing result, then the passing re-check, newest first
        Map<String, Object> history = client.get()
                .uri("/api/v1/quality/history?table=demand_daily&check=volume_vs_yesterday&size=10")
                .headers(TestUsers.as("viewer")).exchange().expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
        assertThat(((Number) history.get("total")).intValue()).isGreaterThanOrEqualTo(2);
        List<Map<String, Object>> items = (List<Map<String, Object>>) history.get("items");
        assertThat(items.getFirst().get("status")).isEqualTo("PASS");
        assertThat(items).extracting(i -> i.get("status")).contains("FAIL");
    }

    @Test
    void badParametersAndUnknownTablesAreProblems() {
        client.get().uri("/api/v1/quality/history?table=x;drop").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isBadRequest().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).startsWith("table:"));
        client.get().uri("/api/v1/quality/history?size=0").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isBadRequest();
        client.post().uri("/api/v1/quality/run?table=no_such_table").headers(TestUsers.as("admin")).exchange()
                .expectStatus().isNotFound().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("no_such_table"));
    }

    private String startRun() {
        Map<?, ?> started = client.post().uri("/api/v1/forecast-runs").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("grain", "day", "horizon", 7, "scope", Map.of("locations", List.of("QA-LOC"))))
                .exchange().expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        return (String) started.get("runId");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> awaitFinished(String runId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            Map<String, Object> run = client.get().uri("/api/v1/forecast-runs/" + runId).headers(TestUsers.as("viewer"))
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            String status = (String) run.get("status");
            if (List.of("SUCCEEDED", "FAILED", "BLOCKED").contains(status) || System.nanoTime() > deadline) {
                return run;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return run;
            }
        }
    }
}
