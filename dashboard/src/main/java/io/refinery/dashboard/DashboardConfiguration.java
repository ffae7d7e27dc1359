package io.refinery.dashboard;

import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The dashboard's server-side helpers. The pages themselves are static, served by Spring Boot from
 * {@code classpath:/static/} (index.html at {@code /}); this adds
 * <ul>
 *   <li>{@code GET /login}: the sign-in page the form login posts from (the security setup sends
 *       browsers there; it must be public, everything else needs a user);</li>
 *   <li>{@code GET /dashboard/session}: who is signed in and with which roles, so pages hide what the
 *       role may not do without probing admin endpoints (each refused probe is a console error).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class DashboardConfiguration {

    public static final String SESSION_PATH = "/dashboard/session";
    public static final String LOGIN_PATH = "/login";

    private static final Resource LOGIN_PAGE = new ClassPathResource("dashboard/login.html");

    @Bean
    RouterFunction<ServerResponse> dashboardRoutes() {
        return RouterFunctions.route()
                .GET(SESSION_PATH, request -> request.principal()
                        .map(SessionInfo::of)
                        .flatMap(info -> ServerResponse.ok().bodyValue(info))
                        .switchIfEmpty(ServerResponse.ok().bodyValue(SessionInfo.ANONYMOUS)))
                .GET(LOGIN_PATH, request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML)
                        .header("Cache-Control", "no-store").bodyValue(LOGIN_PAGE))
                .build();
    }
}
