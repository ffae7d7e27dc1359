package io.refinery.dashboard;

import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.http.CacheControl;

import java.time.Duration;

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
public class DashboardConfiguration implements WebFluxConfigurer {

    public static final String SESSION_PATH = "/dashboard/session";
    public static final String LOGIN_PATH = "/login";

    private static final Resource LOGIN_PAGE = new ClassPathResource("dashboard/login.html");

    /**
     * Cache headers for the assets (the security filters would otherwise mark every response
     * no-store, so each page load downloaded and compiled the 1 MB ECharts bundle again). Webjar paths
     * carry their version: cached for a year. The dashboard's own scripts and styles change with a
     * deployment under the same names: cached but revalidated (a 304 when unchanged), which also
     * lets the browser reuse its compiled code.
     */
    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/webjars/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePrivate().immutable());
        for (String folder : new String[] {"js", "css"}) {
            registry.addResourceHandler("/" + folder + "/**")
                    .addResourceLocations("classpath:/static/" + folder + "/")
                    .setCacheControl(CacheControl.noCache().cachePrivate());
        }
    }

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
