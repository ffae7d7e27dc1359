package io.refinery.api.security;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers successful password checks for a short while so that scripts using HTTP Basic do not pay
 * a bcrypt verification (~50-100 ms of CPU, by design) on every request. Only successes are kept,
 * keyed by an HMAC-SHA-256 of username and password under a key that lives only in this process:
 * the cache holds no password, and its keys cannot be brute-forced offline without that key. A wrong
 * password never matches a key, so it still goes to bcrypt (and to the login throttle). Changing,
 * disabling or re-roling a user forgets its entries at once; {@code tokenCache} bounds the rest.
 */
@Component
class VerifiedPasswords {

    private record Verified(Authentication authentication, long expiresAtNanos) {
    }

    private static final int MAX_ENTRIES = 10_000;

    private final LoginProperties properties;
    private final SecretKeySpec key;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    VerifiedPasswords(LoginProperties properties) {
        this.properties = properties;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** Wraps the bcrypt check: a remembered success answers at once, anything else goes to {@code delegate}. */
    ReactiveAuthenticationManager caching(ReactiveAuthenticationManager delegate) {
        return authentication -> {
            if (!(authentication instanceof UsernamePasswordAuthenticationToken)
                    || !(authentication.getCredentials() instanceof String password)) {
                return delegate.authenticate(authentication);
            }
            String cacheKey = mac(authentication.getName(), password);
            Verified hit = verified.get(cacheKey);
            if (hit != null && hit.expiresAtNanos() - System.nanoTime() > 0) {
                return Mono.just(hit.authentication());
            }
            return delegate.authenticate(authentication).doOnNext(ok -> remember(cacheKey, ok));
        };
    }

    void forgetUser(String username) {
        verified.values().removeIf(v -> username.equals(v.authentication().getName()));
    }

    private void remember(String cacheKey, Authentication authentication) {
        if (properties.tokenCache().isZero()) {
            return;
        }
        if (verified.size() >= MAX_ENTRIES) {
            verified.clear();
        }
        verified.put(cacheKey, new Verified(authentication, System.nanoTime() + properties.tokenCache().toNanos()));
    }

    private String mac(String username, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(username.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
