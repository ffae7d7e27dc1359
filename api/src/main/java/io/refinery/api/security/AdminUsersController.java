package io.refinery.api.security;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.refinery.api.problem.Problems;
import io.refinery.api.problem.TextOnly;
import io.refinery.warehouse.accounts.UserAccount;
import io.refinery.warehouse.accounts.UserAccounts;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Admins manage people: create, list, disable/enable, change roles, reset passwords. */
@RestController
@Validated
@RequestMapping("/api/v1/admin/users")
@Tag(name = "Admin: users")
class AdminUsersController {

    static final String USERNAME = "^[a-z0-9][a-z0-9._-]{2,63}$";

    record NewUser(@NotNull @Pattern(regexp = USERNAME, message = "3-64 characters: a-z, 0-9, '.', '_', '-'") String username,
                   @NotNull @Size(min = 12, max = 128, message = "must be 12 to 128 characters") @JsonDeserialize(using = TextOnly.class) String password,
                   @NotEmpty List<@NotNull Role> roles) {
    }

    record Roles(@NotEmpty List<@NotNull Role> roles) {
    }

    record Password(@NotNull @Size(min = 12, max = 128, message = "must be 12 to 128 characters") @JsonDeserialize(using = TextOnly.class) String password) {
    }

    /** An account as admins see it: never the password hash. */
    record UserView(String username, List<String> roles, boolean enabled, Instant updatedAt, String updatedBy) {
        static UserView of(UserAccount a) {
            return new UserView(a.username(), a.roles().stream().map(r -> r.toLowerCase(Locale.ROOT)).toList(),
                    a.enabled(), a.updatedAt(), a.updatedBy());
        }
    }

    private final UserAccounts accounts;
    private final PasswordEncoder encoder;
    private final VerifiedPasswords passwords;
    private final ApiTokenService tokens;

    AdminUsersController(UserAccounts accounts, PasswordEncoder encoder, ApiTokenService tokens,
                         VerifiedPasswords passwords) {
        this.passwords = passwords;
        this.accounts = accounts;
        this.encoder = encoder;
        this.tokens = tokens;
    }

    @GetMapping
    @Operation(summary = "All users")
    Mono<List<UserView>> list() {
        return blocking(() -> accounts.all().stream().map(UserView::of).toList());
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a user")
    Mono<UserView> create(@Valid @RequestBody NewUser body, Principal admin) {
        return blocking(() -> {
            if (accounts.find(body.username()).isPresent()) {
                throw Problems.conflict("user '" + body.username() + "' already exists", java.util.Map.of());
            }
            UserAccount account = new UserAccount(body.username(), encoder.encode(body.password()),
                    names(body.roles()), true, Instant.now(), admin.getName());
            accounts.save(account);
            return UserView.of(account);
        });
    }

    @PutMapping("/{username}/roles")
    @Operation(summary = "Replace a user's roles")
    Mono<UserView> roles(@PathVariable @Pattern(regexp = USERNAME) String username, @Valid @RequestBody Roles body,
                         Principal admin) {
        return change(username, admin, account -> {
            if (account.username().equals(admin.getName()) && !body.roles().contains(Role.ADMIN)) {
                throw Problems.of(HttpStatus.CONFLICT, "you cannot take the admin role from yourself");
            }
            return new UserAccount(account.username(), account.passwordHash(), names(body.roles()), account.enabled(),
                    Instant.now(), admin.getName());
        });
    }

    @PostMapping("/{username}/disable")
    @Operation(summary = "Disable a user (their API tokens stop working too)")
    Mono<UserView> disable(@PathVariable @Pattern(regexp = USERNAME) String username, Principal admin) {
        return change(username, admin, account -> {
            if (account.username().equals(admin.getName())) {
                throw Problems.of(HttpStatus.CONFLICT, "you cannot disable yourself");
            }
            return new UserAccount(account.username(), account.passwordHash(), account.roles(), false, Instant.now(),
                    admin.getName());
        });
    }

    @PostMapping("/{username}/enable")
    @Operation(summary = "Enable a user again")
    Mono<UserView> enable(@PathVariable @Pattern(regexp = USERNAME) String username, Principal admin) {
        return change(username, admin, account -> new UserAccount(account.username(), account.passwordHash(),
                account.roles(), true, Instant.now(), admin.getName()));
    }

    @PostMapping("/{username}/password")
    @Operation(summary = "Reset a user's password")
    Mono<UserView> password(@PathVariable @Pattern(regexp = USERNAME) String username,
                            @Valid @RequestBody Password body, Principal admin) {
        return change(username, admin, account -> new UserAccount(account.username(), encoder.encode(body.password()),
                account.roles(), account.enabled(), Instant.now(), admin.getName()));
    }

    private Mono<UserView> change(String username, Principal admin,
                                  java.util.function.UnaryOperator<UserAccount> change) {
        return blocking(() -> {
            UserAccount account = accounts.find(username)
                    .orElseThrow(() -> Problems.notFound("no user '" + username + "'"));
            UserAccount changed = change.apply(account);
            accounts.save(changed);
            tokens.forgetUser(username);
            passwords.forgetUser(username);
            return UserView.of(changed);
        });
    }

    private static List<String> names(List<Role> roles) {
        return roles.stream().distinct().map(Role::name).toList();
    }

    static <T> Mono<T> blocking(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }
}
