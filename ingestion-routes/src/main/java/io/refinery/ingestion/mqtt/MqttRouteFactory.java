package io.refinery.ingestion.mqtt;

import io.refinery.ingestion.Entity;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionErrorHandling;
import io.refinery.ingestion.IngestionProperties;
import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.RouteKind;
import io.refinery.ingestion.RouteOptions;
import io.refinery.ingestion.Secrets;
import io.refinery.ingestion.SourceKind;
import io.refinery.ingestion.SourceRouteFactory;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Persistence;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * IoT over MQTT 5 (camel-paho-mqtt5): QoS 1, persistent session (clean start off, session
 * expiry), automatic reconnect, manual acknowledgements after landing, micro-batching with
 * back-pressure. The topic pattern names the fields it carries, e.g.
 * {@code site/{location}/device/{device_id}/{metric}}.
 */
@Component
class MqttRouteFactory implements SourceRouteFactory {

    static final String DEFAULT_TOPIC_PATTERN = "site/{location}/device/{device_id}/{metric}";
    static final List<String> OPTIONS = List.of("brokerUrl", "topicPattern", "clientId", "username",
            "passwordSecret", "sessionExpirySeconds", "maxBatch", "maxDelayMs", "maxPending");
    private static final Pattern BROKER = Pattern.compile("(tcp|ssl|ws|wss)://[A-Za-z0-9.\\-]+(:\\d{1,5})?");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_\\-./{}]+");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");

    private final Ingestion ingestion;
    private final IngestionProperties properties;
    private final Secrets secrets;
    private final ApplicationEventPublisher events;

    MqttRouteFactory(Ingestion ingestion, IngestionProperties properties, Secrets secrets,
                     ApplicationEventPublisher events) {
        this.ingestion = ingestion;
        this.properties = properties;
        this.secrets = secrets;
        this.events = events;
    }

    @Override
    public RouteKind kind() {
        return RouteKind.MQTT;
    }

    @Override
    public List<String> optionNames() {
        return OPTIONS;
    }

    record MqttSettings(String broker, String topicPattern, String clientId, String username, String passwordSecret,
                        long sessionExpiry, int maxBatch, Duration maxDelay, int maxPending, RouteOptions options,
                        List<String> problems) {
    }

    MqttSettings settings(RouteDefinition definition) {
        RouteOptions options = new RouteOptions(definition, OPTIONS);
        List<String> problems = new ArrayList<>();
        String broker = options.required("brokerUrl");
        if (broker != null && !BROKER.matcher(broker).matches()) {
            problems.add("option 'brokerUrl' must be tcp://host:port (or ssl, ws, wss)");
        }
        String topic = options.text("topicPattern", DEFAULT_TOPIC_PATTERN);
        if (!TOPIC.matcher(topic).matches()) {
            problems.add("option 'topicPattern' may use letters, digits, / and {field} placeholders only");
        }
        String clientId = options.text("clientId", "refinery-" + definition.id());
        if (!CLIENT_ID.matcher(clientId).matches()) {
            problems.add("option 'clientId' must be letters, digits, - and _ (at most 64)");
        }
        if (definition.entity() != Entity.IOT_READINGS) {
            problems.add("MQTT routes carry iot-readings");
        }
        String passwordSecret = options.secretRef("passwordSecret");
        long expiry = options.integer("sessionExpirySeconds", 86_400, 0, Integer.MAX_VALUE);
        int maxBatch = options.integer("maxBatch", properties.mqtt().maxBatch(), 1, 100_000);
        int maxDelay = options.integer("maxDelayMs", (int) properties.mqtt().maxDelay().toMillis(), 1, 60_000);
        int maxPending = options.integer("maxPending", Math.max(properties.mqtt().maxPending(), maxBatch), 1, 1_000_000);
        problems.addAll(0, options.problems());
        return new MqttSettings(broker, topic, clientId, options.text("username", null), passwordSecret, expiry,
                maxBatch, Duration.ofMillis(maxDelay), Math.max(maxPending, maxBatch), options, problems);
    }

    @Override
    public List<String> validate(RouteDefinition definition) {
        return settings(definition).problems();
    }

    @Override
    public RouteBuilder routeBuilder(RouteDefinition definition) {
        MqttSettings s = settings(definition);
        if (!s.problems().isEmpty()) {
            throw new IllegalArgumentException("route " + definition.id() + ": " + s.problems());
        }
        IotPayloadParser parser = new IotPayloadParser(s.topicPattern());
        var request = s.options().request(SourceKind.MQTT, s.topicPattern(), s.maxBatch()).withBatchSize(s.maxBatch());
        MqttMicroBatcher batcher = new MqttMicroBatcher(ingestion, request, parser, s.maxBatch(), s.maxDelay(),
                s.maxPending(), events);
        return new RouteBuilder() {
            @Override
            public void configure() {
                PahoMqtt5Component component = getContext().getComponent("paho-mqtt5", PahoMqtt5Component.class);
                PahoMqtt5Configuration c = new PahoMqtt5Configuration();
                c.setBrokerUrl(s.broker());
                c.setClientId(s.clientId());
                c.setQos(1);
                c.setCleanStart(false);
                c.setSessionExpiryInterval(s.sessionExpiry());
                c.setAutomaticReconnect(true);
                c.setMaxReconnectDelay(10_000);
                c.setManualAcksEnabled(true);
                c.setReceiveMaximum(Math.min(65_535, s.maxPending()));
                c.setPersistence(PahoMqtt5Persistence.MEMORY);
                c.setKeepAliveInterval(30);
                if (s.username() != null) {
                    c.setUserName(s.username());
                }
                if (s.passwordSecret() != null) {
                    c.setPassword(secrets.require(s.passwordSecret()));
                }
                // Built as an object, not a URI string: topic wildcards and secrets never pass through a URI.
                PahoMqtt5Endpoint endpoint = new PahoMqtt5Endpoint("paho-mqtt5:" + definition.id(),
                        parser.subscription(), component, c);
                // Our own, already connected client (see SessionSafeMqttClient), closed by the batcher.
                try {
                    SessionSafeMqttClient client = new SessionSafeMqttClient(s.broker(), s.clientId());
                    MqttConnectionOptions options = new MqttConnectionOptions();
                    options.setCleanStart(false);
                    options.setSessionExpiryInterval(s.sessionExpiry());
                    options.setAutomaticReconnect(true);
                    options.setMaxReconnectDelay(10_000);
                    options.setReceiveMaximum(Math.min(65_535, s.maxPending()));
                    options.setKeepAliveInterval(30);
                    options.setConnectionTimeout(10);
                    if (s.broker().startsWith("tcp://")) {
                        options.setSocketFactory(new BufferedSocketFactory());
                    }
                    if (s.username() != null) {
                        options.setUserName(s.username());
                    }
                    if (s.passwordSecret() != null) {
                        options.setPassword(secrets.require(s.passwordSecret())
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                    client.open(options);
                    batcher.closeAfterStop(client);
                    endpoint.setClient(client);
                } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                    throw new IllegalStateException("cannot connect to " + s.broker() + ": " + e.getMessage(), e);
                }
                from(endpoint)
                        .routeId(definition.id())
                        .routeConfigurationId(IngestionErrorHandling.ID)
                        .process(batcher);
            }
        };
    }

    /** Connects with a throw-away session and collects messages for up to two seconds. */
    @Override
    public Sample sample(RouteDefinition definition, int limit) throws Exception {
        MqttSettings s = settings(definition);
        if (!s.problems().isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", s.problems()));
        }
        IotPayloadParser parser = new IotPayloadParser(s.topicPattern());
        List<Map<String, String>> records = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch enough = new CountDownLatch(1);
        MqttClient client = new MqttClient(s.broker(), s.clientId() + "-dry-run", new MemoryPersistence());
        try {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            options.setConnectionTimeout(5);
            if (s.username() != null) {
                options.setUserName(s.username());
            }
            if (s.passwordSecret() != null) {
                options.setPassword(secrets.require(s.passwordSecret()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            client.connect(options);
            client.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[]{
                    new org.eclipse.paho.mqttv5.common.MqttSubscription(parser.subscription(), 0)},
                    new org.eclipse.paho.mqttv5.client.IMqttMessageListener[]{(topic, message) -> {
                        if (records.size() < limit) {
                            records.add(parser.parse(topic, message.getPayload(), Instant.now()));
                        }
                        if (records.size() >= limit) {
                            enough.countDown();
                        }
                    }});
            enough.await(2, TimeUnit.SECONDS);
            client.disconnect();
        } finally {
            client.close();
        }
        return new Sample(s.broker() + " " + parser.subscription(), List.copyOf(records));
    }
}
