package io.refinery.api.security;

import io.refinery.warehouse.accounts.UserAccount;
import io.refinery.warehouse.accounts.UserAccounts;
import io.refinery.warehouse.api.ApiToken;
import io.refinery.warehouse.api.ApiTokens;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues, verifies and revokes read-only API tokens. A token is {@code rfy_} + 256 random bits
 * (base64url); only its SHA-256 is stored, so a leaked table gives no usable token. A fast hash is
 * right here (unlike passwords): the secret has full entropy, nothing to guess. Blocking (JDBC).
 */
@Component
class ApiTokenService {

    static final String PREFIX = "rfy_";
    static final String TOKEN_AUTHORITY = "API_TOKEN";

    /** A token and its record; the token is shown once and never again. */
    record Issued(ApiToken record, String token) {
    }

    private record Cached(ApiTokenAuthentication authentication, long expiresAtNanos) {
    }

    private final ApiTokens tokens;
    private final UserAccounts accounts;
    private final LoginProperties properties;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> verified = new ConcurrentHashMap<>();
    /**
     * Token id -&gt; when it last authenticated a request, since this process started. Kept in memory on
     * purpose: a write to the warehouse per request would cost more than the request; admins need
     * "is this token still used", which a restart only blurs until the next use.
     */
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();

    ApiTokenService(ApiTokens tokens, UserAccounts accounts, LoginProperties properties) {
        this.tokens = tokens;
        this.accounts = accounts;
        this.properties = properties;
    }

    Issued issue(String username, String name, String createdBy) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiToken record = new ApiToken(UUID.randomUUID().toString(), username, name, sha256(token), Instant.now(),
                createdBy, null, null);
        tokens.save(record);
        return new Issued(record, token);
    }

    boolean revoke(String id, String by) {
        return tokens.find(id).map(token -> {
            if (!token.revoked()) {
                tokens.save(token.revoke(Instant.now(), by));
            }
            verified.values().removeIf(c -> id.equals(c.authentication().tokenId()));
            return true;
        }).orElse(false);
    }

    /** Verifies a presented token; throws an authentication exception when it is unknown or revoked. */
    ApiTokenAuthentication authenticate(String presented) {
        String hash = sha256(presented);
        Cached cached = verified.get(hash);
        if (cached != null && cached.expiresAtNanos() - System.nanoTime() > 0) {
            lastUsed.put(cached.authentication().tokenId(), Instant.now());
            return cached.authentication();
        }
        ApiToken token = tokens.findByHash(hash).filter(t -> !t.revoked())
                .orElseThrow(() -> new BadCredentialsException("unknown or revoked API token"));
        UserAccount user = accounts.find(token.username()).filter(UserAccount::enabled)
                .orElseThrow(() -> new DisabledException("the token's user is disabled"));
        var authorities = new java.util.ArrayList<SimpleGrantedAuthority>();
        authorities.add(new SimpleGrantedAuthority(TOKEN_AUTHORITY));
        user.roles().forEach(r -> authorities.add(new SimpleGrantedAuthority("ROLE_" + r)));
        ApiTokenAuthentication authentication = new ApiTokenAuthentication(user.username(), token.id(), authorities);
        if (verified.size() > 10_000) {
            verified.clear();
        }
        verified.put(hash, new Cached(authentication, System.nanoTime() + properties.tokenCache().toNanos()));
        lastUsed.put(token.id(), Instant.now());
        return authentication;
    }

    /** When the token last authenticated a request since the application started; null: not since then. */
    Instant lastUsed(String tokenId) {
        return lastUsed.get(tokenId);
    }

    /** Forgets cached verifications of a user's tokens (after disabling the user or changing roles). */
    void forgetUser(String username) {
        verified.values().removeIf(c -> username.equals(c.authentication().getName()));
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
