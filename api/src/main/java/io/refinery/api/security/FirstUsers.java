package io.refinery.api.security;

import io.refinery.warehouse.accounts.UserAccount;
import io.refinery.warehouse.accounts.UserAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Creates the first admin on an empty warehouse: with {@code REFINERY_ADMIN_PASSWORD}, or in the
 * demo with a generated password printed once. There are no default passwords. The demo also gets a
 * viewer and a planner, with generated passwords printed once.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class FirstUsers implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstUsers.class);

    private final UserAccounts accounts;
    private final PasswordEncoder encoder;
    private final SecurityProperties properties;

    FirstUsers(UserAccounts accounts, PasswordEncoder encoder, SecurityProperties properties) {
        this.accounts = accounts;
        this.encoder = encoder;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        boolean configured = properties.adminPassword() != null && !properties.adminPassword().isBlank();
        if (configured) {
            if (accounts.find("admin").isEmpty()) {
                create("admin", properties.adminPassword(), Role.ADMIN);
                log.info("Created user 'admin' with the password from REFINERY_ADMIN_PASSWORD");
            }
        } else if (!accounts.anyWithRole(Role.ADMIN.name())) {
            if (!properties.demo()) {
                throw new IllegalStateException("No admin exists: set REFINERY_ADMIN_PASSWORD to create user 'admin'");
            }
            announce("admin", create("admin", generated(), Role.ADMIN));
        }
        if (properties.demo()) {
            for (Role role : List.of(Role.VIEWER, Role.PLANNER)) {
                String username = role.name().toLowerCase();
                if (accounts.find(username).isEmpty()) {
                    announce(username, create(username, generated(), role));
                }
            }
        }
    }

    private String create(String username, String password, Role role) {
        accounts.save(new UserAccount(username, encoder.encode(password), List.of(role.name()), true, Instant.now(),
                "first-start"));
        return password;
    }

    /** Printed once, to the console of the person who started the demo; never stored in clear. */
    private static void announce(String username, String password) {
        System.out.println("[refinery] demo user '" + username + "' password: " + password);
    }

    private static String generated() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
