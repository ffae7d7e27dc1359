package io.refinery.api.stream;

import org.springframework.stereotype.Component;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one hot stream of live events all clients share. Publishing is cheap and never blocks: the
 * replay sink keeps the last {@code replay} events (for {@code Last-Event-ID}), and each client gets
 * its own bounded buffer that drops its oldest events when the client reads too slowly, so one slow
 * client never holds back the others or the publisher.
 */
@Component
public class LiveStream {

    private final Sinks.Many<LiveEvent> sink;
    private final AtomicLong lastId = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger clients = new java.util.concurrent.atomic.AtomicInteger();
    private final StreamProperties properties;

    LiveStream(StreamProperties properties) {
        this.properties = properties;
        this.sink = Sinks.many().replay().limit(properties.replay());
    }

    /** Publishes an event to every client; thread-safe. */
    public synchronized LiveEvent publish(String type, Object data) {
        LiveEvent event = new LiveEvent(lastId.incrementAndGet(), type, data);
        sink.emitNext(event, Sinks.EmitFailureHandler.FAIL_FAST);
        return event;
    }

    /**
     * Events after {@code lastEventId} (null: only new events). A resuming client whose last event
     * was already dropped from the replay buffer first gets a {@link LiveEvent#RESET}.
     */
    public Flux<LiveEvent> events(Long lastEventId) {
        return Flux.defer(() -> {
            long after = lastEventId == null ? lastId.get() : lastEventId;
            long oldestKept = Math.max(1, lastId.get() - properties.replay() + 1);
            Flux<LiveEvent> gap = lastEventId != null && lastEventId + 1 < oldestKept && lastEventId < lastId.get()
                    ? Flux.just(new LiveEvent(lastEventId, LiveEvent.RESET, Map.of("reason",
                    "events after " + lastEventId + " are no longer kept; reload the current state")))
                    : Flux.empty();
            return gap.concatWith(sink.asFlux().filter(e -> e.id() > after))
                    .onBackpressureBuffer(properties.clientBuffer(), dropped -> { }, BufferOverflowStrategy.DROP_OLDEST)
                    .doOnSubscribe(s -> clients.incrementAndGet())
                    .doFinally(signal -> clients.decrementAndGet());
        });
    }

    /** Clients connected now; the poller rests while there are none. */
    public int clients() {
        return clients.get();
    }

    public long lastId() {
        return lastId.get();
    }
}
