package io.refinery.api.security;

import io.refinery.api.problem.ProblemWriter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Refuses password sign-ins (form login and HTTP Basic) of a throttled username and address with
 * 429 before the password is checked, and hands the client address to the authentication manager
 * (through the Reactor context) so failures are counted per username and address.
 */
class LoginThrottleFilter implements WebFilter {

    static final String CLIENT_ADDRESS = LoginThrottleFilter.class.getName() + ".address";

    private final LoginThrottle throttle;
    private final ProblemWriter problems;

    LoginThrottleFilter(LoginThrottle throttle, ProblemWriter problems) {
        this.throttle = throttle;
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String address = address(exchange);
        return username(exchange)
                .map(username -> throttle.blockedFor(LoginThrottle.key(username, address)))
                .defaultIfEmpty(java.util.Optional.empty())
                // refuse(…) completes empty, so the chain must not be a switchIfEmpty fallback of it
                .flatMap(wait -> wait.isPresent() ? refuse(exchange, wait.get()) : chain.filter(exchange))
                .contextWrite(context -> context.put(CLIENT_ADDRESS, address));
    }

    private Mono<Void> refuse(ServerWebExchange exchange, Duration wait) {
        long seconds = Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0));
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "too many failed sign-ins for this user from this address; try again in " + seconds + " s");
        problem.setTitle("Too many sign-in attempts");
        return problems.write(exchange, problem);
    }

    private static Mono<String> username(ServerWebExchange exchange) {
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return Mono.just(colon < 0 ? decoded : decoded.substring(0, colon));
            } catch (IllegalArgumentException e) {
                return Mono.empty();
            }
        }
        if (exchange.getRequest().getMethod() == HttpMethod.POST && "/login".equals(exchange.getRequest().getPath().value())) {
            return exchange.getFormData().mapNotNull(form -> form.getFirst("username"));
        }
        return Mono.empty();
    }

    private static String address(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    /** Wraps the password check so that each failure and success is counted for the caller's key. */
    static ReactiveAuthenticationManager counting(ReactiveAuthenticationManager delegate, LoginThrottle throttle) {
        return authentication -> Mono.deferContextual(context -> {
            String key = LoginThrottle.key(String.valueOf(authentication.getName()),
                    context.getOrDefault(CLIENT_ADDRESS, "unknown"));
            return delegate.authenticate(authentication)
                    .doOnNext(ok -> throttle.succeeded(key))
                    .doOnError(AuthenticationException.class, e -> throttle.failed(key));
        });
    }

}
