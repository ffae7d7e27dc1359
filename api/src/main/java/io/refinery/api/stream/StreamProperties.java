package io.refinery.api.stream;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The live stream ({@code refinery.api.stream.*}).
 *
 * @param heartbeat    comment lines sent this often so proxies keep idle connections open
 * @param pollInterval how often the one shared poller looks at the pipeline, runs, anomalies, demand
 * @param replay       events kept for clients that resume with {@code Last-Event-ID}
 * @param clientBuffer events buffered per slow client before its oldest are dropped
 */
@Validated
@ConfigurationProperties("refinery.api.stream")
public record StreamProperties(@DefaultValue("15s") Duration heartbeat, @DefaultValue("2s") Duration pollInterval,
                               @Min(1) @DefaultValue("1000") int replay, @Min(1) @DefaultValue("256") int clientBuffer) {
}
