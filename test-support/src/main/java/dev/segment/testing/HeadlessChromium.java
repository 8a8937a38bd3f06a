package dev.segment.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium for the browser preview's tests: a screenshot of a page, or its DOM after the page's
 * scripts ran for a while. Without Chromium the test is skipped (or, under {@link SystemTools#SWITCH}, fails), naming
 * the package. Every Chromium process is killed before a call returns; {@link #close} deletes the profile.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final Path dir;

    private HeadlessChromium(Path dir) {
        this.dir = dir;
    }

    public static HeadlessChromium start() throws IOException {
        SystemTools.require(Files.isExecutable(CHROMIUM), "Chromium (" + CHROMIUM + ")", "chromium");
        return new HeadlessChromium(Files.createTempDirectory("segment-chromium-"));
    }

    /** Chromium's own messages so far. */
    public String log() throws IOException {
        Path log = dir.resolve("log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** A PNG of {@code url} in a window of the given size. */
    public Path screenshot(String url, int width, int height) throws Exception {
        Path shot = dir.resolve("shot-" + System.nanoTime() + ".png");
        run(dir.resolve("log"), "--window-size=" + width + "," + height, "--screenshot=" + shot, url);
        assertTrue(Files.isRegularFile(shot), "no screenshot; chromium said:\n" + log());
        return shot;
    }

    /** The page's DOM once its scripts ran (3 s of the page's time), as HTML. */
    public String dom(String url, int width, int height) throws Exception {
        Path dom = dir.resolve("dom-" + System.nanoTime() + ".html");
        run(dom, "--window-size=" + width + "," + height, "--dump-dom", url);
        return Files.readString(dom);
    }

    /** The text of an HTML page: tags removed, white space collapsed. */
    public static String text(String html) {
        return html.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ");
    }

    private void run(Path output, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + dir.resolve("profile"),
                "--virtual-time-budget=3000"));
        cmd.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        if (output.equals(dir.resolve("log"))) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(
                    ProcessBuilder.Redirect.appendTo(dir.resolve("log").toFile()));
        }
        Process p = builder.start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish within 60 s");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
