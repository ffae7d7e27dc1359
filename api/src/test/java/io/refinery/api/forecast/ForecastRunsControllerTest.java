package io.refinery.api.forecast;

import io.refinery.api.problem.ProblemWriter;
import io.refinery.forecasting.ForecastRequest;
import io.refinery.forecasting.ForecastRun;
import io.refinery.forecasting.ForecastRuns;
import io.refinery.forecasting.Grain;
import io.refinery.forecasting.RunStatus;
import io.refinery.forecasting.Scope;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.reactive.WebFluxTest;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.csrf;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.mockUser;

/** The run endpoints as a slice: the forecasting facade is mocked (the warehouse is not involved). */
@WebFluxTest(ForecastRunsController.class)
class ForecastRunsControllerTest {

    /** Only the controller and the problem handling: not the application, whose imports start the warehouse. */
    @SpringBootConfiguration
    @Import(ForecastRunsController.class)
    @ComponentScan(basePackageClasses = ProblemWriter.class)
    static class Slice {
    }

    @Autowired
    WebTestClient client;
    @MockitoBean
    ForecastRuns runs;

    private WebTestClient planner() {
        return client.mutateWith(mockUser("pat").roles("PLANNER")).mutateWith(csrf());
    }

    private static ForecastRun run(String id, RunStatus status) {
        return new ForecastRun(id, status, 0, "api", "pat", new ForecastRequest(Grain.WEEK, 8, Scope.ALL),
                Instant.parse("2025-01-01T00:00:00Z"), null, 0, null, null, null);
    }

    @Test
    void a_planner_starts_a_run_and_gets_202_with_the_run_id_and_its_location() {
        when(runs.start(any(), eq("pat"), eq("api"))).thenReturn(run("run-1", RunStatus.QUEUED));
        planner().post().uri("/api/v1/forecast-runs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"grain\":\"week\",\"horizon\":8,\"scope\":{\"skus\":[\"A-1\"],\"locations\":[],\"categories\":[\"tools\"]}}")
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "/api/v1/forecast-runs/run-1")
                .expectBody().jsonPath("$.runId").isEqualTo("run-1").jsonPath("$.status").isEqualTo("queued");
        verify(runs).start(eq(new ForecastRequest(Grain.WEEK, 8, new Scope(List.of("A-1"), List.of(), List.of("tools")))),
                eq("pat"), eq("api"));
    }

    @Test
    void a_second_run_for_a_scope_that_is_running_gets_a_409_problem_naming_the_active_run() {
        when(runs.start(any(), any(), any())).thenThrow(new ForecastRuns.RunAlreadyActiveException("run-7"));
        planner().post().uri("/api/v1/forecast-runs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"grain\":\"day\",\"horizon\":14}")
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.activeRunId").isEqualTo("run-7").jsonPath("$.detail").exists();
    }

    @Test
    void invalid_run_requests_are_400_problems_naming_the_field_and_nothing_is_started() {
        for (String[] bad : List.of(
                new String[]{"{\"grain\":\"week\",\"horizon\":0}", "horizon"},
                new String[]{"{\"grain\":\"week\",\"horizon\":367}", "horizon"},
                new String[]{"{\"grain\":\"week\",\"horizon\":\"12\"}", "horizon"},
                new String[]{"{\"grain\":\"year\",\"horizon\":12}", "grain"},
                new String[]{"{\"horizon\":12}", "grain"},
                new String[]{"{\"grain\":\"week\",\"horizon\":12,\"owner\":\"x\"}", "owner"},
                new String[]{"{\"grain\":\"week\",\"horizon\":12,\"scope\":{\"skus\":[\"A'; DROP TABLE x; --\"]}}", "skus"},
                new String[]{"{\"grain\":\"week\",\"horizon\":12,\"scope\":{\"regions\":[\"north\"]}}", "regions"})) {
            planner().post().uri("/api/v1/forecast-runs").contentType(MediaType.APPLICATION_JSON).bodyValue(bad[0])
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).as(bad[0]).contains(bad[1]));
        }
        verifyNoInteractions(runs);
    }

    @Test
    void latest_names_the_newest_successful_run_and_an_unknown_run_is_a_404_problem() {
        when(runs.find("latest")).thenReturn(Optional.of(run("run-9", RunStatus.SUCCEEDED)));
        when(runs.find("nope")).thenReturn(Optional.empty());
        client.mutateWith(mockUser("vic").roles("VIEWER")).get().uri("/api/v1/forecast-runs/latest").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.runId").isEqualTo("run-9")
                .jsonPath("$.status").isEqualTo("SUCCEEDED");
        client.mutateWith(mockUser("vic").roles("VIEWER")).get().uri("/api/v1/forecast-runs/nope").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client.mutateWith(mockUser("vic").roles("VIEWER")).get().uri("/api/v1/forecast-runs/..%2Fetc").exchange()
                .expectStatus().is4xxClientError();
    }
}
