package dev.segment.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The {@code --restarts} choices as Flink options, and a cluster's own configuration left alone. */
class RestartsTest {
    @Test
    void exponentialDelayHasTheStatedBounds() {
        Configuration c = Restarts.parse("exponential").toConfiguration();
        assertEquals("exponential-delay", c.get(RestartStrategyOptions.RESTART_STRATEGY));
        assertEquals(
                Duration.ofSeconds(1),
                c.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF));
        assertEquals(
                Duration.ofSeconds(30), c.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF));
        assertEquals(2.0, c.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER));
        assertEquals(20, c.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS));
        assertEquals(
                Duration.ofMinutes(10),
                c.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD));
    }

    @Test
    void aNumberIsFixedDelayAndClusterSetsNothing() {
        Configuration fixed = Restarts.parse("3").toConfiguration();
        assertEquals("fixed-delay", fixed.get(RestartStrategyOptions.RESTART_STRATEGY));
        assertEquals(3, fixed.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS));
        assertTrue(Restarts.parse("cluster").toConfiguration().keySet().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Restarts.parse("often"));
        assertTrue(e.getMessage().contains("--restarts must be cluster, exponential or a number"), e.getMessage());
    }

    @Test
    void theClustersCheckpointIntervalAndRestartStrategyAreKept() throws Exception {
        Configuration cluster = new Configuration();
        cluster.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        cluster.setString("execution.checkpointing.interval", "7 s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(cluster);
        JobSettings settings = JobSettings.of(null, Map.of("model.path", "/m.pb"), Path.of("/o"));
        SegmentJob.configure(env, settings, Restarts.CLUSTER);
        assertEquals(7000, env.getCheckpointConfig().getCheckpointInterval());
        assertEquals("fixed-delay", env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY));

        StreamExecutionEnvironment bare = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        SegmentJob.configure(bare, settings, Restarts.exponentialDelay());
        assertEquals(5000, bare.getCheckpointConfig().getCheckpointInterval(), "the job's own interval without one");
        assertEquals("exponential-delay", bare.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY));
    }
}
