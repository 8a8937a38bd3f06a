package dev.segment.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that starts external processes (ffmpeg and ffprobe, the GStreamer RTSP server, nginx, Xvfb, Chromium,
 * Prometheus, child JVMs, the native check program) or opens network servers. Run by Failsafe ({@code mvn verify}),
 * not by {@code mvn test}; the root POM lists the tags each plugin runs.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("system")
public @interface SystemTest {}
