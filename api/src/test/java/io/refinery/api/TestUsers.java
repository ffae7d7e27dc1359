package io.refinery.api;

import io.refinery.warehouse.accounts.UserAccount;
import io.refinery.warehouse.accounts.UserAccounts;
import org.springframework.http.HttpHeaders;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Users of the tests: one per role, with known passwords, created once per warehouse database. */
public final class TestUsers {

    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    public static final String PASSWORD = "a-long-test-password";

    private TestUsers() {
    }

    public static void ensure(UserAccounts accounts, PasswordEncoder encoder) {
        for (String role : List.of("VIEWER", "PLANNER")) {
            String username = "test-" + role.toLowerCase();
            if (accounts.find(username).isEmpty()) {
                accounts.save(new UserAccount(username, encoder.encode(PASSWORD), List.of(role), true, Instant.now(), "test"));
            }
        }
    }

    /** The Basic header of a role's test user ("admin" is the configured first admin). */
    public static String basic(String role) {
        String credentials = role.equals("admin") ? "admin:" + ADMIN_PASSWORD : "test-" + role + ":" + PASSWORD;
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    public static java.util.function.Consumer<HttpHeaders> as(String role) {
        return headers -> headers.set(HttpHeaders.AUTHORIZATION, basic(role));
    }
}
