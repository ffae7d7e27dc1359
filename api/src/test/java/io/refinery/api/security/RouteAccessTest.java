package io.refinery.api.security;

import io.refinery.api.ApiTest;
import io.refinery.api.TestUsers;
import io.refinery.warehouse.accounts.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route of the running application, found in its handler mappings (controllers, actuator,
 * springdoc; router functions too), has a stated rule here, and each rule holds for anonymous,
 * viewer, planner and admin. A new endpoint without a rule in this table fails the test.
 */
@ApiTest
class RouteAccessTest {

    /** Least role per route; PUBLIC: anyone. Keys: "METHOD pattern" as the handler mappings report them. */
    private static final Map<String, String> EXPECTED = Map.ofEntries(
            entry("GET /actuator/health", "PUBLIC"),
            entry("GET /actuator/health/{*path}", "ADMIN"),
            entry("GET /actuator", "ADMIN"),
            entry("GET /actuator/info", "ADMIN"),
            entry("GET /actuator/metrics", "ADMIN"),
            entry("GET /actuator/metrics/{requiredMetricName}", "ADMIN"),
            entry("GET /api/v1/lineage/forecasts/{runId}", "VIEWER"),
            entry("GET /api/v1/lineage/raw-batches/{batchId}", "VIEWER"),
            entry("GET /api/v1/raw/verify", "ADMIN"),
            entry("GET /api/v1/lineage/raw-batches/{batchId}/records", "VIEWER"),
            entry("GET /api/v1/suppliers", "VIEWER"),
            entry("GET /api/v1/admin/users", "ADMIN"),
            entry("POST /api/v1/admin/users", "ADMIN"),
            entry("PUT /api/v1/admin/users/{username}/roles", "ADMIN"),
            entry("POST /api/v1/admin/users/{username}/disable", "ADMIN"),
            entry("POST /api/v1/admin/users/{username}/enable", "ADMIN"),
            entry("POST /api/v1/admin/users/{username}/password", "ADMIN"),
            entry("GET /api/v1/admin/tokens", "ADMIN"),
            entry("POST /api/v1/admin/tokens", "ADMIN"),
            entry("DELETE /api/v1/admin/tokens/{id}", "ADMIN"),
            entry("GET /api/v1/admin/routes", "ADMIN"),
            entry("GET /api/v1/admin/routes/kinds", "ADMIN"),
            entry("GET /api/v1/admin/routes/{id}", "ADMIN"),
            entry("POST /api/v1/admin/routes", "ADMIN"),
            entry("PUT /api/v1/admin/routes/{id}", "ADMIN"),
            entry("DELETE /api/v1/admin/routes/{id}", "ADMIN"),
            entry("POST /api/v1/admin/routes/validate", "ADMIN"),
            entry("POST /api/v1/admin/routes/{id}/start", "ADMIN"),
            entry("POST /api/v1/admin/routes/{id}/stop", "ADMIN"),
            entry("GET /api/v1/admin/routes/{id}/audit", "ADMIN"),
            entry("GET /api/v1/demand", "VIEWER"),
            entry("POST /api/v1/forecast-runs", "PLANNER"),
            entry("GET /api/v1/forecast-runs", "VIEWER"),
            entry("GET /api/v1/forecast-runs/{id}", "VIEWER"),
            entry("GET /api/v1/forecast-runs/{id}/forecasts", "PLANNER"),
            entry("PUT /api/v1/forecast-runs/{id}/overrides", "PLANNER"),
            entry("GET /api/v1/forecast-runs/{id}/overrides", "VIEWER"),
            entry("GET /api/v1/forecast-runs/{id}/overrides/audit", "VIEWER"),
            entry("GET /api/v1/anomalies/lead-time", "VIEWER"),
            entry("POST /api/v1/anomalies/lead-time/{poLineId}/acknowledge", "PLANNER"),
            entry("GET /api/v1/pipeline", "VIEWER"),
            entry("GET /api/v1/quarantine", "VIEWER"),
            entry("POST /api/v1/quarantine/reprocess", "ADMIN"),
            entry("GET /api/v1/quality", "VIEWER"),
            entry("GET /api/v1/quality/history", "VIEWER"),
            entry("POST /api/v1/quality/run", "ADMIN"),
            entry("POST /api/v1/datasets/{entity}", "PLANNER"),
            entry("GET /api/v1/stream", "VIEWER"),
            entry("GET /odata/v4", "VIEWER"),
            entry("GET /odata/v4/", "VIEWER"),
            entry("GET /odata/v4/$metadata", "VIEWER"),
            entry("GET /odata/v4/{set}", "VIEWER"),
            entry("GET /odata/v4/{set}/$count", "VIEWER"),
            entry("GET /v3/api-docs", "VIEWER"),
            entry("GET /v3/api-docs/swagger-config", "VIEWER"),
            entry("GET /v3/api-docs.yaml", "VIEWER"),
            entry("GET /swagger-ui.html", "VIEWER"),
            entry("GET /", "VIEWER"),
            entry("GET /login", "PUBLIC"),
            entry("GET /dashboard/session", "VIEWER"));

    private static final List<String> ROLES = List.of("VIEWER", "PLANNER", "ADMIN");

    @Autowired
    ApplicationContext context;
    @Autowired
    UserAccounts accounts;
    @Autowired
    PasswordEncoder encoder;
    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void users() {
        TestUsers.ensure(accounts, encoder);
    }

    @Test
    void every_route_of_the_application_has_a_rule_and_each_caller_gets_exactly_what_the_rule_says() throws Exception {
        // given every route the application serves
        Map<String, String> routes = routes();
        assertThat(routes).as("routes found in the handler mappings").isNotEmpty();
        assertThat(new TreeSet<>(routes.keySet())).as("routes without a rule in this test")
                .isSubsetOf(EXPECTED.keySet());

        List<String> failures = new ArrayList<>();
        for (String route : routes.keySet()) {
            String method = route.substring(0, route.indexOf(' '));
            String path = concrete(route.substring(route.indexOf(' ') + 1));
            String least = EXPECTED.get(route);
            // when anonymous calls it, then it is refused unless public
            int anonymous = status(method, path, null);
            boolean anonymousAllowed = anonymous != 401 && anonymous != 403;
            if (anonymousAllowed != least.equals("PUBLIC")) {
                failures.add(route + " anonymous got " + anonymous);
            }
            if (!least.equals("PUBLIC") && !method.equals("GET") ? anonymous != 401 && anonymous != 403
                    : !least.equals("PUBLIC") && anonymous != 401) {
                failures.add(route + " anonymous should be 401, got " + anonymous);
            }
            // when each role calls it, then roles below the rule get 403 and the others get through
            for (String role : ROLES) {
                int status = status(method, path, TestUsers.basic(role.toLowerCase()));
                boolean allowed = least.equals("PUBLIC") || ROLES.indexOf(role) >= ROLES.indexOf(least);
                if (allowed && (status == 401 || status == 403)) {
                    failures.add(route + " " + role + " should pass, got " + status);
                }
                if (!allowed && status != 403) {
                    failures.add(route + " " + role + " should get 403, got " + status);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void the_expected_table_names_no_route_that_does_not_exist() {
        assertThat(routes().keySet()).containsAll(EXPECTED.keySet());
    }

    /** "METHOD pattern" of every route in every handler mapping of the application. */
    private Map<String, String> routes() {
        Map<String, String> routes = new TreeMap<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            mapping.getHandlerMethods().forEach((info, handler) -> {
                var methods = info.getMethodsCondition().getMethods();
                for (var pattern : info.getPatternsCondition().getPatterns()) {
                    if (methods.isEmpty()) {
                        routes.put("GET " + pattern.getPatternString(), handler.toString());
                    }
                    for (RequestMethod method : methods) {
                        routes.put(method.name() + " " + pattern.getPatternString(), handler.toString());
                    }
                }
            });
        }
        for (RouterFunctionMapping mapping : context.getBeansOfType(RouterFunctionMapping.class).values()) {
            if (mapping.getRouterFunction() != null) {
                // Router functions print their predicates, e.g. "((GET && /) && Accept: text/html) -> …".
                for (String function : mapping.getRouterFunction().toString().split("\n")) {
                    var m = java.util.regex.Pattern.compile("\\((GET|POST|PUT|PATCH|DELETE) && (/[^ )]*)\\)").matcher(function);
                    routes.put(m.find() ? m.group(1) + " " + m.group(2) : "UNPARSED ROUTER " + function, "router function");
                }
            }
        }
        return routes;
    }

    private static String concrete(String pattern) {
        return pattern.replaceAll("\\{\\*?[^}]+}", "x").replace("/**", "/x");
    }

    private int status(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, text/event-stream, */*")
                .method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"));
        if (!method.equals("GET") && !method.equals("DELETE")) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream ignored = response.body()) {
            return response.statusCode();
        }
    }
}
