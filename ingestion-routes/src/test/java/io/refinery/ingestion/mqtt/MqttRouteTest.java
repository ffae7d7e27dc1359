package io.refinery.ingestion.mqtt;

import io.refinery.ingestion.DriftPolicy;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionIntegrationTest;
import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.RouteKind;
import io.refinery.ingestion.TestSources;
import io.refinery.ingestion.admin.RouteAdmin;
import io.refinery.ingestion.Requests.RecordRef;
import io.refinery.ingestion.Requests.ReprocessRequest;
import io.refinery.warehouse.ingest.IngestRecords.QuarantineEntry;
import io.refinery.warehouse.ingest.IngestRecords.Reconciliation;
import io.refinery.warehouse.ingest.IngestionLedger;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IngestionIntegrationTest
class MqttRouteTest {

    @Autowired
    RouteAdmin admin;
    @Autowired
    Ingestion ingestion;
    @Autowired
    IngestionLedger ledger;
    @Autowired
    DSLContext dsl;

    static MqttAsyncClient publisher(String broker) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(broker, "pub-" + UUID.randomUUID().toString().substring(0, 8),
                new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    /**
     * Publishes with QoS 1 and waits for the PUBACK. Paho 1.2.5 sometimes miscounts in-flight
     * publishes ("Too many publishes in progress") although each one was acknowledged; a new
     * connection resets the count, and the message is then sent again (at-least-once).
     */
    static void publish(MqttAsyncClient client, String topic, String payload) throws Exception {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        for (int attempt = 1; ; attempt++) {
            try {
                client.publish(topic, message).waitForCompletion(10_000);
                return;
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                if (e.getReasonCode() != 32202 || attempt == 5) {
                    throw e;
                }
                client.disconnect().waitForCompletion(5_000);
                MqttConnectionOptions options = new MqttConnectionOptions();
                options.setCleanStart(true);
                client.connect(options).waitForCompletion(10_000);
            }
        }
    }

    Reconciliation reconciliation(String route) {
        return ingestion.reconcile().stream().filter(r -> r.routeId().equals(route)).findFirst()
                .orElse(new Reconciliation(route, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void readingsPublishedWithQos1AreMicroBatchedIntoCleanedAndBadOnesQuarantined() throws Exception {
        String broker = TestSources.mqtt5BrokerUrl();
        String run = "t" + UUID.randomUUID().toString().substring(0, 8);
        String route = "mqtt-" + run;
        admin.create(new RouteDefinition(route, RouteKind.MQTT, Entity.IOT_READINGS, DriftPolicy.ACCEPT_AND_FLAG,
                Map.of("brokerUrl", broker, "topicPattern", run + "/site/{location}/device/{device_id}/{metric}",
                        "maxBatch", "50", "maxDelayMs", "100")), "test");
        admin.start(route, "test");
        try {
            MqttAsyncClient client = publisher(broker);
            for (int i = 0; i < 300; i++) {
                String topic = run + "/site/s" + (i % 3) + "/device/" + run + "-d" + (i % 10) + "/temp";
                publish(client, topic, i % 2 == 0
                        ? "{\"value\": " + i + ", \"ts\": \"2025-01-01T00:00:" + String.format("%02d", i % 60)
                        + "." + String.format("%03d", i) + "Z\"}"
                        : i + ".5;2025-01-02T00:00:00." + String.format("%03d", i) + "Z");
            }
            publish(client, run + "/site/s1/device/" + run + "-bad/temp", "NaN");
            publish(client, run + "/site/s1/device/" + run + "-bad/temp", "{oops");
            client.disconnect().waitForCompletion(5_000);
            client.close();

            await().atMost(Duration.ofSeconds(30)).until(() -> reconciliation(route).landedRecords() >= 302);
            Reconciliation r = reconciliation(route);
            assertThat(r.landedRecords()).isEqualTo(302);
            assertThat(r.cleaned()).isEqualTo(300);
            assertThat(r.quarantined()).isEqualTo(2);
            assertThat(r.balanced()).as(r.toString()).isTrue();
            assertThat(ledger.cleanedSnapshot("iot-readings").stream().filter(l -> l.startsWith(run + "-d"))).hasSize(300);

            // Each micro-batch landed raw as one record block (a row per batch, its span the batch's messages),
            // and reads back from raw message by message, in arrival order, the malformed ones as received.
            var raw = dsl.fetchOne("SELECT count(), sum(record_span), countIf(payload_format = 'record-block')"
                    + " FROM raw_records WHERE route_id = {0}", route);
            long batches = ((Number) dsl.fetchValue("SELECT count() FROM raw_batches WHERE route_id = {0}", route))
                    .longValue();
            assertThat(((Number) raw.get(0)).longValue()).isEqualTo(batches).isGreaterThanOrEqualTo(302 / 50);
            assertThat(((Number) raw.get(1)).longValue()).isEqualTo(302);
            assertThat(((Number) raw.get(2)).longValue()).isEqualTo(batches);
            List<Map<String, String>> messages = new ArrayList<>();
            for (var id : dsl.fetch("SELECT batch_id FROM raw_batches WHERE route_id = {0} ORDER BY seq", route)) {
                messages.addAll(ingestion.rawRecords((UUID) id.get(0)));
            }
            assertThat(messages).hasSize(302);
            assertThat(messages).filteredOn(m -> (run + "-bad").equals(m.get("device_id")))
                    .extracting(m -> m.get("value")).contains("NaN");

            // A quarantined message of a block is re-processed by its number in the block, with a correction.
            QuarantineEntry nan = ingestion.quarantine(route, Entity.IOT_READINGS, QuarantineEntry.OPEN, 10).stream()
                    .filter(q -> q.value().equals("NaN")).findFirst().orElseThrow();
            var result = ingestion.reprocess(new ReprocessRequest(route, Entity.IOT_READINGS, List.of(nan.batchId()),
                    Map.of(new RecordRef(nan.batchId(), nan.recordNo()), Map.of("value", "1.5")), "test"));
            assertThat(result.resolved()).isEqualTo(1);
            Reconciliation after = reconciliation(route);
            assertThat(after.cleaned()).isEqualTo(301);
            assertThat(after.quarantined()).isEqualTo(1);
            assertThat(after.balanced()).as(after.toString()).isTrue();
        } finally {
            admin.delete(route, "test");
        }
    }

    @Test
    void messagesPublishedWhileTheRouteIsStoppedAreDeliveredByThePersistentSessionAfterARestart() throws Exception {
        String broker = TestSources.mqtt5BrokerUrl();
        String run = "s" + UUID.randomUUID().toString().substring(0, 8);
        String route = "mqtt-" + run;
        admin.create(new RouteDefinition(route, RouteKind.MQTT, Entity.IOT_READINGS, DriftPolicy.ACCEPT_AND_FLAG,
                Map.of("brokerUrl", broker, "topicPattern", run + "/site/{location}/device/{device_id}/{metric}",
                        "maxBatch", "50", "maxDelayMs", "100")), "test");
        admin.start(route, "test");
        try {
            MqttAsyncClient client = publisher(broker);
            for (int i = 0; i < 20; i++) {
                publish(client, run + "/site/s1/device/" + run + "-d/temp", i + ";2025-01-03T00:00:00." + String.format("%03d", i) + "Z");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> reconciliation(route).landedRecords() >= 20);
            admin.stop(route, "test");
            for (int i = 20; i < 70; i++) {
                publish(client, run + "/site/s1/device/" + run + "-d/temp", i + ";2025-01-03T00:00:00." + String.format("%03d", i) + "Z");
            }
            admin.start(route, "test");
            await().atMost(Duration.ofSeconds(30)).until(() -> reconciliation(route).cleaned() >= 70);
            client.disconnect().waitForCompletion(5_000);
            client.close();
            assertThat(reconciliation(route).balanced()).isTrue();
        } finally {
            admin.delete(route, "test");
        }
    }
}
