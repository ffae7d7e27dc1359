package io.refinery.api.security;

import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed password sign-ins per username and client address in a sliding window; a key with
 * too many failures is refused until its oldest failure leaves the window. Keyed by username and
 * address together, so one attacker cannot lock a user out from everywhere.
 */
@Component
class LoginThrottle {

    /** Bounds memory under a spray of random usernames: expired keys are dropped past this size. */
    private static final int MAX_KEYS = 100_000;

    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final LoginProperties properties;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    LoginThrottle(LoginProperties properties) {
        this(properties, Clock.systemUTC());
    }

    LoginThrottle(LoginProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    static String key(String username, String address) {
        return username.toLowerCase(java.util.Locale.ROOT) + "@" + address;
    }

    /** How long the key must wait, when it is blocked. */
    Optional<Duration> blockedFor(String key) {
        Deque<Instant> deque = failures.get(key);
        if (deque == null) {
            return Optional.empty();
        }
        synchronized (deque) {
            prune(deque);
            if (deque.size() < properties.maxFailures()) {
                return Optional.empty();
            }
            Duration wait = Duration.between(clock.instant(), deque.peekFirst().plus(properties.window()));
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        }
    }

    void failed(String key) {
        if (failures.size() > MAX_KEYS) {
            failures.values().removeIf(d -> {
                synchronized (d) {
                    prune(d);
                    return d.isEmpty();
                }
            });
        }
        Deque<Instant> deque = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (deque) {
            prune(deque);
            deque.addLast(clock.instant());
        }
    }

    void succeeded(String key) {
        failures.remove(key);
    }

    private void prune(Deque<Instant> deque) {
        Instant cutoff = clock.instant().minus(properties.window());
        while (!deque.isEmpty() && !deque.peekFirst().isAfter(cutoff)) {
            deque.pollFirst();
        }
    }
}
