package io.refinery.api.security;

import io.refinery.api.ApiTest;
import io.refinery.api.TestUsers;
import io.refinery.warehouse.accounts.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ApiTest
class AdminUsersTest {

    @Autowired
    WebTestClient client;
    @Autowired
    UserAccounts accounts;
    @Autowired
    PasswordEncoder encoder;

    @BeforeEach
    void users() {
        TestUsers.ensure(accounts, encoder);
    }

    @Test
    void an_admin_creates_a_user_changes_roles_disables_enables_and_resets_the_password() {
        String name = "alice-" + Long.toHexString(System.nanoTime());
        String password = "alice-first-password";
        // when an admin creates a viewer
        client.post().uri("/api/v1/admin/users").headers(TestUsers.as("admin")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", name, "password", password, "roles", List.of("viewer")))
                .exchange().expectStatus().isCreated()
                .expectBody().jsonPath("$.roles[0]").isEqualTo("viewer").jsonPath("$.passwordHash").doesNotExist();
        // then the list shows her, without any hash
        client.get().uri("/api/v1/admin/users").headers(TestUsers.as("admin")).exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains(name).doesNotContain("{bcrypt}"));
        // and she can read but not start runs
        client.get().uri("/api/v1/pipeline").header(HttpHeaders.AUTHORIZATION, basic(name, password)).exchange()
                .expectStatus().isOk();
        client.post().uri("/api/v1/forecast-runs").header(HttpHeaders.AUTHORIZATION, basic(name, password))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange().expectStatus().isForbidden();

        // when she becomes a planner, then she gets past authorization
        client.put().uri("/api/v1/admin/users/" + name + "/roles").headers(TestUsers.as("admin"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("roles", List.of("planner")))
                .exchange().expectStatus().isOk();
        client.post().uri("/api/v1/forecast-runs").header(HttpHeaders.AUTHORIZATION, basic(name, password))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange().expectStatus().isBadRequest();

        // when she is disabled, then she cannot sign in; enabled again, she can
        client.post().uri("/api/v1/admin/users/" + name + "/disable").headers(TestUsers.as("admin")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.enabled").isEqualTo(false);
        client.get().uri("/api/v1/pipeline").header(HttpHeaders.AUTHORIZATION, basic(name, password)).exchange()
                .expectStatus().isUnauthorized();
        client.post().uri("/api/v1/admin/users/" + name + "/enable").headers(TestUsers.as("admin")).exchange()
                .expectStatus().isOk();

        // when the admin resets her password, then only the new one works
        client.post().uri("/api/v1/admin/users/" + name + "/password").headers(TestUsers.as("admin"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("password", "alice-second-password"))
                .exchange().expectStatus().isOk();
        client.get().uri("/api/v1/pipeline").header(HttpHeaders.AUTHORIZATION, basic(name, "alice-second-password"))
                .exchange().expectStatus().isOk();
        client.get().uri("/api/v1/pipeline").header(HttpHeaders.AUTHORIZATION, basic(name, password))
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void bad_user_input_is_a_400_problem_naming_the_field_and_nothing_is_written() {
        assertProblem(Map.of("username", "../../etc/passwd", "password", "long-enough-password", "roles", List.of("viewer")), "username");
        assertProblem(Map.of("username", "bob-short", "password", "short", "roles", List.of("viewer")), "password");
        assertProblem(Map.of("username", "bob-roles", "password", "long-enough-password", "roles", List.of("root")), "roles");
        assertProblem(Map.of("username", "bob-extra", "password", "long-enough-password", "roles", List.of("viewer"),
                "isAdmin", true), "isAdmin");
        assertThat(accounts.all()).noneMatch(a -> a.username().startsWith("bob-") || a.username().contains("passwd"));
    }

    @Test
    void an_admin_cannot_lock_themselves_out() {
        client.post().uri("/api/v1/admin/users/admin/disable").headers(TestUsers.as("admin")).exchange()
                .expectStatus().isEqualTo(409);
        assertThat(accounts.find("admin").orElseThrow().enabled()).isTrue();
    }

    private void assertProblem(Map<String, Object> body, String field) {
        client.post().uri("/api/v1/admin/users").headers(TestUsers.as("admin")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains(field));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
