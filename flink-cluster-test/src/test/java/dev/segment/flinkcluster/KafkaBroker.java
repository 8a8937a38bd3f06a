package dev.segment.flinkcluster;

import dev.segment.testing.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A single-node Kafka (KRaft: broker and controller in one process) on 127.0.0.1, from Kafka's server artifacts on
 * Maven Central: its storage formatted with {@code kafka.tools.StorageTool}, then {@code kafka.Kafka} started as a
 * process of its own, with replication factors of 1 for the internal topics that transactions use.
 */
final class KafkaBroker {
    final int port;
    private final Process process;
    private final Path log;

    private KafkaBroker(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static KafkaBroker start(Path home, String classPath) throws IOException, InterruptedException {
        int port = Ports.free();
        int controller = Ports.free();
        Path data = Files.createDirectories(home.resolve("data"));
        Path props = home.resolve("server.properties");
        Files.writeString(props, """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%d
                listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d
                advertised.listeners=PLAINTEXT://127.0.0.1:%d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%s
                num.partitions=2
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                group.initial.rebalance.delay.ms=0
                """.formatted(controller, port, controller, port, data));
        String java = StandaloneCluster.java();
        Processes.run(
                List.of(
                        java,
                        "-Xmx256m",
                        "-cp",
                        classPath,
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        Uuid.randomUuid().toString(),
                        "-c",
                        props.toString()),
                Map.of(),
                120);
        Path log = home.resolve("kafka.log");
        Process p = Processes.start(
                List.of(java, "-Xmx512m", "-cp", classPath, "kafka.Kafka", props.toString()), Map.of(), log);
        KafkaBroker broker = new KafkaBroker(port, p, log);
        broker.awaitReady();
        return broker;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(
                        "the Kafka broker exited " + process.exitValue() + ":\n" + Processes.tail(log, 60));
            }
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
                Thread.sleep(500);
            }
        }
        throw new AssertionError("the Kafka broker did not answer in 90 s: " + last + "\n" + Processes.tail(log, 60));
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(p);
    }

    void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Every committed message of {@code topic} (read_committed, from the start), values only: reads until the
     * consumer's position reaches the end of every partition.
     */
    List<String> readCommitted(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(parts, Duration.ofSeconds(30)));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("reading " + topic + " did not reach its end " + end);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                    values.add(r.value());
                }
            }
            return values;
        }
    }

    String logTail() {
        return Processes.tail(log, 40);
    }
}
