package dev.segment.serve.events;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events to an MQTT broker, through Eclipse Paho: each event's JSON on {@code segment/<camera>/events} (QoS 1, not
 * retained), each camera's newest state on {@code segment/<camera>/state} (QoS 1, retained), and the service's
 * availability on {@code segment/available}: {@code online} (retained) on every connect, {@code offline} as the last
 * will and on close.
 *
 * <p>An event leaves the queue once the broker acknowledged it (PUBACK), so a broker that is down loses nothing that
 * fits the queue: delivery is at least once, in order. The connection is made by the delivery thread, with the
 * queue's backoff, also when nothing is waiting: a broker that is down when the sink starts is connected to when it
 * comes up, and the constructor never fails for it. After a reconnect the last state of every camera is published
 * again, for a broker that restarted without its database.
 *
 * <p>A user name and password can be given in the URI ({@code tcp://user:secret@host:1883}); they are never logged.
 */
public final class MqttEventSink implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(MqttEventSink.class);

    /** The first level of every topic. */
    public static final String ROOT = "segment";
    /** Where {@code online} and {@code offline} are published, retained. */
    public static final String AVAILABILITY_TOPIC = ROOT + "/available";

    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";
    public static final int QOS = 1;

    private static final int CONNECT_TIMEOUT_SECONDS = 5;
    private static final int KEEP_ALIVE_SECONDS = 30;
    private static final long PUBLISH_TIMEOUT_MILLIS = 10_000;
    private static final String CONNECT_KEY = "connect";

    /** An MQTT message to publish; {@link #CONNECT} (no topic) only makes sure the client is connected. */
    private record Message(String topic, byte[] payload, boolean retained) {}

    private static final Message CONNECT = new Message(null, null, false);

    private final String target;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final QueuedDelivery<Message> queue;
    private final Map<String, Message> lastStates = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Worker thread only: {@code online} was published on the current connection. */
    private boolean announced;

    /** Worker thread only: connections made so far. */
    private int connects;

    /** A sink with the default queue (1000 events, backoff 0.5 s to 30 s). */
    public MqttEventSink(URI broker) {
        this(broker, QueuedDelivery.Settings.DEFAULTS);
    }

    /**
     * Starts connecting to the broker in the background; never waits for it.
     *
     * @param broker {@code tcp://HOST[:PORT]} (1883 by default) or {@code ssl://HOST[:PORT]} (8883), optionally with
     *               {@code user:password@} before the host
     * @throws IllegalArgumentException for a URI of another form
     */
    public MqttEventSink(URI broker, QueuedDelivery.Settings settings) {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(settings, "settings");
        String serverUri = serverUri(broker);
        this.target = "mqtt " + serverUri;
        this.options = options(broker);
        try {
            this.client = new MqttAsyncClient(serverUri, clientId(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalArgumentException("MQTT broker " + serverUri + " is not usable: " + e.getMessage(), e);
        }
        client.setCallback(new Callback());
        this.queue = new QueuedDelivery<>(target, settings, this::deliver);
        queue.signal(CONNECT_KEY, CONNECT);
    }

    /** {@code segment/<camera>/events}. */
    public static String eventsTopic(String camera) {
        return ROOT + "/" + camera + "/events";
    }

    /** {@code segment/<camera>/state}. */
    public static String stateTopic(String camera) {
        return ROOT + "/" + camera + "/state";
    }

    @Override
    public String name() {
        return "mqtt";
    }

    @Override
    public void event(Event event) {
        queue.offer(new Message(eventsTopic(event.camera()), EventJson.toBytes(event), false));
    }

    @Override
    public void state(String camera, String json) {
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(json, "json");
        Message m = new Message(stateTopic(camera), json.getBytes(StandardCharsets.UTF_8), true);
        lastStates.put(camera, m);
        queue.offerLatest(stateKey(camera), m);
    }

    @Override
    public long dropped() {
        return queue.dropped();
    }

    @Override
    public int queued() {
        return queue.queued();
    }

    /** True while connected to the broker. */
    public boolean connected() {
        return client.isConnected();
    }

    /** The broker, as logged: without credentials. */
    @Override
    public String toString() {
        return target;
    }

    /**
     * Delivers what it can within the queue's grace period, publishes {@code offline} (retained) and disconnects.
     * Safe to call twice.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        queue.close();
        try {
            if (client.isConnected()) {
                client.publish(AVAILABILITY_TOPIC, bytes(OFFLINE), QOS, true).waitForCompletion(2_000);
                client.disconnect(1_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            LOG.debug("{}: disconnecting: {}", target, e.getMessage());
        } finally {
            try {
                client.close(true);
            } catch (MqttException e) {
                LOG.debug("{}: closing the client: {}", target, e.getMessage());
            }
        }
    }

    /** On the delivery thread: connects if needed, then publishes and waits for the broker's acknowledgement. */
    private void deliver(Message m) throws MqttException, QueuedDelivery.RejectedException {
        connect();
        if (m != CONNECT) {
            publish(m);
        }
    }

    private void connect() throws MqttException {
        if (!client.isConnected()) {
            announced = false;
            client.connect(options).waitForCompletion((CONNECT_TIMEOUT_SECONDS + 2) * 1000L);
            connects++;
            LOG.info("{}: {}", target, connects == 1 ? "connected" : "connected again");
        }
        if (!announced) {
            client.publish(AVAILABILITY_TOPIC, bytes(ONLINE), QOS, true).waitForCompletion(PUBLISH_TIMEOUT_MILLIS);
            announced = true;
            if (connects > 1) {
                lastStates.forEach((camera, m) -> queue.offerLatestIfAbsent(stateKey(camera), m));
            }
        }
    }

    private void publish(Message m) throws MqttException, QueuedDelivery.RejectedException {
        IMqttDeliveryToken token;
        try {
            token = client.publish(m.topic(), m.payload(), QOS, m.retained());
        } catch (IllegalArgumentException e) {
            throw new QueuedDelivery.RejectedException(
                    "\"" + m.topic() + "\" is not a valid MQTT topic: " + e.getMessage(), e);
        }
        token.waitForCompletion(PUBLISH_TIMEOUT_MILLIS);
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectionLost(Throwable cause) {
            LOG.warn(
                    "{}: lost the connection ({}); reconnecting",
                    target,
                    cause == null ? "no reason given" : cause.getMessage());
            queue.signal(CONNECT_KEY, CONNECT);
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {}

        @Override
        public void messageArrived(String topic, MqttMessage message) {}

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {}
    }

    private static String stateKey(String camera) {
        return "state/" + camera;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** 23 characters at most, as MQTT 3.1.1 brokers must accept; unique, so that two services never kick each other. */
    private static String clientId() {
        return "segment-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The URI Paho connects to: scheme, host and port, no credentials, no path. */
    static String serverUri(URI broker) {
        String scheme = broker.getScheme() == null ? "" : broker.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "tcp", "mqtt" -> 1883;
            case "ssl", "mqtts" -> 8883;
            default ->
                throw new IllegalArgumentException("MQTT broker must be tcp://HOST[:PORT] or"
                        + " ssl://HOST[:PORT], got " + Redaction.uri(broker));
        };
        if (broker.getHost() == null) {
            throw new IllegalArgumentException("MQTT broker " + Redaction.uri(broker) + " has no host");
        }
        String host = broker.getHost().contains(":") && !broker.getHost().startsWith("[")
                ? "[" + broker.getHost() + "]"
                : broker.getHost();
        String pahoScheme = defaultPort == 8883 ? "ssl" : "tcp";
        return pahoScheme + "://" + host + ":" + (broker.getPort() < 0 ? defaultPort : broker.getPort());
    }

    /** %XX escapes decoded; a '+' stays a '+' (URLDecoder alone would make it a space). */
    private static String percentDecoded(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static MqttConnectOptions options(URI broker) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS);
        o.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        o.setWill(AVAILABILITY_TOPIC, bytes(OFFLINE), QOS, true);
        String userInfo = broker.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            o.setUserName(percentDecoded(user));
            if (colon >= 0) {
                o.setPassword(percentDecoded(userInfo.substring(colon + 1)).toCharArray());
            }
        }
        return o;
    }
}
