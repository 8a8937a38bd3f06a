package dev.segment.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.testing.SystemTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeProcessTest {
    @SystemTest
    @Test
    void stderrGoesToTheFileOnlyWhileTheActionRuns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stderr.txt");
        // A child process inherits file descriptor 2 as native code sees it (surefire replaces System.err).
        boolean redirected = NativeProcess.withStderrTo(file, () -> printToStderr("during the action"));
        printToStderr("after the action");
        assertTrue(redirected);
        assertEquals("during the action\n", Files.readString(file));
    }

    private static void printToStderr(String text) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "echo \"$0\" >&2", text)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            assertEquals(0, p.waitFor());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void setenvKeepsAValueAlreadySetAndRejectsBadNames() {
        assertTrue(NativeProcess.setenvIfUnset("SEGMENT_NATIVE_PROCESS_TEST", "1"));
        assertTrue(NativeProcess.setenvIfUnset("SEGMENT_NATIVE_PROCESS_TEST", "2"));
        assertFalse(NativeProcess.setenvIfUnset("A=B", "1"));
        assertFalse(NativeProcess.setenvIfUnset("", "1"));
    }
}
