package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.crf.CrfException;
import dev.segment.engine.deeplab.ModelException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The exit codes of the file-reading tools (segment crf, segment eval), from the one shared classifier. */
class FailuresTest {
    private static Failures.Verdict tool(Throwable t) {
        return Failures.classifyToolFailure(t);
    }

    @Test
    void shouldMapEachToolFailureToItsExitCodeAndKeepTheMessage() {
        assertEquals(
                new Failures.Verdict(ExitCodes.USAGE, "--classes must be >= 1"),
                tool(new IllegalArgumentException("--classes must be >= 1")));
        assertEquals(
                new Failures.Verdict(ExitCodes.INPUT_MISSING, "not found: /x/im.ppm (image not found)"),
                tool(new NoSuchFileException("/x/im.ppm", null, "image not found")));
        assertEquals(
                new Failures.Verdict(ExitCodes.INPUT_MISSING, "not found: /x/im.ppm"),
                tool(new NoSuchFileException("/x/im.ppm")));
        assertEquals(
                new Failures.Verdict(ExitCodes.INPUT_INVALID, "/x/p.f32: 12 bytes, expected 24"),
                tool(new IOException("/x/p.f32: 12 bytes, expected 24")));
        assertEquals(
                ExitCodes.MODEL,
                tool(new ModelException(ModelException.Kind.values()[0], Path.of("/m.pb"), "not a graph"))
                        .exitCode());
        assertEquals(
                new Failures.Verdict(ExitCodes.NATIVE, "library missing"), tool(new CrfException("library missing")));
        assertEquals(
                ExitCodes.NATIVE, tool(new UnsatisfiedLinkError("no segcrf")).exitCode());
        Failures.Verdict bug = tool(new IllegalStateException("oops"));
        assertEquals(ExitCodes.INTERNAL, bug.exitCode());
        assertTrue(bug.message().startsWith("internal error: IllegalStateException: oops"), bug.message());
    }
}
