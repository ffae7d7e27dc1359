package io.refinery.api.security;

import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Who may call what, in one place: the first rule whose method and path match decides. A rule names
 * the least role (the hierarchy admin &gt; planner &gt; viewer grants the rest) and whether read-only
 * API tokens may use it; tokens only ever read (GET/HEAD), whatever their user's role.
 */
final class AccessRules {

    /** {@code role == null}: public. {@code method == null}: any method. */
    record Rule(HttpMethod method, String pattern, Role role, boolean tokens) {
    }

    private static final boolean TOKENS = true;
    private static final boolean NO_TOKENS = false;

    static final List<Rule> RULES = List.of(
            new Rule(HttpMethod.GET, "/actuator/health", null, NO_TOKENS),
            new Rule(HttpMethod.GET, "/actuator/health/liveness", null, NO_TOKENS),
            new Rule(HttpMethod.GET, "/actuator/health/readiness", null, NO_TOKENS),
            new Rule(null, "/actuator/**", Role.ADMIN, NO_TOKENS),
            // Signing in and out (Spring Security's own filters answer these).
            new Rule(HttpMethod.GET, "/login", null, NO_TOKENS),
            new Rule(HttpMethod.POST, "/login", null, NO_TOKENS),
            new Rule(HttpMethod.POST, "/logout", null, NO_TOKENS),

            new Rule(null, "/api/v1/admin/**", Role.ADMIN, NO_TOKENS),
            new Rule(HttpMethod.POST, "/api/v1/quarantine/reprocess", Role.ADMIN, NO_TOKENS),

            new Rule(HttpMethod.GET, "/api/v1/demand", Role.VIEWER, TOKENS),
            new Rule(HttpMethod.GET, "/api/v1/forecast-runs", Role.VIEWER, TOKENS),
            new Rule(HttpMethod.POST, "/api/v1/forecast-runs", Role.PLANNER, NO_TOKENS),
            new Rule(HttpMethod.GET, "/api/v1/forecast-runs/{id}/forecasts", Role.PLANNER, TOKENS),
            new Rule(HttpMethod.GET, "/api/v1/forecast-runs/{id}/overrides/**", Role.VIEWER, TOKENS),
            new Rule(HttpMethod.GET, "/api/v1/forecast-runs/{id}/overrides", Role.VIEWER, TOKENS),
            new Rule(HttpMethod.PUT, "/api/v1/forecast-runs/{id}/overrides", Role.PLANNER, NO_TOKENS),
            new Rule(HttpMethod.GET, "/api/v1/forecast-runs/{id}", Role.VIEWER, TOKENS),
            new Rule(HttpMethod.GET, "/api/v1/anomalies/lead-time", Role.VIEWER, TOKENS),
            new Rule(HttpMethod.POST, "/api/v1/anomalies/lead-time/{id}/acknowledge", Role.PLANNER, NO_TOKENS),
            new Rule(HttpMethod.GET, "/api/v1/pipeline", Role.VIEWER, NO_TOKENS),
            new Rule(HttpMethod.GET, "/api/v1/quarantine", Role.VIEWER, NO_TOKENS),
            new Rule(HttpMethod.GET, "/api/v1/quality", Role.VIEWER, NO_TOKENS),
            new Rule(HttpMethod.GET, "/api/v1/quality/history", Role.VIEWER, NO_TOKENS),
            new Rule(HttpMethod.POST, "/api/v1/quality/run", Role.ADMIN, NO_TOKENS),
            new Rule(HttpMethod.POST, "/api/v1/datasets/{entity}", Role.PLANNER, NO_TOKENS),
            new Rule(HttpMethod.GET, "/api/v1/stream", Role.VIEWER, NO_TOKENS),
            new Rule(HttpMethod.GET, "/api/v1/lineage/forecasts/{runId}", Role.VIEWER, NO_TOKENS),
            new Rule(HttpMethod.GET, "/api/v1/lineage/raw-batches/{batchId}", Role.VIEWER, NO_TOKENS),
            // Personal data in these reads is masked below admin (PiiMasking), so viewers may read them.
            new Rule(HttpMethod.GET, "/api/v1/lineage/raw-batches/{batchId}/records", Role.VIEWER, NO_TOKENS),
            new Rule(HttpMethod.GET, "/api/v1/suppliers", Role.VIEWER, NO_TOKENS),
            // Rehashes the whole raw layer: an audit action, not something every viewer may trigger.
            new Rule(HttpMethod.GET, "/api/v1/raw/verify", Role.ADMIN, NO_TOKENS),
            new Rule(HttpMethod.GET, "/odata/v4/**", Role.VIEWER, TOKENS),
            new Rule(HttpMethod.GET, "/odata/v4", Role.VIEWER, TOKENS),

            new Rule(HttpMethod.GET, "/v3/api-docs/**", Role.VIEWER, NO_TOKENS),
            new Rule(HttpMethod.GET, "/v3/api-docs", Role.VIEWER, NO_TOKENS),
            new Rule(HttpMethod.GET, "/swagger-ui/**", Role.VIEWER, NO_TOKENS),
            new Rule(HttpMethod.GET, "/swagger-ui.html", Role.VIEWER, NO_TOKENS));

    /** Everything no rule names (the dashboard, its assets, new endpoints): viewers, not tokens. */
    static final Rule DEFAULT = new Rule(null, "/**", Role.VIEWER, NO_TOKENS);

    private AccessRules() {
    }

    static void apply(ServerHttpSecurity.AuthorizeExchangeSpec exchange, RoleHierarchy hierarchy) {
        for (Rule rule : RULES) {
            var matcher = rule.method() == null ? new PathPatternParserServerWebExchangeMatcher(rule.pattern())
                    : new PathPatternParserServerWebExchangeMatcher(rule.pattern(), rule.method());
            if (rule.role() == null) {
                exchange.matchers(matcher).permitAll();
            } else {
                exchange.matchers(matcher).access(manager(rule, hierarchy));
            }
        }
        exchange.anyExchange().access(manager(DEFAULT, hierarchy));
    }

    static ReactiveAuthorizationManager<AuthorizationContext> manager(Rule rule, RoleHierarchy hierarchy) {
        return (authentication, context) -> authentication
                .filter(Authentication::isAuthenticated)
                .map(auth -> new AuthorizationDecision(allows(rule, auth, hierarchy,
                        context.getExchange().getRequest().getMethod())))
                .defaultIfEmpty(new AuthorizationDecision(false));
    }

    static boolean allows(Rule rule, Authentication auth, RoleHierarchy hierarchy, HttpMethod method) {
        boolean token = auth instanceof ApiTokenAuthentication;
        if (token && !(rule.tokens() && (method == HttpMethod.GET || method == HttpMethod.HEAD))) {
            return false;
        }
        String needed = "ROLE_" + rule.role().name();
        return hierarchy.getReachableGrantedAuthorities(auth.getAuthorities()).stream()
                .map(GrantedAuthority::getAuthority).anyMatch(needed::equals);
    }

}
