package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.ChildSegment;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code segment live} on a machine without a display (a server, a container, an SSH session). */
@ModelTest
@SystemTest
class LiveCommandTest {
    @TempDir
    Path dir;

    @Test
    void withoutADisplayItSaysSoAndHowToGetTheBrowserPreview() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DISPLAY", null);
        env.put("WAYLAND_DISPLAY", null);
        try (ChildSegment child = ChildSegment.start(
                List.of(),
                List.of(),
                env,
                dir.resolve("live.log"),
                "live",
                "--model",
                Shared.model().toString(),
                "--device",
                "lavfi:testsrc2=size=64x48:rate=5")) {
            int exit = child.waitFor(120);
            String log = child.output();
            assertEquals(ExitCodes.USAGE, exit, log);
            assertTrue(log.contains("segment: no display found for the preview window (DISPLAY is not set)"), log);
            assertTrue(log.contains("--http-preview PORT"), log);
            assertFalse(log.contains("configuration error"), log);
        }
    }
}
