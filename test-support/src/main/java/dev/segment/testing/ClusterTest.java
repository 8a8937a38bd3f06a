package dev.segment.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that runs a Flink cluster: Flink's MiniCluster in this JVM, or the standalone cluster's processes of the
 * flink-cluster-test module. Run by Failsafe ({@code mvn verify}), not by {@code mvn test}; the root POM lists the
 * tags each plugin runs.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("cluster")
public @interface ClusterTest {}
