package io.refinery.api.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refinery.api.ApiTest;
import io.refinery.api.TestUsers;
import io.refinery.warehouse.accounts.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint that takes input, fed wrong types, unknown fields, huge payloads, injection and path
 * traversal: each answer is a 4xx problem+json, and nothing is written (users, tokens, routes,
 * overrides and ingestion counters are unchanged).
 */
@ApiTest
class EveryEndpointBadInputTest {

    private record Case(HttpMethod method, String path, String role, String body) {
    }

    private static final String HUGE = "\"" + "A".repeat(300_000) + "\"";
    private static final String INJECTION = "x%27%3B%20DROP%20TABLE%20user_accounts%3B%20--";
    private static final String TRAVERSAL = "..%2F..%2Fetc%2Fpasswd";

    @Autowired
    WebTestClient client;
    @Autowired
    UserAccounts accounts;
    @Autowired
    PasswordEncoder encoder;
    @LocalServerPort
    int port;

    @BeforeEach
    void users() {
        TestUsers.ensure(accounts, encoder);
    }

    @Test
    void bad_input_to_every_endpoint_is_a_4xx_problem_and_writes_nothing() {
        String before = state();
        List<Case> cases = List.of(
                // admin: users
                new Case(HttpMethod.POST, "/api/v1/admin/users", "admin",
                        "{\"username\":\"bad-input-1\",\"password\":\"a-long-password-1\",\"roles\":[\"VIEWER\"],\"admin\":true}"),
                new Case(HttpMethod.POST, "/api/v1/admin/users", "admin",
                        "{\"username\":\"bad-input-2\",\"password\":\"a-long-password-1\",\"roles\":\"VIEWER\"}"),
                new Case(HttpMethod.POST, "/api/v1/admin/users", "admin",
                        "{\"username\":\"bad-input-3\",\"password\":12345678901234,\"roles\":[\"VIEWER\"]}"),
                new Case(HttpMethod.POST, "/api/v1/admin/users", "admin",
                        "{\"username\":\"x' OR 1=1 --\",\"password\":\"a-long-password-1\",\"roles\":[\"VIEWER\"]}"),
                new Case(HttpMethod.POST, "/api/v1/admin/users", "admin",
                        "{\"username\":\"bad-input-4\",\"password\":" + HUGE + ",\"roles\":[\"VIEWER\"]}"),
                new Case(HttpMethod.PUT, "/api/v1/admin/users/test-viewer/roles", "admin", "{\"roles\":[\"ROOT\"]}"),
                new Case(HttpMethod.PUT, "/api/v1/admin/users/" + TRAVERSAL + "/roles", "admin", "{\"roles\":[\"ADMIN\"]}"),
                new Case(HttpMethod.POST, "/api/v1/admin/users/" + INJECTION + "/disable", "admin", null),
                new Case(HttpMethod.POST, "/api/v1/admin/users/test-viewer/password", "admin", "{\"password\":true}"),
                new Case(HttpMethod.POST, "/api/v1/admin/users/test-viewer/password", "admin",
                        "{\"password\":\"a-long-password-1\",\"confirm\":\"a-long-password-1\"}"),
                // admin: tokens
                new Case(HttpMethod.POST, "/api/v1/admin/tokens", "admin", "{\"username\":\"test-viewer\",\"name\":[1]}"),
                new Case(HttpMethod.POST, "/api/v1/admin/tokens", "admin",
                        "{\"username\":\"test-viewer\",\"name\":\"pbi\",\"scope\":\"write\"}"),
                new Case(HttpMethod.POST, "/api/v1/admin/tokens", "admin", "{\"username\":\"test-viewer\",\"name\":" + HUGE + "}"),
                new Case(HttpMethod.DELETE, "/api/v1/admin/tokens/" + TRAVERSAL, "admin", null),
                // admin: routes
                new Case(HttpMethod.POST, "/api/v1/admin/routes", "admin",
                        "{\"id\":\"bad-route\",\"kind\":\"file-drop\",\"entity\":\"products\",\"schedule\":\"now\"}"),
                new Case(HttpMethod.POST, "/api/v1/admin/routes", "admin",
                        "{\"id\":\"bad-route\",\"kind\":\"file-drop\",\"entity\":\"products\",\"options\":[\"x\"]}"),
                new Case(HttpMethod.POST, "/api/v1/admin/routes", "admin",
                        "{\"id\":\"../../etc\",\"kind\":\"file-drop\",\"entity\":\"products\"}"),
                new Case(HttpMethod.PUT, "/api/v1/admin/routes/" + TRAVERSAL, "admin",
                        "{\"kind\":\"file-drop\",\"entity\":\"products\"}"),
                new Case(HttpMethod.POST, "/api/v1/admin/routes/validate?sample=many", "admin",
                        "{\"kind\":\"file-drop\",\"entity\":\"products\"}"),
                new Case(HttpMethod.POST, "/api/v1/admin/routes/" + INJECTION + "/start", "admin", null),
                new Case(HttpMethod.GET, "/api/v1/admin/routes/" + INJECTION + "/audit", "admin", null),
                // forecast runs, exports and overrides
                new Case(HttpMethod.POST, "/api/v1/forecast-runs", "planner",
                        "{\"grain\":\"week\",\"horizon\":4,\"scope\":{\"skus\":\"all\"}}"),
                new Case(HttpMethod.GET, "/api/v1/forecast-runs?limit=ten", "viewer", null),
                new Case(HttpMethod.GET, "/api/v1/forecast-runs/" + INJECTION, "viewer", null),
                new Case(HttpMethod.GET, "/api/v1/forecast-runs/latest/forecasts?format=pdf", "planner", null),
                new Case(HttpMethod.GET, "/api/v1/forecast-runs/latest/forecasts?sku=" + INJECTION, "planner", null),
                new Case(HttpMethod.PUT, "/api/v1/forecast-runs/latest/overrides", "planner",
                        "{\"sku\":\"A\",\"location\":\"B\",\"period\":\"2025-01-01\",\"value\":\"high\",\"reason\":\"r\"}"),
                new Case(HttpMethod.PUT, "/api/v1/forecast-runs/latest/overrides", "planner",
                        "{\"sku\":\"A\",\"location\":\"B\",\"period\":\"2025-01-01\",\"value\":1,\"reason\":\"r\",\"final\":true}"),
                new Case(HttpMethod.PUT, "/api/v1/forecast-runs/latest/overrides", "planner",
                        "{\"sku\":\"A\",\"location\":\"B\",\"period\":\"2025-01-01\",\"value\":1,\"reason\":" + HUGE + "}"),
                new Case(HttpMethod.PUT, "/api/v1/forecast-runs/" + TRAVERSAL + "/overrides", "planner",
                        "{\"sku\":\"A\",\"location\":\"B\",\"period\":\"2025-01-01\",\"value\":1,\"reason\":\"r\"}"),
                new Case(HttpMethod.DELETE, "/api/v1/forecast-runs/latest/overrides?sku=A&location=B&period=2025-13-01&reason=r",
                        "planner", null),
                new Case(HttpMethod.DELETE, "/api/v1/forecast-runs/latest/overrides?sku=" + INJECTION
                        + "&location=B&period=2025-01-01&reason=r", "planner", null),
                new Case(HttpMethod.GET, "/api/v1/forecast-runs/" + INJECTION + "/overrides/audit", "viewer", null),
                // anomalies
                new Case(HttpMethod.GET, "/api/v1/anomalies/lead-time?page=first", "viewer", null),
                new Case(HttpMethod.GET, "/api/v1/anomalies/lead-time?acknowledged=maybe", "viewer", null),
                new Case(HttpMethod.GET, "/api/v1/anomalies/lead-time?supplier=" + INJECTION, "viewer", null),
                new Case(HttpMethod.POST, "/api/v1/anomalies/lead-time/" + TRAVERSAL + "/acknowledge", "planner", null),
                // quarantine
                new Case(HttpMethod.GET, "/api/v1/quarantine?batchId=" + INJECTION, "viewer", null),
                new Case(HttpMethod.GET, "/api/v1/quarantine?rule=" + INJECTION, "viewer", null),
                new Case(HttpMethod.GET, "/api/v1/quarantine?offset=-1", "viewer", null),
                new Case(HttpMethod.GET, "/api/v1/quarantine?limit=many", "viewer", null),
                new Case(HttpMethod.POST, "/api/v1/quarantine/reprocess", "admin", "{\"batchIds\":\"all\"}"),
                new Case(HttpMethod.POST, "/api/v1/quarantine/reprocess", "admin", "{\"routeId\":\"r\",\"everything\":true}"),
                new Case(HttpMethod.POST, "/api/v1/quarantine/reprocess", "admin",
                        "{\"corrections\":[{\"batchId\":\"" + java.util.UUID.randomUUID() + "\",\"recordNo\":1,\"fields\":{\"sku\":"
                                + HUGE + "}}]}"),
                // demand
                new Case(HttpMethod.GET, "/api/v1/demand?location=" + INJECTION, "viewer", null),
                new Case(HttpMethod.GET, "/api/v1/demand?format=xml", "viewer", null),
                // OData on every kind of set
                new Case(HttpMethod.GET, "/odata/v4/Forecasts?$filter=sku%20eq%20'A'%20or%201%20eq%201", "viewer", null),
                new Case(HttpMethod.GET, "/odata/v4/Forecasts?$orderby=final;%20DROP%20TABLE%20forecasts", "viewer", null),
                new Case(HttpMethod.GET, "/odata/v4/ForecastsByRun?$filter=run_id%20eq%20" + INJECTION, "viewer", null),
                new Case(HttpMethod.GET, "/odata/v4/ForecastAccuracy?$filter=smape%20gt%20'x'", "viewer", null),
                new Case(HttpMethod.GET, "/odata/v4/ForecastAccuracy?$select=sku,password_hash", "viewer", null),
                new Case(HttpMethod.GET, "/odata/v4/LeadTimeAnomalies?$filter=ordered_at%20ge%20'yesterday'", "viewer", null),
                new Case(HttpMethod.GET, "/odata/v4/LeadTimeAnomalies?$skiptoken=10~" + INJECTION, "viewer", null),
                new Case(HttpMethod.GET, "/odata/v4/Products/$count?$filter=sleep(3)%20eq%201", "viewer", null),
                new Case(HttpMethod.GET, "/odata/v4/" + TRAVERSAL, "viewer", null));

        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            var spec = client.method(c.method()).uri(URI.create("http://localhost:" + port + c.path()))
                    .headers(TestUsers.as(c.role()));
            var response = (c.body() == null ? spec : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(c.body()))
                    .exchange().expectBody(String.class).returnResult();
            int status = response.getStatus().value();
            MediaType type = response.getResponseHeaders().getContentType();
            if (status < 400 || status >= 500 || type == null || !type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)) {
                String body = response.getResponseBody() == null ? "" : response.getResponseBody();
                failures.add(c.method() + " " + c.path() + " -> " + status + " " + type + " "
                        + body.substring(0, Math.min(200, body.length())));
            }
        }
        assertThat(failures).as("answers that are not 4xx problem+json").isEmpty();
        assertThat(state()).as("users, tokens, routes and ingestion counters").isEqualTo(before);
    }

    /**
     * What bad input must not change, as admins see it. Of the pipeline, the ingestion counters and the
     * reconciliation: its quality section is the newest run of a background job, and the 5-minute rate moves with
     * the clock, so both may change between two reads without any request writing anything.
     */
    private String state() {
        StringBuilder out = new StringBuilder();
        for (String path : List.of("/api/v1/admin/users", "/api/v1/admin/tokens", "/api/v1/admin/routes", "/api/v1/pipeline")) {
            String body = client.get().uri(path).headers(TestUsers.as("admin")).exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
            out.append(path).append('=').append(path.endsWith("/pipeline") ? countersOnly(body) : body).append('\n');
        }
        return out.toString();
    }

    private static String countersOnly(String pipeline) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(pipeline);
            tree.remove("quality");
            tree.withArray("counters").forEach(route -> ((ObjectNode) route).remove("recordsPerSecondLast5Minutes"));
            return tree.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
}
