package dev.segment.flink;

import java.io.Serializable;
import java.util.Objects;

/**
 * A Kafka topic for the job's records, from {@code --records kafka://HOST:PORT/TOPIC} (several brokers:
 * {@code kafka://HOST:PORT,HOST:PORT/TOPIC}).
 *
 * @param bootstrapServers {@code HOST:PORT[,HOST:PORT...]}, as Kafka's {@code bootstrap.servers} takes it
 * @param topic            the topic (letters, digits, '.', '_', '-'; at most 249 characters, as Kafka allows)
 */
public record KafkaTarget(String bootstrapServers, String topic) implements Serializable {
    private static final String SCHEME = "kafka://";
    private static final String FORM = "kafka://HOST:PORT/TOPIC";

    public KafkaTarget {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
    }

    /** True when {@code value} names a Kafka topic (starts with {@code kafka://}), well formed or not. */
    public static boolean isKafka(String value) {
        return value != null && value.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** Parses {@code kafka://HOST:PORT[,HOST:PORT...]/TOPIC}; a malformed value is named with what is wrong. */
    public static KafkaTarget parse(String value) {
        if (!isKafka(value)) {
            throw bad(value, "it does not start with kafka://");
        }
        String rest = value.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw bad(value, "the topic is missing (a '/' and the topic after the brokers)");
        }
        String brokers = rest.substring(0, slash);
        String topic = rest.substring(slash + 1);
        if (brokers.isEmpty()) {
            throw bad(value, "no broker HOST:PORT");
        }
        for (String broker : brokers.split(",", -1)) {
            int colon = broker.lastIndexOf(':');
            if (colon <= 0) {
                throw bad(value, "broker \"" + broker + "\" has no HOST:PORT");
            }
            String port = broker.substring(colon + 1);
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw bad(value, "broker \"" + broker + "\" has port \"" + port + "\", not a number from 1 to 65535");
            }
        }
        if (topic.isEmpty()) {
            throw bad(value, "the topic is empty");
        }
        if (!topic.matches("[A-Za-z0-9._-]{1,249}") || topic.equals(".") || topic.equals("..")) {
            throw bad(
                    value,
                    "topic \"" + topic + "\" is not a Kafka topic name (letters, digits, '.', '_', '-',"
                            + " at most 249)");
        }
        return new KafkaTarget(brokers, topic);
    }

    private static IllegalArgumentException bad(String value, String why) {
        return new IllegalArgumentException("--records must be " + FORM + ", got \"" + value + "\": " + why);
    }

    @Override
    public String toString() {
        return SCHEME + bootstrapServers + "/" + topic;
    }
}
