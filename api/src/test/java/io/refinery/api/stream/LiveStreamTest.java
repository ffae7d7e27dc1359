package io.refinery.api.stream;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LiveStreamTest {

    private final LiveStream stream = new LiveStream(new StreamProperties(Duration.ofSeconds(15), Duration.ofSeconds(2), 5, 3));

    @Test
    void a_new_client_gets_only_events_published_after_it_connected() {
        stream.publish("pipeline", "old");
        StepVerifier.create(stream.events(null))
                .then(() -> stream.publish("pipeline", "new"))
                .assertNext(e -> assertThat(e.data()).isEqualTo("new"))
                .thenCancel().verify(Duration.ofSeconds(5));
    }

    @Test
    void a_client_resuming_with_last_event_id_gets_what_it_missed_then_live_events_without_gaps_or_repeats() {
        for (int i = 1; i <= 4; i++) {
            stream.publish("run", i);
        }
        StepVerifier.create(stream.events(2L))
                .assertNext(e -> assertThat(e.id()).isEqualTo(3))
                .assertNext(e -> assertThat(e.id()).isEqualTo(4))
                .then(() -> stream.publish("run", 5))
                .assertNext(e -> assertThat(e.id()).isEqualTo(5))
                .thenCancel().verify(Duration.ofSeconds(5));
    }

    @Test
    void a_client_whose_last_event_is_no_longer_kept_is_told_to_reload() {
        for (int i = 1; i <= 12; i++) {
            stream.publish("run", i);
        }
        StepVerifier.create(stream.events(1L))
                .assertNext(e -> assertThat(e.type()).isEqualTo(LiveEvent.RESET))
                .assertNext(e -> assertThat(e.id()).isEqualTo(8))
                .thenCancel().verify(Duration.ofSeconds(5));
    }

    @Test
    void a_slow_client_does_not_hold_back_the_publisher_and_keeps_only_the_newest_events() {
        StepVerifier.create(stream.events(null), 0)
                .then(() -> {
                    for (int i = 1; i <= 10_000; i++) {
                        stream.publish("pipeline", i);
                    }
                })
                .thenRequest(3)
                .assertNext(e -> assertThat(e.data()).isEqualTo(9_998))
                .assertNext(e -> assertThat(e.data()).isEqualTo(9_999))
                .assertNext(e -> assertThat(e.data()).isEqualTo(10_000))
                .thenCancel().verify(Duration.ofSeconds(5));
    }
}
