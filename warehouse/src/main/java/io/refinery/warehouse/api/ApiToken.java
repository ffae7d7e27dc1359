package io.refinery.warehouse.api;

import java.time.Instant;

/** A read-only API token of a user; {@code tokenHash} is the SHA-256 of the token, never the token. */
public record ApiToken(String id, String username, String name, String tokenHash, Instant createdAt,
                       String createdBy, Instant revokedAt, String revokedBy) {

    public boolean revoked() {
        return revokedAt != null;
    }

    public ApiToken revoke(Instant at, String by) {
        return new ApiToken(id, username, name, tokenHash, createdAt, createdBy, at, by);
    }
}
