package io.refinery.api.e2e;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every request as the server saw it: when it arrived, and when and how it ended (with its status, or
 * cancelled). Printed beside the browser's own request log when a browser test fails, it tells a request
 * the browser never sent from one the server never answered.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class ServerRequestLedger implements WebFilter {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String what = exchange.getRequest().getMethod() + " " + exchange.getRequest().getURI().getRawPath()
                + " #" + exchange.getRequest().getId();
        lines.add(BrowserSession.stamp() + " > " + what);
        return chain.filter(exchange).doFinally(signal -> lines.add(BrowserSession.stamp() + " < " + what + " "
                + signal + " " + exchange.getResponse().getStatusCode()));
    }

    void print() {
        System.out.println("[e2e] server saw:\n  " + String.join("\n  ", lines));
    }
}
