package io.refinery.api.stream;

import io.refinery.api.problem.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/** Server-Sent Events: pipeline counters, new anomalies, run progress, demand updates; resumable. */
@RestController
@Tag(name = "Live stream")
class StreamController {

    private final LiveStream stream;
    private final StreamProperties properties;

    StreamController(LiveStream stream, StreamProperties properties) {
        this.stream = stream;
        this.properties = properties;
    }

    @GetMapping(value = "/api/v1/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Live events (SSE) with heartbeats; send Last-Event-ID to resume")
    Flux<ServerSentEvent<Object>> stream(@RequestHeader(value = "Last-Event-ID", required = false) String lastEventId) {
        Long resumeAfter = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                resumeAfter = Long.parseLong(lastEventId.strip());
            } catch (NumberFormatException e) {
                throw Problems.invalidField("Last-Event-ID", "must be the numeric id of an event");
            }
        }
        Flux<ServerSentEvent<Object>> events = stream.events(resumeAfter)
                .map(e -> ServerSentEvent.builder(e.data()).id(Long.toString(e.id())).event(e.type()).build());
        Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(properties.heartbeat())
                .map(tick -> ServerSentEvent.<Object>builder().comment("heartbeat").build());
        Flux<ServerSentEvent<Object>> hello = Flux.just(ServerSentEvent.<Object>builder().comment("connected")
                .retry(java.time.Duration.ofSeconds(3)).build());
        return Flux.concat(hello, Flux.merge(events, heartbeats));
    }
}
