package io.refinery.api.security;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {

    private Instant now = Instant.parse("2025-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final LoginThrottle throttle = new LoginThrottle(new LoginProperties(5, Duration.ofMinutes(1),
            Duration.ofSeconds(30)), clock);

    @Test
    void five_failures_within_the_window_block_the_key_until_the_oldest_leaves_the_window() {
        String key = LoginThrottle.key("Alice", "10.0.0.1");
        for (int i = 0; i < 4; i++) {
            throttle.failed(key);
            now = now.plusSeconds(5);
        }
        assertThat(throttle.blockedFor(key)).isEmpty();
        throttle.failed(key);
        assertThat(throttle.blockedFor(key)).hasValue(Duration.ofSeconds(40));
        assertThat(throttle.blockedFor(LoginThrottle.key("alice", "10.0.0.2"))).as("other address").isEmpty();
        now = now.plusSeconds(41);
        assertThat(throttle.blockedFor(key)).isEmpty();
    }

    @Test
    void a_success_forgets_the_failures() {
        String key = LoginThrottle.key("bob", "10.0.0.1");
        for (int i = 0; i < 4; i++) {
            throttle.failed(key);
        }
        throttle.succeeded(key);
        throttle.failed(key);
        assertThat(throttle.blockedFor(key)).isEmpty();
    }
}
