package io.refinery.ingestion.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * An MQTT client that keeps what a resumed session delivers before anyone listens.
 *
 * <p>Camel's paho-mqtt5 consumer connects first and sets its callback afterwards; with a
 * persistent session the broker sends the queued messages right after CONNACK, and those arriving
 * in between had no callback: not processed, not acknowledged, stuck until the next reconnect. This
 * client is connected by us with a callback of its own that buffers until the consumer's callback
 * is set, then hands over the buffer in order and forwards everything after.
 *
 * <p>It also acknowledges only on the connection a message arrived on. After a reconnect the broker
 * re-sends every unacknowledged message with its original packet id and frees an id once acknowledged;
 * a late acknowledgement of the old copy by id would then acknowledge whatever new message the broker
 * gave that id next, before it landed (seen as lost readings after a broker restart). So the copy from
 * the old connection is not acknowledged: its re-sent copy lands (deduplicated) and acknowledges.
 */
final class SessionSafeMqttClient extends MqttClient {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SessionSafeMqttClient.class);

    private final Object lock = new Object();
    private final List<Object[]> early = new ArrayList<>();
    private MqttCallback delegate;
    /** Connections so far; a message remembers the one it arrived on until it is acknowledged. */
    private volatile int connection;
    private final Map<MqttMessage, Integer> arrivedOn = new IdentityHashMap<>();

    SessionSafeMqttClient(String broker, String clientId) throws MqttException {
        super(broker, clientId, new MemoryPersistence());
        super.setManualAcks(true);
        super.setCallback(new Forwarder());
    }

    void open(MqttConnectionOptions options) throws MqttException {
        connect(options);
    }

    /** Camel's consumer acknowledges by packet id alone, which is unsafe across reconnects: see {@link #acknowledge}. */
    @Override
    public void messageArrivedComplete(int messageId, int qos) {
        // acknowledged by the batcher through acknowledge(MqttMessage), never by id alone
    }

    /** Acknowledges a landed message if it arrived on the current connection; returns whether it did. */
    boolean acknowledge(MqttMessage message) throws MqttException {
        Integer on;
        synchronized (arrivedOn) {
            on = arrivedOn.remove(message);
        }
        if (on == null || on != connection || message.getQos() == 0) {
            return false;
        }
        super.messageArrivedComplete(message.getId(), message.getQos());
        return true;
    }

    /** Forgets a message that will not be acknowledged here (its landing failed; the broker re-sends it). */
    void forget(MqttMessage message) {
        synchronized (arrivedOn) {
            arrivedOn.remove(message);
        }
    }

    @Override
    public void setCallback(MqttCallback callback) {
        synchronized (lock) {
            delegate = callback;
            for (Object[] m : early) {
                try {
                    callback.messageArrived((String) m[0], (MqttMessage) m[1]);
                } catch (Exception e) {
                    throw new IllegalStateException("buffered MQTT message could not be handed over", e);
                }
            }
            early.clear();
        }
    }

    private final class Forwarder implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            synchronized (arrivedOn) {
                arrivedOn.put(message, connection);
            }
            MqttCallback target;
            synchronized (lock) {
                target = delegate;
                if (target == null) {
                    early.add(new Object[]{topic, message});
                    return;
                }
            }
            target.messageArrived(topic, message);
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            // Everything that arrived on the lost connection is re-sent on the next one: no acknowledging it.
            connection++;
            int unacknowledged;
            synchronized (arrivedOn) {
                unacknowledged = arrivedOn.size();
                arrivedOn.clear();
            }
            log.info("MQTT connection of {} lost ({}); {} unacknowledged messages will be re-sent by the broker",
                    getClientId(), response.getReasonString(), unacknowledged);
            MqttCallback target = delegate;
            if (target != null) {
                target.disconnected(response);
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            MqttCallback target = delegate;
            if (target != null) {
                target.mqttErrorOccurred(exception);
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            MqttCallback target = delegate;
            if (target != null) {
                target.deliveryComplete(token);
            }
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            if (reconnect) {
                log.info("MQTT connection of {} to {} restored", getClientId(), serverURI);
            }
            MqttCallback target = delegate;
            if (target != null) {
                target.connectComplete(reconnect, serverURI);
            }
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            MqttCallback target = delegate;
            if (target != null) {
                target.authPacketArrived(reasonCode, properties);
            }
        }
    }
}
