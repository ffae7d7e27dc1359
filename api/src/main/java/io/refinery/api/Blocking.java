package io.refinery.api;

import io.refinery.api.problem.Problems;
import org.springframework.beans.factory.ObjectProvider;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.concurrent.Callable;

/** Blocking work (JDBC, the module facades) runs on the bounded elastic scheduler, never on the event loop. */
public final class Blocking {

    private Blocking() {
    }

    public static <T> Mono<T> call(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }

    /** A facade of another module; 503 while that module does not provide it. */
    public static <T> T facade(ObjectProvider<T> provider, String module) {
        T facade = provider.getIfAvailable();
        if (facade == null) {
            throw Problems.unavailable(module + " is not available in this deployment");
        }
        return facade;
    }
}
