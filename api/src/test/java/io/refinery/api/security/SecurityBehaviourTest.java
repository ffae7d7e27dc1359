package io.refinery.api.security;

import io.refinery.api.ApiTest;
import io.refinery.api.TestUsers;
import io.refinery.warehouse.accounts.UserAccount;
import io.refinery.warehouse.accounts.UserAccounts;
import io.refinery.warehouse.api.ApiToken;
import io.refinery.warehouse.api.ApiTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ApiTest
class SecurityBehaviourTest {

    @Autowired
    WebTestClient client;
    @Autowired
    UserAccounts accounts;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    ApiTokens tokens;

    @BeforeEach
    void users() {
        TestUsers.ensure(accounts, encoder);
    }

    @Test
    void health_is_public_and_shows_only_the_status_to_anonymous_callers() {
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").exists().jsonPath("$.components").doesNotExist();
    }

    @Test
    void an_api_call_without_credentials_gets_a_401_problem_with_a_basic_challenge() {
        client.get().uri("/api/v1/demand").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Basic.*")
                .expectBody().jsonPath("$.status").isEqualTo(401).jsonPath("$.detail").exists();
    }

    @Test
    void a_browser_without_a_session_is_sent_to_the_sign_in_page() {
        client.get().uri("/").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().is3xxRedirection()
                .expectHeader().valueMatches(HttpHeaders.LOCATION, ".*/login");
    }

    @Test
    void after_five_failed_sign_ins_the_user_is_refused_with_429_from_that_address_even_with_the_right_password() {
        // given a user and five wrong passwords
        String username = "throttled-" + Long.toHexString(System.nanoTime());
        accounts.save(new UserAccount(username, encoder.encode(TestUsers.PASSWORD), List.of("VIEWER"), true,
                Instant.now(), "test"));
        for (int i = 0; i < 5; i++) {
            client.get().uri("/api/v1/pipeline").header(HttpHeaders.AUTHORIZATION, basic(username, "wrong-" + i))
                    .exchange().expectStatus().isUnauthorized();
        }
        // when the right password comes next, then it is refused for now
        client.get().uri("/api/v1/pipeline").header(HttpHeaders.AUTHORIZATION, basic(username, TestUsers.PASSWORD))
                .exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        // and another user from the same address is not affected
        client.get().uri("/api/v1/pipeline").headers(TestUsers.as("viewer")).exchange().expectStatus().isOk();
    }

    @Test
    void a_signed_in_browser_needs_the_csrf_token_for_changes_while_basic_authenticated_scripts_do_not() {
        // given a browser session from the sign-in form (which itself needs the CSRF token)
        var page = client.get().uri("/login").exchange().expectStatus().isOk().returnResult(String.class);
        ResponseCookie xsrf = page.getResponseCookies().getFirst("XSRF-TOKEN");
        assertThat(xsrf).as("XSRF-TOKEN cookie").isNotNull();
        var signIn = client.post().uri("/login").cookie("XSRF-TOKEN", xsrf.getValue())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("username", "test-planner").with("password", TestUsers.PASSWORD)
                        .with("_csrf", xsrf.getValue()))
                .exchange().expectStatus().is3xxRedirection().returnResult(String.class);
        ResponseCookie session = signIn.getResponseCookies().getFirst("SESSION");
        assertThat(session).as("session cookie").isNotNull();
        assertThat(signIn.getResponseHeaders().getLocation()).hasToString("/");

        // when the session reads, then it may
        var read = client.get().uri("/api/v1/pipeline").cookie("SESSION", session.getValue()).exchange()
                .expectBody(String.class).returnResult();
        assertThat(read.getStatus().value()).as(signIn.getResponseHeaders().get(HttpHeaders.SET_COOKIE) + " -> "
                + read.getResponseBody()).isEqualTo(200);
        // when the session changes something without the token, then it is refused
        client.post().uri("/api/v1/forecast-runs").cookie("SESSION", session.getValue())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"grain\":\"week\",\"horizon\":0}")
                .exchange().expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        // when it sends the token, then it gets through to validation
        client.post().uri("/api/v1/forecast-runs").cookie("SESSION", session.getValue())
                .cookie("XSRF-TOKEN", xsrf.getValue()).header("X-XSRF-TOKEN", xsrf.getValue())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"grain\":\"week\",\"horizon\":0}")
                .exchange().expectStatus().isBadRequest();
        // and a Basic-authenticated script needs no token
        client.post().uri("/api/v1/forecast-runs").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"grain\":\"week\",\"horizon\":0}")
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    void an_admin_issues_a_read_only_token_that_is_stored_hashed_reads_data_cannot_change_anything_and_dies_when_revoked() {
        // given a token issued by an admin for a planner (shown once)
        @SuppressWarnings("unchecked")
        Map<String, Object> issued = client.post().uri("/api/v1/admin/tokens").headers(TestUsers.as("admin"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("username", "test-planner", "name", "Power BI"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String token = (String) issued.get("token");
        String id = (String) issued.get("id");
        assertThat(token).startsWith("rfy_").hasSizeGreaterThan(40);

        // then only its SHA-256 is stored, and the list never shows it
        ApiToken stored = tokens.find(id).orElseThrow();
        assertThat(stored.tokenHash()).isEqualTo(ApiTokenService.sha256(token)).doesNotContain(token);
        client.get().uri("/api/v1/admin/tokens").headers(TestUsers.as("admin")).exchange()
                .expectStatus().isOk().expectBody(String.class).value(body -> assertThat(body).doesNotContain(token));

        // when it reads data (Bearer or X-API-Key), then it may
        client.get().uri("/api/v1/demand?sku=NONE").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange().expectStatus().isOk();
        client.get().uri("/odata/v4/$metadata").header("X-API-Key", token).exchange().expectStatus().isOk();
        // and the admins' list says when it was last used (never before these reads)
        assertThat(issued.get("lastUsedAt")).isNull();
        client.get().uri("/api/v1/admin/tokens").headers(TestUsers.as("admin")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.id == '" + id + "')].lastUsedAt").value(
                        (List<String> used) -> assertThat(java.time.Instant.parse(used.getFirst()))
                                .isAfter(java.time.Instant.parse((String) issued.get("createdAt")).minusMillis(1)));
        // when it tries to change something or read outside the data endpoints, then it may not
        client.post().uri("/api/v1/forecast-runs").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"grain\":\"week\",\"horizon\":4}")
                .exchange().expectStatus().isForbidden();
        client.get().uri("/api/v1/pipeline").header("X-API-Key", token).exchange().expectStatus().isForbidden();
        client.get().uri("/api/v1/admin/users").header("X-API-Key", token).exchange().expectStatus().isForbidden();

        // when an admin revokes it, then it no longer authenticates
        client.delete().uri("/api/v1/admin/tokens/" + id).headers(TestUsers.as("admin")).exchange()
                .expectStatus().isNoContent();
        client.get().uri("/api/v1/demand?sku=NONE").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void an_unknown_token_is_refused_and_does_not_fall_back_to_anonymous_or_session() {
        client.get().uri("/api/v1/demand").header("X-API-Key", "rfy_not-a-real-token").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void a_viewer_cannot_manage_tokens_or_users() {
        client.post().uri("/api/v1/admin/tokens").headers(TestUsers.as("planner"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("username", "test-planner", "name", "x"))
                .exchange().expectStatus().isForbidden();
        assertThat(tokens.all()).noneMatch(t -> t.name().equals("x"));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
