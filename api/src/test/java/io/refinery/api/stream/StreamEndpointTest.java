package io.refinery.api.stream;

import io.refinery.api.ApiTest;
import io.refinery.api.TestUsers;
import io.refinery.warehouse.accounts.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ApiTest
class StreamEndpointTest {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient client;
    @Autowired
    LiveStream stream;
    @Autowired
    UserAccounts accounts;
    @Autowired
    PasswordEncoder encoder;

    @BeforeEach
    void users() {
        TestUsers.ensure(accounts, encoder);
    }

    @Test
    void a_viewer_receives_live_events_with_ids_and_heartbeats_and_resumes_after_the_last_event_id() {
        LiveEvent first = stream.publish("test", Map.of("n", 1));
        stream.publish("test", Map.of("n", 2));
        var events = client.get().uri("/api/v1/stream").headers(TestUsers.as("viewer"))
                .header("Last-Event-ID", Long.toString(first.id()))
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(EVENT).getResponseBody();
        StepVerifier.create(events.filter(e -> e.event() != null && e.event().equals("test")).take(2))
                .then(() -> stream.publish("test", Map.of("n", 3)))
                .assertNext(e -> assertThat(e.data()).containsEntry("n", 2))
                .assertNext(e -> {
                    assertThat(e.data()).containsEntry("n", 3);
                    assertThat(e.id()).isEqualTo(Long.toString(first.id() + 2));
                })
                .verifyComplete();
        var withHeartbeat = client.get().uri("/api/v1/stream").headers(TestUsers.as("viewer"))
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().returnResult(EVENT).getResponseBody();
        StepVerifier.create(withHeartbeat.filter(e -> "heartbeat".equals(e.comment())).take(1))
                .expectNextCount(1).expectComplete().verify(Duration.ofSeconds(10));
    }

    @Test
    void new_sales_reach_connected_clients_as_pipeline_and_demand_events_from_the_one_shared_poller() throws Exception {
        var events = client.get().uri("/api/v1/stream").headers(TestUsers.as("viewer"))
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(EVENT).getResponseBody();
        StepVerifier.create(events.filter(e -> "demand".equals(e.event()) || "pipeline".equals(e.event()))
                        .map(ServerSentEvent::event).distinct().take(2))
                .then(() -> {
                    try {
                        Thread.sleep(1000); // the poller takes its baseline once a client is connected
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    io.refinery.api.Seed.sales(client, io.refinery.api.Seed.unique("SSE"), "L1",
                            Map.of(java.time.LocalDate.parse("2025-06-01"), 4));
                })
                .expectNextCount(2)
                .expectComplete().verify(Duration.ofSeconds(60));
    }

    @Test
    void a_malformed_last_event_id_is_a_400_problem() {
        client.get().uri("/api/v1/stream").headers(TestUsers.as("viewer")).header("Last-Event-ID", "abc")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isBadRequest();
    }
}
