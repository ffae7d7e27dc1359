package io.refinery.ops.feed;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The demo: a generated supply chain fed through the real ingestion path.
 *
 * @param enabled      {@code REFINERY_DEMO}; false starts with an empty warehouse and no generator
 * @param autoStart    start feeding when the application is ready (tests drive the feed themselves)
 * @param seed         same seed, same world
 * @param historyDays  days of history loaded at the first start (sales, orders, receipts)
 * @param iotHistoryDays days of IoT readings loaded at the first start (they are dense)
 * @param liveInterval how often a live slice is ingested
 * @param liveSpeed    simulated time per real time (60 = a simulated hour per real minute)
 */
@Validated
@ConfigurationProperties("refinery.demo")
public record DemoProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("true") boolean autoStart,
        @DefaultValue("42") long seed,
        @Min(28) @DefaultValue("730") int historyDays,
        @Min(0) @DefaultValue("14") int iotHistoryDays,
        @DefaultValue("5s") Duration liveInterval,
        @Min(1) @DefaultValue("60") int liveSpeed) {
}
