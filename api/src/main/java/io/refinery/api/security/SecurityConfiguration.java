package io.refinery.api.security;

import io.refinery.api.problem.ProblemWriter;
import io.refinery.warehouse.accounts.UserAccounts;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.Set;

/**
 * Three ways in: browser sign-in (form login, session cookie, CSRF), HTTP Basic for scripts, and
 * read-only API tokens for machines (Bearer or {@code X-API-Key}). Authorization is {@link AccessRules}.
 * Every refusal is a problem: 401 (with a Basic challenge, except for browsers, who are sent to the
 * sign-in page), 403, or 429 for throttled sign-ins.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    static final String API_KEY_HEADER = "X-API-Key";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, RoleHierarchy roleHierarchy,
                                                  ReactiveUserDetailsService users, PasswordEncoder encoder,
                                                  LoginThrottle throttle, ApiTokenService tokens,
                                                  VerifiedPasswords verifiedPasswords, ProblemWriter problems) {
        ReactiveAuthenticationManager passwords = LoginThrottleFilter.counting(
                verifiedPasswords.caching(passwordManager(users, encoder)), throttle);
        ServerAuthenticationEntryPoint unauthorized = unauthorized(problems);
        ServerAuthenticationEntryPoint entryPoint = (exchange, ex) -> isBrowserNavigation(exchange)
                ? new RedirectServerAuthenticationEntryPoint("/login").commence(exchange, ex)
                : unauthorized.commence(exchange, ex);
        ServerAccessDeniedHandler forbidden = (exchange, denied) -> problems.write(exchange, HttpStatus.FORBIDDEN,
                "your role does not allow " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath());

        CookieServerCsrfTokenRepository csrfTokens = CookieServerCsrfTokenRepository.withHttpOnlyFalse();
        return http
                .authorizeExchange(exchange -> AccessRules.apply(exchange, roleHierarchy))
                .httpBasic(basic -> basic.authenticationManager(passwords).authenticationEntryPoint(unauthorized))
                .formLogin(form -> form.authenticationManager(passwords).loginPage("/login"))
                .csrf(csrf -> csrf
                        .csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(new ServerCsrfTokenRequestAttributeHandler())
                        .requireCsrfProtectionMatcher(SecurityConfiguration::needsCsrfProtection)
                        .accessDeniedHandler((exchange, denied) -> problems.write(exchange, HttpStatus.FORBIDDEN,
                                "a signed-in browser must send the CSRF token (cookie XSRF-TOKEN, header X-XSRF-TOKEN)")))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(entryPoint).accessDeniedHandler(forbidden))
                .addFilterAt(new LoginThrottleFilter(throttle, problems), SecurityWebFiltersOrder.FIRST)
                .addFilterAt(tokenFilter(tokens, unauthorized), SecurityWebFiltersOrder.AUTHENTICATION)
                .addFilterAfter(exposeCsrfToken(), SecurityWebFiltersOrder.CSRF)
                .build();
    }

    /**
     * Cookie sessions need CSRF tokens; requests that carry their own credentials in a header
     * (Basic, Bearer, API key) cannot be forged cross-site and do not. Those headers are always
     * verified, so naming one does not skip authentication.
     */
    static Mono<ServerWebExchangeMatcher.MatchResult> needsCsrfProtection(ServerWebExchange exchange) {
        var request = exchange.getRequest();
        if (SAFE.contains(request.getMethod())) {
            return ServerWebExchangeMatcher.MatchResult.notMatch();
        }
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        boolean headerCredentials = request.getHeaders().containsKey(API_KEY_HEADER) || (authorization != null
                && (authorization.regionMatches(true, 0, "Basic ", 0, 6)
                || authorization.regionMatches(true, 0, "Bearer ", 0, 7)));
        return headerCredentials ? ServerWebExchangeMatcher.MatchResult.notMatch()
                : ServerWebExchangeMatcher.MatchResult.match();
    }

    /** The CSRF token is created lazily; subscribing sets the XSRF-TOKEN cookie the dashboard reads. */
    private static WebFilter exposeCsrfToken() {
        return (exchange, chain) -> {
            Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
            return token == null ? chain.filter(exchange) : token.then(chain.filter(exchange));
        };
    }

    private static AuthenticationWebFilter tokenFilter(ApiTokenService tokens, ServerAuthenticationEntryPoint unauthorized) {
        ReactiveAuthenticationManager manager = authentication -> Mono
                .fromCallable(() -> tokens.authenticate(((ApiTokenAuthentication) authentication).token()))
                .subscribeOn(Schedulers.boundedElastic())
                .cast(org.springframework.security.core.Authentication.class);
        AuthenticationWebFilter filter = new AuthenticationWebFilter(manager);
        filter.setServerAuthenticationConverter(exchange -> {
            var headers = exchange.getRequest().getHeaders();
            String apiKey = headers.getFirst(API_KEY_HEADER);
            String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Mono.just(new ApiTokenAuthentication(authorization.substring(7).strip()));
            }
            return apiKey == null ? Mono.empty() : Mono.just(new ApiTokenAuthentication(apiKey.strip()));
        });
        filter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        filter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(unauthorized));
        return filter;
    }

    private static ServerAuthenticationEntryPoint unauthorized(ProblemWriter problems) {
        return (exchange, ex) -> {
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Refinery\"");
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
                    "sign in (HTTP Basic or the sign-in page) or present an API token (Bearer or X-API-Key)");
            problem.setTitle("Authentication required");
            return problems.write(exchange, problem);
        };
    }

    /** A person's browser following a link (not the dashboard's fetches, not scripts). */
    private static boolean isBrowserNavigation(ServerWebExchange exchange) {
        var headers = exchange.getRequest().getHeaders();
        List<MediaType> accept = headers.getAccept();
        return exchange.getRequest().getMethod() == HttpMethod.GET
                && accept.stream().anyMatch(m -> m.isCompatibleWith(MediaType.TEXT_HTML) && !m.isWildcardType())
                && !"XMLHttpRequest".equals(headers.getFirst("X-Requested-With"))
                && !exchange.getRequest().getPath().value().startsWith("/api/")
                && !exchange.getRequest().getPath().value().startsWith("/odata/");
    }

    private static ReactiveAuthenticationManager passwordManager(ReactiveUserDetailsService users, PasswordEncoder encoder) {
        var manager = new UserDetailsRepositoryReactiveAuthenticationManager(users);
        manager.setPasswordEncoder(encoder);
        return manager;
    }

    /** Requests the firewall refuses (encoded slashes, {@code ..}, odd characters) get a problem too. */
    @Bean
    ServerExchangeRejectedHandler exchangeRejectedHandler(ProblemWriter problems) {
        return (exchange, rejected) -> problems.write(exchange, HttpStatus.BAD_REQUEST,
                "the request path or headers are not allowed: " + rejected.getMessage());
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy("ROLE_ADMIN > ROLE_PLANNER\nROLE_PLANNER > ROLE_VIEWER");
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    ReactiveUserDetailsService userDetailsService(UserAccounts accounts) {
        return username -> Mono.fromCallable(() -> accounts.find(username).orElse(null))
                .subscribeOn(Schedulers.boundedElastic())
                .map(account -> User.withUsername(account.username())
                        .password(account.passwordHash())
                        .disabled(!account.enabled())
                        .authorities(account.roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r)).toList())
                        .build());
    }
}
