package io.refinery.api.security;

import io.refinery.api.problem.Problems;
import io.refinery.warehouse.accounts.UserAccounts;
import io.refinery.warehouse.api.ApiToken;
import io.refinery.warehouse.api.ApiTokens;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.security.Principal;
import java.time.Instant;
import java.util.List;

import static io.refinery.api.security.AdminUsersController.blocking;

/** Admins issue and revoke read-only API tokens (Power BI and other machines). */
@RestController
@Validated
@RequestMapping("/api/v1/admin/tokens")
@Tag(name = "Admin: API tokens")
class AdminTokensController {

    private static final String TOKEN_ID = "^[0-9a-f-]{36}$";

    record NewToken(@NotNull @Pattern(regexp = AdminUsersController.USERNAME) String username,
                    @NotNull @Pattern(regexp = "^[\\p{L}\\p{N} ._-]{1,80}$", message = "1-80 letters, digits, spaces, '.', '_', '-'") String name) {
    }

    /**
     * A token's record; {@code token} is filled only in the answer to its creation; {@code lastUsedAt}
     * is the last request it authenticated since the application started (null: none since then).
     */
    record TokenView(String id, String username, String name, Instant createdAt, String createdBy, boolean revoked,
                     Instant revokedAt, Instant lastUsedAt, String token) {
        static TokenView of(ApiToken t, Instant lastUsedAt, String token) {
            return new TokenView(t.id(), t.username(), t.name(), t.createdAt(), t.createdBy(), t.revoked(),
                    t.revokedAt(), lastUsedAt, token);
        }
    }

    private final ApiTokenService service;
    private final ApiTokens tokens;
    private final UserAccounts accounts;

    AdminTokensController(ApiTokenService service, ApiTokens tokens, UserAccounts accounts) {
        this.service = service;
        this.tokens = tokens;
        this.accounts = accounts;
    }

    @GetMapping
    @Operation(summary = "All API tokens (never the token values)")
    Mono<List<TokenView>> list() {
        return blocking(() -> tokens.all().stream().map(t -> TokenView.of(t, service.lastUsed(t.id()), null)).toList());
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Issue a read-only token for a user; the token is in this answer only")
    Mono<TokenView> create(@Valid @RequestBody NewToken body, Principal admin) {
        return blocking(() -> {
            if (accounts.find(body.username()).isEmpty()) {
                throw Problems.invalidField("username", "no user '" + body.username() + "'");
            }
            ApiTokenService.Issued issued = service.issue(body.username(), body.name(), admin.getName());
            return TokenView.of(issued.record(), null, issued.token());
        });
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke a token")
    Mono<Void> revoke(@PathVariable @Pattern(regexp = TOKEN_ID, message = "not a token id") String id, Principal admin) {
        return blocking(() -> service.revoke(id, admin.getName()))
                .flatMap(found -> found ? Mono.<Void>empty() : Mono.error(Problems.notFound("no token " + id)));
    }
}
