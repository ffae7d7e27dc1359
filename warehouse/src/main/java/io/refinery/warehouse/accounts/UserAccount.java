package io.refinery.warehouse.accounts;

import java.time.Instant;
import java.util.List;

/** A person who signs in; {@code passwordHash} is a bcrypt hash, never the password. */
public record UserAccount(String username, String passwordHash, List<String> roles, boolean enabled,
                          Instant updatedAt, String updatedBy) {
}
