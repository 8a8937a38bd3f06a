package dev.segment.flink;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;

/**
 * How Flink restarts the job after a failure (a worker's exception, a task manager lost): the one place that turns
 * the {@code --restarts} flag and the Java API's choice into Flink's restart options.
 *
 * <ul>
 *   <li>{@link #CLUSTER}: the job sets nothing and the cluster's own {@code restart-strategy.*} configuration applies
 *       (the default under {@code flink run});</li>
 *   <li>{@link #exponentialDelay()}: Flink's exponential-delay strategy with the bounds below (the default of the
 *       embedded cluster and of {@code --restarts exponential});</li>
 *   <li>{@link #fixedDelay(int)}: {@code attempts} restarts 1 s apart, then the job fails.</li>
 * </ul>
 *
 * <p>The exponential bounds: the first restart after {@value #INITIAL_BACKOFF_SECONDS} s, each next one waits
 * {@value #MULTIPLIER} times longer up to {@value #MAX_BACKOFF_SECONDS} s (plus or minus {@value #JITTER} of it), and
 * the job fails after {@value #ATTEMPTS} restarts that follow each other without {@value #RESET_MINUTES} minutes of
 * calm between them (a calm that long starts the count and the delay afresh). The delays of the first 6 restarts add
 * up to 61 s and of all 20 to 8 minutes: a task manager that is lost and comes back (or is replaced) within that
 * time costs restarts, not the job, and a job that cannot run at all fails within about 8 minutes.
 */
public final class Restarts implements Serializable {
    private static final long serialVersionUID = 1L;

    static final int INITIAL_BACKOFF_SECONDS = 1;
    static final double MULTIPLIER = 2.0;
    static final int MAX_BACKOFF_SECONDS = 30;
    static final double JITTER = 0.1;
    static final int ATTEMPTS = 20;
    static final int RESET_MINUTES = 10;

    /** The cluster's restart configuration, untouched. */
    public static final Restarts CLUSTER = new Restarts("cluster", 0);

    private final String kind;
    private final int attempts;

    private Restarts(String kind, int attempts) {
        this.kind = kind;
        this.attempts = attempts;
    }

    /** Flink's exponential-delay strategy with the bounds in the class comment. */
    public static Restarts exponentialDelay() {
        return new Restarts("exponential", ATTEMPTS);
    }

    /** {@code attempts} restarts 1 s apart (0: the first failure fails the job). */
    public static Restarts fixedDelay(int attempts) {
        if (attempts < 0) {
            throw new IllegalArgumentException("restart attempts must be >= 0, got " + attempts);
        }
        return new Restarts("fixed", attempts);
    }

    /** The {@code --restarts} flag: {@code cluster}, {@code exponential} or a number of fixed-delay attempts. */
    public static Restarts parse(String flag) {
        String v = flag == null ? "" : flag.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "cluster":
                return CLUSTER;
            case "exponential":
                return exponentialDelay();
            default:
                try {
                    return fixedDelay(Integer.parseInt(v));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--restarts must be cluster, exponential or a number of"
                            + " attempts >= 0, got \"" + flag + "\"");
                }
        }
    }

    /** True when the cluster's configuration is left as it is. */
    public boolean keepsCluster() {
        return kind.equals("cluster");
    }

    /** Flink's restart options for this choice; empty for {@link #CLUSTER}. */
    public Configuration toConfiguration() {
        Configuration conf = new Configuration();
        switch (kind) {
            case "exponential" -> {
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
                conf.set(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                        Duration.ofSeconds(INITIAL_BACKOFF_SECONDS));
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, MULTIPLIER);
                conf.set(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                        Duration.ofSeconds(MAX_BACKOFF_SECONDS));
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, JITTER);
                conf.set(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                        Duration.ofMinutes(RESET_MINUTES));
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, attempts);
            }
            case "fixed" -> {
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, attempts);
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
            }
            default -> {}
        }
        return conf;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case "exponential" ->
                "exponential-delay (" + INITIAL_BACKOFF_SECONDS + " s to " + MAX_BACKOFF_SECONDS + " s, " + attempts
                        + " attempts)";
            case "fixed" -> "fixed-delay (" + attempts + " attempts, 1 s apart)";
            default -> "the cluster's restart strategy";
        };
    }
}
