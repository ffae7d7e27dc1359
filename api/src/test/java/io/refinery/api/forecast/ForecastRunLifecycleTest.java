package io.refinery.api.forecast;

import io.refinery.api.ApiTest;
import io.refinery.api.Seed;
import io.refinery.api.TestUsers;
import io.refinery.warehouse.accounts.UserAccounts;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A real run on the real forecasting module: start, follow, read, override, export. */
@ApiTest
class ForecastRunLifecycleTest {

    private static final ParameterizedTypeReference<List<Map<String, Object>>> ROWS = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient client;
    @Autowired
    UserAccounts accounts;
    @Autowired
    PasswordEncoder encoder;

    @BeforeEach
    void users() {
        TestUsers.ensure(accounts, encoder);
    }

    @Test
    void a_planner_runs_a_forecast_overrides_a_cell_and_the_exports_show_statistical_and_final_values() throws Exception {
        // given 120 days of demand of one SKU
        String sku = Seed.unique("FC");
        Map<LocalDate, Integer> days = new LinkedHashMap<>();
        LocalDate start = LocalDate.now().minusDays(121);
        for (int i = 0; i < 120; i++) {
            days.put(start.plusDays(i), 10 + (i % 7) * 2);
        }
        Seed.sales(client, sku, "L1", days);

        // when a planner starts a run for it
        @SuppressWarnings("unchecked")
        Map<String, Object> started = client.post().uri("/api/v1/forecast-runs").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("grain", "day", "horizon", 7, "scope", Map.of("skus", List.of(sku))))
                .exchange().expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        String runId = (String) started.get("runId");

        // then it finishes, with status, progress and lineage
        Map<String, Object> run = awaitFinished(runId);
        assertThat(run.get("status")).isEqualTo("SUCCEEDED");
        assertThat(run.get("progress")).isEqualTo(1.0);
        assertThat(run).containsKey("lineage");

        var read = client.get().uri("/api/v1/forecast-runs/" + runId + "/forecasts?sku=" + sku)
                .headers(TestUsers.as("planner")).exchange().expectBody(String.class).returnResult();
        assertThat(read.getStatus().value()).as(read.getResponseBody()).isEqualTo(200);
        List<Map<String, Object>> forecasts = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                read.getResponseBody(), new com.fasterxml.jackson.core.type.TypeReference<>() { });
        assertThat(forecasts).isNotEmpty();
        Map<String, Object> cell = forecasts.stream().filter(f -> sku.equals(f.get("sku")) && "L1".equals(f.get("location"))).findFirst().orElseThrow();

        // when the planner overrides one cell with a reason
        client.put().uri("/api/v1/forecast-runs/" + runId + "/overrides").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sku", sku, "location", cell.get("location"), "period", cell.get("period"),
                        "value", 123.5, "reason", "trade promotion"))
                .exchange().expectBody(String.class)
                .value(body -> assertThat(body).as("override answer").contains("\"value\":123.5"));

        // then the audit keeps who, old, new and why, and CSV and XLSX exports show both values
        client.get().uri("/api/v1/forecast-runs/" + runId + "/overrides/audit").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$[0].actor").isEqualTo("test-planner").jsonPath("$[0].newValue").isEqualTo(123.5)
                .jsonPath("$[0].oldValue").isEqualTo(cell.get("p50")).jsonPath("$[0].reason").isEqualTo("trade promotion");
        String csv = client.get().uri("/api/v1/forecast-runs/" + runId + "/forecasts?format=csv&sku=" + sku)
                .headers(TestUsers.as("planner")).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(new MediaType("text", "csv"))
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(csv.lines().findFirst().orElseThrow()).contains("statistical", "final");
        assertThat(csv).contains(",123.5,true,trade promotion,test-planner");
        byte[] xlsx = client.get().uri("/api/v1/forecast-runs/" + runId + "/forecasts?format=xlsx&sku=" + sku)
                .headers(TestUsers.as("planner")).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            var sheet = workbook.getSheetAt(0);
            assertThat(sheet.getRow(0).getCell(8).getStringCellValue()).isEqualTo("final");
            assertThat(sheet.getLastRowNum()).isEqualTo(forecasts.size());
            boolean found = false;
            for (int i = 1; i <= sheet.getLastRowNum(); i++) {
                if (sheet.getRow(i).getCell(8).getNumericCellValue() == 123.5) {
                    found = true;
                }
            }
            assertThat(found).as("override in the workbook").isTrue();
        }
        // and Power BI's OData feed has the run's forecasts with the final value, and its accuracy
        client.get().uri(u -> u.path("/odata/v4/ForecastsByRun")
                        .queryParam("$filter", "{f}").queryParam("$select", "sku,period,p50,final,overridden")
                        .build("run_id eq '" + runId + "' and sku eq '" + sku + "' and overridden eq true"))
                .headers(TestUsers.as("viewer")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.value.length()").isEqualTo(1).jsonPath("$.value[0].final").isEqualTo(123.5);
        client.get().uri(u -> u.path("/odata/v4/ForecastsByRun").queryParam("$filter", "{f}").build("sku eq '" + sku + "'"))
                .headers(TestUsers.as("viewer")).exchange().expectStatus().isBadRequest();
        client.get().uri(u -> u.path("/odata/v4/ForecastAccuracy").queryParam("$filter", "{f}").build("sku eq '" + sku + "'"))
                .headers(TestUsers.as("viewer")).exchange().expectStatus().isOk().expectBody().jsonPath("$.value").isArray();

        // when a later run forecasts the same cell
        @SuppressWarnings("unchecked")
        Map<String, Object> second = client.post().uri("/api/v1/forecast-runs").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("grain", "day", "horizon", 7, "scope", Map.of("skus", List.of(sku))))
                .exchange().expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        String laterRunId = (String) second.get("runId");
        assertThat(awaitFinished(laterRunId).get("status")).isEqualTo("SUCCEEDED");

        // then the override carries over: final value, reason, planner and the run it was made on, and its audit
        String cellLine = sku + ",L1," + cell.get("period") + ",";
        String laterCsv = csv(laterRunId, sku);
        assertThat(laterCsv.lines().filter(l -> l.startsWith(cellLine)).findFirst().orElseThrow())
                .endsWith(",123.5,true,trade promotion,test-planner," + runId);
        client.get().uri("/api/v1/forecast-runs/" + laterRunId + "/overrides/audit").headers(TestUsers.as("viewer"))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(1).jsonPath("$[0].runId").isEqualTo(runId)
                .jsonPath("$[0].newValue").isEqualTo(123.5);

        // when the planner clears it on the later run, with a reason
        client.delete().uri(u -> u.path("/api/v1/forecast-runs/" + laterRunId + "/overrides")
                        .queryParam("sku", sku).queryParam("location", "L1").queryParam("period", cell.get("period"))
                        .queryParam("reason", "promotion cancelled").build())
                .headers(TestUsers.as("planner")).exchange().expectStatus().isOk();

        // then the later run's final value is its statistical one again, the earlier run keeps its override,
        // the clear is audited, and clearing again finds nothing
        String clearedLine = csv(laterRunId, sku).lines().filter(l -> l.startsWith(cellLine)).findFirst().orElseThrow();
        // a model name such as "ETS(A,N,A)" is quoted and holds commas: split outside quotes only
        String[] fields = clearedLine.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
        assertThat(fields[8]).isEqualTo(fields[7]);
        assertThat(fields[9]).isEqualTo("false");
        assertThat(csv(runId, sku)).contains(",123.5,true,trade promotion,test-planner," + runId);
        client.get().uri("/api/v1/forecast-runs/" + laterRunId + "/overrides/audit").headers(TestUsers.as("viewer"))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(2).jsonPath("$[1].cleared").isEqualTo(true)
                .jsonPath("$[1].reason").isEqualTo("promotion cancelled").jsonPath("$[1].runId").isEqualTo(laterRunId);
        client.delete().uri(u -> u.path("/api/v1/forecast-runs/" + laterRunId + "/overrides")
                        .queryParam("sku", sku).queryParam("location", "L1").queryParam("period", cell.get("period"))
                        .queryParam("reason", "again").build())
                .headers(TestUsers.as("planner")).exchange().expectStatus().isNotFound();
        client.delete().uri(u -> u.path("/api/v1/forecast-runs/" + laterRunId + "/overrides")
                        .queryParam("sku", sku).queryParam("location", "L1").queryParam("period", "yesterday")
                        .queryParam("reason", "x").build())
                .headers(TestUsers.as("planner")).exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);

        // and 'latest' names a successful run
        client.get().uri("/api/v1/forecast-runs/latest").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("SUCCEEDED");
    }

    @Test
    void an_override_of_a_cell_the_run_does_not_have_is_a_404_and_a_viewer_cannot_override() {
        client.put().uri("/api/v1/forecast-runs/no-such-run/overrides").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sku", "X", "location", "Y", "period", "2025-01-01", "value", 1, "reason", "r"))
                .exchange().expectStatus().isNotFound();
        client.put().uri("/api/v1/forecast-runs/no-such-run/overrides").headers(TestUsers.as("viewer"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sku", "X", "location", "Y", "period", "2025-01-01", "value", 1, "reason", "r"))
                .exchange().expectStatus().isForbidden();
        client.put().uri("/api/v1/forecast-runs/no-such-run/overrides").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sku", "X", "location", "Y", "period", "2025-01-01", "value", -1, "reason", ""))
                .exchange().expectStatus().isBadRequest();
    }

    private String csv(String runId, String sku) {
        return client.get().uri("/api/v1/forecast-runs/" + runId + "/forecasts?format=csv&sku=" + sku)
                .headers(TestUsers.as("planner")).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> awaitFinished(String runId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (true) {
            Map<String, Object> run = client.get().uri("/api/v1/forecast-runs/" + runId).headers(TestUsers.as("viewer"))
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            String status = String.valueOf(run.get("status"));
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || Instant.now().isAfter(deadline)) {
                return run;
            }
            Thread.sleep(500);
        }
    }
}
