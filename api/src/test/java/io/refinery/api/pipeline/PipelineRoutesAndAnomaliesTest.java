package io.refinery.api.pipeline;

import io.refinery.api.ApiTest;
import io.refinery.api.TestUsers;
import io.refinery.warehouse.accounts.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Pipeline counters, quarantine re-processing, route administration and lead-time anomalies. */
@ApiTest
class PipelineRoutesAndAnomaliesTest {

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
    void viewers_see_the_pipeline_counters_and_the_quarantine_with_strict_filters() {
        client.get().uri("/api/v1/pipeline").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.counters").isArray().jsonPath("$.reconciliation").isArray();
        client.get().uri("/api/v1/quarantine?status=open&limit=5").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isOk();
        client.get().uri("/api/v1/quarantine?status=deleted").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("status"));
        client.get().uri("/api/v1/quarantine?entity=users").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("entity"));
    }

    @Test
    void only_admins_reprocess_the_quarantine_and_bad_requests_name_the_field() {
        client.post().uri("/api/v1/quarantine/reprocess").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"entity\":\"sales-order-lines\"}").exchange()
                .expectStatus().isForbidden();
        client.post().uri("/api/v1/quarantine/reprocess").headers(TestUsers.as("admin"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"entity\":\"sales-order-lines\"}").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.examined").isNumber();
        client.post().uri("/api/v1/quarantine/reprocess").headers(TestUsers.as("admin"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"batchIds\":[\"not-a-uuid\"]}").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("batchIds"));
    }

    @Test
    void an_admin_creates_validates_starts_stops_and_deletes_a_file_drop_route_with_an_audit_trail() throws Exception {
        Path inbox = Path.of("data/inbox/api-test-" + Long.toHexString(System.nanoTime())).toAbsolutePath();
        Files.createDirectories(inbox);
        String id = "api-test-" + Long.toHexString(System.nanoTime());
        Map<String, Object> route = Map.of("id", id, "kind", "file-drop", "entity", "products",
                "options", Map.of("inbox", inbox.toString(), "format", "csv"));
        client.get().uri("/api/v1/admin/routes/kinds").headers(TestUsers.as("admin")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$['file-drop']").isArray();
        client.post().uri("/api/v1/admin/routes/validate").headers(TestUsers.as("admin"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(route).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.valid").isEqualTo(true);
        client.post().uri("/api/v1/admin/routes").headers(TestUsers.as("admin"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(route).exchange()
                .expectStatus().isCreated().expectBody().jsonPath("$.desiredState").isEqualTo("stopped");
        client.post().uri("/api/v1/admin/routes").headers(TestUsers.as("admin"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(route).exchange().expectStatus().isEqualTo(409);
        client.post().uri("/api/v1/admin/routes/" + id + "/start").headers(TestUsers.as("admin")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.desiredState").isEqualTo("started");
        client.post().uri("/api/v1/admin/routes/" + id + "/stop").headers(TestUsers.as("admin")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.desiredState").isEqualTo("stopped");
        client.get().uri("/api/v1/admin/routes/" + id + "/audit").headers(TestUsers.as("admin")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.length()").value(n -> assertThat((Integer) n).isGreaterThanOrEqualTo(3));
        client.delete().uri("/api/v1/admin/routes/" + id).headers(TestUsers.as("admin")).exchange()
                .expectStatus().isNoContent();
        // the inbox lies under the default allowed root (./data/inbox); leave nothing behind
        Files.deleteIfExists(inbox);
        for (Path parent = inbox.getParent(); parent != null && parent.endsWith("inbox") || parent != null
                && parent.endsWith("data"); parent = parent.getParent()) {
            try (var entries = Files.list(parent)) {
                if (entries.findAny().isPresent()) {
                    break;
                }
            }
            Files.delete(parent);
        }
    }

    @Test
    void route_definitions_outside_the_allowlist_are_refused_and_nothing_is_stored() {
        String id = "api-bad-" + Long.toHexString(System.nanoTime());
        client.post().uri("/api/v1/admin/routes").headers(TestUsers.as("admin")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("id", id, "kind", "camel-uri", "entity", "products", "options", Map.of()))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("kind"));
        client.post().uri("/api/v1/admin/routes").headers(TestUsers.as("admin")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("id", id, "kind", "file-drop", "entity", "products",
                        "options", Map.of("inbox", "/etc", "format", "csv")))
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client.post().uri("/api/v1/admin/routes").headers(TestUsers.as("admin")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("id", "../../etc", "kind", "file-drop", "entity", "products", "options", Map.of()))
                .exchange().expectStatus().isBadRequest();
        client.get().uri("/api/v1/admin/routes/" + id).headers(TestUsers.as("admin")).exchange().expectStatus().isNotFound();
        client.get().uri("/api/v1/admin/routes").headers(TestUsers.as("planner")).exchange().expectStatus().isForbidden();
    }

    @Test
    void lead_time_anomalies_are_paged_with_validated_filters_and_acknowledging_an_unknown_flag_is_404() {
        client.get().uri("/api/v1/anomalies/lead-time?page=0&size=10&acknowledged=false").headers(TestUsers.as("viewer"))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items").isArray().jsonPath("$.total").isNumber().jsonPath("$.size").isEqualTo(10);
        client.get().uri("/api/v1/anomalies/lead-time?size=5000").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("size"));
        client.get().uri("/api/v1/anomalies/lead-time?acknowledged=maybe").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isBadRequest();
        client.post().uri("/api/v1/anomalies/lead-time/PO-NOPE/acknowledge").headers(TestUsers.as("planner")).exchange()
                .expectStatus().isNotFound();
        client.post().uri("/api/v1/anomalies/lead-time/PO-NOPE/acknowledge").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void the_openapi_document_describes_the_endpoints_for_viewers() {
        client.get().uri("/v3/api-docs").headers(TestUsers.as("viewer")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.paths['/api/v1/demand'].get").exists()
                .jsonPath("$.paths['/api/v1/forecast-runs'].post").exists()
                .jsonPath("$.paths['/odata/v4/{set}'].get").exists();
        client.get().uri("/v3/api-docs").exchange().expectStatus().isUnauthorized();
    }
}
