package io.refinery.api.stream;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code refinery.stream.clients}: the SSE subscribers connected now. A browser tab that forgets to
 * close its stream shows here as a count that only grows (the dashboard soak benchmark watches it).
 */
@Component
class StreamMetrics {

    StreamMetrics(LiveStream stream, MeterRegistry registry) {
        Gauge.builder("refinery.stream.clients", stream, LiveStream::clients)
                .description("Server-Sent Events clients connected to /api/v1/stream")
                .register(registry);
    }
}
