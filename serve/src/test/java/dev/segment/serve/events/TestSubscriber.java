package dev.segment.serve.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * An MQTT subscriber for the tests (Paho's blocking client): records every message it gets, in order. A persistent one
 * (clean session off) keeps its subscriptions and gets what was published while it was away, once it
 * {@link #connect()}s again.
 */
public final class TestSubscriber implements AutoCloseable {
    /** One message as the subscriber got it. */
    public record Received(String topic, String payload, int qos, boolean retained) {}

    private final MqttClient client;
    private final MqttConnectOptions options = new MqttConnectOptions();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private TestSubscriber(String uri, String clientId, boolean persistent) throws MqttException {
        client = new MqttClient(uri, clientId, new MemoryPersistence());
        options.setCleanSession(!persistent);
        options.setConnectionTimeout(5);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                received.add(new Received(
                        topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.getQos(), m.isRetained()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        client.connect(options);
    }

    /** Connected, subscribed to {@code topics} at QoS 1, forgetting everything when it disconnects. */
    public static TestSubscriber subscribe(String uri, String... topics) throws MqttException {
        TestSubscriber s = new TestSubscriber(uri, MqttClient.generateClientId(), false);
        s.client.subscribe(topics, qos1(topics.length));
        return s;
    }

    /** Like {@link #subscribe}, with a session the broker keeps while the subscriber is away. */
    static TestSubscriber persistent(String uri, String... topics) throws MqttException {
        TestSubscriber s = new TestSubscriber(uri, "test-sub-" + System.nanoTime() % 100_000_000, true);
        s.client.subscribe(topics, qos1(topics.length));
        return s;
    }

    /** Connects again, resuming the session (after the broker was restarted). */
    void connect() throws MqttException {
        if (!client.isConnected()) {
            client.connect(options);
        }
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> on(String topic) {
        return received.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
        } catch (MqttException ignored) {
            // the broker may be gone already
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // closing
        }
    }

    private static int[] qos1(int n) {
        int[] q = new int[n];
        Arrays.fill(q, 1);
        return q;
    }
}
