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
import java.util.List;

/**
 * An MQTT client that keeps what a resumed session delivers before anyone listens.
 *
 * <p>Camel's paho-mqtt5 consumer connects first and sets its callback afterwards; with a
 * persistent session the broker sends the queued messages right after CONNACK, and those arriving
 * in between had no callback: not processed, not acknowledged, stuck until the next reconnect. This
 * client is connected by us with a callback of its own that buffers until the consumer's callback
 * is set, then hands over the buffer in order and forwards everything after.
 */
final class SessionSafeMqttClient extends MqttClient {

    private final Object lock = new Object();
    private final List<Object[]> early = new ArrayList<>();
    private MqttCallback delegate;

    SessionSafeMqttClient(String broker, String clientId) throws MqttException {
        super(broker, clientId, new MemoryPersistence());
        super.setManualAcks(true);
        super.setCallback(new Forwarder());
    }

    void open(MqttConnectionOptions options) throws MqttException {
        connect(options);
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
