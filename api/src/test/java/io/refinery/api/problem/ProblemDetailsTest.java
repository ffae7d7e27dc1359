package io.refinery.api.problem;

import io.refinery.api.ApiTest;
import io.refinery.api.TestUsers;
import io.refinery.ingestion.Ingestion;
import io.refinery.warehouse.accounts.UserAccounts;
import io.refinery.warehouse.ingest.IngestRecords.RouteTotals;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of bad input is a 4xx problem+json that says what is wrong, and nothing is written. */
@ApiTest
class ProblemDetailsTest {

    @Autowired
    WebTestClient client;
    @Autowired
    UserAccounts accounts;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    Ingestion ingestion;
    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    @BeforeEach
    void users() {
        TestUsers.ensure(accounts, encoder);
    }

    @Test
    void an_unknown_path_is_a_404_problem() {
        problem(client.get().uri("/api/v1/no-such-thing").headers(TestUsers.as("viewer")).exchange(), 404, null);
    }

    @Test
    void an_unknown_json_field_is_refused_by_name() {
        problem(client.post().uri("/api/v1/forecast-runs").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"grain\":\"week\",\"horizon\":4,\"priority\":\"high\"}").exchange(), 400, "priority");
    }

    @Test
    void a_value_of_the_wrong_type_is_refused_naming_the_field() {
        problem(client.post().uri("/api/v1/forecast-runs").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"grain\":\"week\",\"horizon\":\"ten\"}").exchange(),
                400, "horizon");
        problem(client.post().uri("/api/v1/forecast-runs").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"grain\":\"fortnight\",\"horizon\":4}").exchange(),
                400, "grain");
    }

    @Test
    void a_body_that_is_not_json_is_a_400_problem() {
        problem(client.post().uri("/api/v1/forecast-runs").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"grain\": ").exchange(), 400, null);
    }

    @Test
    void a_huge_json_body_is_a_413_problem() {
        String huge = "{\"grain\":\"week\",\"horizon\":4,\"scope\":{\"skus\":[\"" + "A".repeat(200_000) + "\"]}}";
        var raw = client.post().uri("/api/v1/forecast-runs").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(huge).exchange().expectBody(String.class).returnResult();
        assertThat(raw.getResponseBody()).contains("larger");
        problem(client.post().uri("/api/v1/forecast-runs").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(huge).exchange(), 413, null);
    }

    @Test
    void query_parameters_with_injection_attempts_or_wrong_types_are_refused_by_name() {
        problem(client.get().uri(URI.create("http://localhost:" + port + "/api/v1/demand?sku=%27%20OR%201%3D1%20--")).headers(TestUsers.as("viewer"))
                .exchange(), 400, "sku");
        problem(client.get().uri("/api/v1/demand?grain=year").headers(TestUsers.as("viewer")).exchange(), 400, "grain");
        problem(client.get().uri("/api/v1/demand?from=2024-13-01").headers(TestUsers.as("viewer")).exchange(), 400, "from");
        problem(client.get().uri("/api/v1/demand?limit=-1").headers(TestUsers.as("viewer")).exchange(), 400, "limit");
    }

    @Test
    void path_traversal_in_dataset_names_and_file_names_is_refused_and_nothing_is_ingested() {
        long before = received();
        var traversal = client.post().uri(URI.create("http://localhost:" + port + "/api/v1/datasets/..%2F..%2Fetc%2Fpasswd"))
                .headers(TestUsers.as("planner")).contentType(new MediaType("text", "csv")).bodyValue("a,b\n1,2\n")
                .exchange();
        traversal.expectStatus().is4xxClientError().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client.post().uri("/api/v1/datasets/..").headers(TestUsers.as("planner"))
                .contentType(new MediaType("text", "csv")).bodyValue("a,b\n1,2\n").exchange()
                .expectStatus().is4xxClientError().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        problem(client.post().uri(URI.create("http://localhost:" + port + "/api/v1/datasets/products?filename=..%2F..%2Fetc%2Fpasswd"))
                .headers(TestUsers.as("planner")).contentType(new MediaType("text", "csv"))
                .bodyValue("sku,name,category,unit\nP-1,Pen,office,EA\n").exchange(), 400, "filename");
        problem(client.post().uri("/api/v1/datasets/etc-passwd").headers(TestUsers.as("planner"))
                .contentType(new MediaType("text", "csv")).bodyValue("a\n1\n").exchange(), 404, "no dataset");
        assertThat(received()).isEqualTo(before);
    }

    @Test
    void an_upload_of_an_unsupported_type_is_415_and_an_empty_upload_is_400() {
        problem(client.post().uri("/api/v1/datasets/products").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_PDF).bodyValue("%PDF").exchange(), 415, null);
        problem(client.post().uri("/api/v1/datasets/products").headers(TestUsers.as("planner"))
                .contentType(new MediaType("text", "csv")).bodyValue("").exchange(), 400, "empty");
    }

    private long received() {
        return ingestion.counters().stream().filter(t -> "*".equals(t.routeId())).mapToLong(RouteTotals::received)
                .sum();
    }

    private static void problem(WebTestClient.ResponseSpec response, int status, String mentioned) {
        response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.detail").value(detail -> {
                    if (mentioned != null) {
                        assertThat(detail.toString()).contains(mentioned);
                    }
                });
    }
}
