package io.refinery.ingestion.mqtt;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IotPayloadParserTest {

    private final IotPayloadParser parser = new IotPayloadParser("site/{location}/device/{device_id}/{metric}");
    private final Instant arrival = Instant.parse("2025-01-01T00:00:00Z");

    private Map<String, String> parse(String topic, String payload) {
        return parser.parse(topic, payload.getBytes(StandardCharsets.UTF_8), arrival);
    }

    @Test
    void theTopicPatternBecomesASubscriptionWithWildcards() {
        assertThat(parser.subscription()).isEqualTo("site/+/device/+/+");
    }

    @Test
    void aJsonPayloadGivesValueTimestampAndSkuAndTheTopicGivesTheIdentity() {
        assertThat(parse("site/s1/device/d7/weight", "{\"value\": 12.5, \"ts\": \"2025-02-01T10:00:00Z\", \"sku\": \"a\"}"))
                .containsEntry("location", "s1").containsEntry("device_id", "d7").containsEntry("metric", "weight")
                .containsEntry("value", "12.5").containsEntry("observed_at", "2025-02-01T10:00:00Z")
                .containsEntry("sku", "a");
    }

    @Test
    void aCompactPayloadIsValueThenTimestampThenSku() {
        assertThat(parse("site/s1/device/d7/temp", "21.5;1738404000000;b"))
                .containsEntry("value", "21.5").containsEntry("observed_at", "1738404000000").containsEntry("sku", "b");
    }

    @Test
    void aBareValueIsStampedWithTheArrivalTime() {
        assertThat(parse("site/s1/device/d7/temp", "3")).containsEntry("value", "3")
                .containsEntry("observed_at", "2025-01-01T00:00:00Z");
    }

    @Test
    void garbageIsPassedOnMarkedMalformedInsteadOfThrowing() {
        assertThat(parse("other/topic", "{not json")).containsKey("_malformed");
        assertThat(parser.parse("site/s1/device/d7/temp", new byte[]{(byte) 0xC3, (byte) 0x28}, arrival))
                .containsEntry("_malformed", "payload is not UTF-8");
    }
}
