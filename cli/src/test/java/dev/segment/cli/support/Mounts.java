package dev.segment.cli.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Mounts for output faults that file permissions cannot make when tests run as root (root writes through chmod): a
 * read-only bind mount and a tiny tmpfs. Needs CAP_SYS_ADMIN; without it the test is skipped (Assumptions) with the
 * reason, never failed.
 */
public final class Mounts {
    private Mounts() {}

    /** Makes {@code dir} a read-only bind mount of itself. Undo with {@link #unmount}. */
    public static void bindReadOnly(Path dir) throws IOException, InterruptedException {
        mount(List.of("mount", "--bind", dir.toString(), dir.toString()));
        try {
            mount(List.of("mount", "-o", "remount,bind,ro", dir.toString()));
        } catch (org.opentest4j.TestAbortedException e) {
            unmount(dir);
            throw e;
        }
    }

    /** Mounts a tmpfs of {@code kilobytes} on {@code dir}. Undo with {@link #unmount}. */
    public static void tmpfs(Path dir, int kilobytes) throws IOException, InterruptedException {
        mount(List.of("mount", "-t", "tmpfs", "-o", "size=" + kilobytes + "k", "segment-test", dir.toString()));
    }

    public static void unmount(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("umount", dir.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("umount " + dir + " failed: " + out);
        }
    }

    private static void mount(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("cannot run " + command + ": " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(ok, () -> String.join(" ", command) + " failed (no CAP_SYS_ADMIN here?): " + out);
    }
}
