package io.refinery.api.jobs;

import io.refinery.api.ApiTest;
import io.refinery.api.TestUsers;
import io.refinery.warehouse.accounts.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The jobs endpoints on the whole application: the graph, a run by hand, its history, bad requests. */
@ApiTest
class JobsApiTest {

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
    void a_viewer_sees_the_graph_and_an_admin_runs_a_job_whose_attempt_appears_in_the_history() throws Exception {
        client.get().uri("/api/v1/jobs").headers(TestUsers.as("viewer")).exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$[?(@.name == 'forecast')].schedule").isEqualTo("0 0 2 * * *")
                .jsonPath("$[?(@.name == 'lead-time-flags')].upstream[0]").isEqualTo("served.lead_times")
                .jsonPath("$[?(@.name == 'replay')].lane").isEqualTo("backfill");

        String key = client.post().uri("/api/v1/jobs/lead-time-flags/run").headers(TestUsers.as("admin"))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("triggerKey").toString();
        assertThat(key).startsWith("manual:admin:");

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String body = "";
        while (System.nanoTime() < deadline && !body.contains("\"SUCCEEDED\"")) {
            Thread.sleep(500);
            body = client.get().uri(u -> u.path("/api/v1/jobs/runs").queryParam("job", "lead-time-flags")
                            .queryParam("trigger", "manual").build()).headers(TestUsers.as("viewer"))
                    .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        }
        assertThat(body).contains(key).contains("\"SUCCEEDED\"").contains("\"total\":1").contains("lead times flagged");
    }

    @Test
    void unknown_jobs_and_bad_ranges_get_problems() {
        client.post().uri("/api/v1/jobs/no-such-job/run").headers(TestUsers.as("admin")).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client.post().uri("/api/v1/jobs/backfill").headers(TestUsers.as("admin")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"from\":\"2026-01-02T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client.get().uri("/api/v1/jobs/runs?status=nonsense").headers(TestUsers.as("viewer")).exchange()
                .expectStatus().isBadRequest();
        client.post().uri("/api/v1/jobs/forecast/run").headers(TestUsers.as("planner")).exchange()
                .expectStatus().isForbidden();
    }
}
