package dev.segment.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.crf.support.CrfFixtures;
import dev.segment.testing.SystemTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native check program crf_check (crf-native/README.md, "Checking a GPU"), built by this module's CMake build:
 * its CPU half matches the fixtures, and without a GPU it says why and exits 4, never 0.
 */
@SystemTest
class CrfCheckProgramTest {
    private static final int NO_GPU = 4;
    private static final int CPU_WRONG = 3;
    private static final int BAD_INPUT = 2;
    private static final int CUDA_DIFFERS = 1;
    private static final int CUDA_FAILED = 5;
    // A line of the CPU-against-reference table: case, labels %, max|dQ|, KL rel, result.
    private static final Pattern REFERENCE_LINE =
            Pattern.compile("^ {2}(fixture .+?|sequence .+?)\\s+(-|[0-9.]+%)\\s+(\\S+)\\s+(\\S+)\\s+(ok.*|FAIL.*)$");

    private record Run(int exit, String output) {}

    private static Path program() {
        String p = System.getProperty("segment.crf.check");
        assertTrue(p != null, "system property segment.crf.check (set by the crf-native pom) is missing");
        Path program = Paths.get(p);
        assertTrue(Files.isExecutable(program), program + " was not built by the CMake build");
        return program;
    }

    private static Path fixtures() {
        return CrfFixtures.shared().resolve("data/crf");
    }

    private static Run run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    private static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(program().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("SEGMENT_CRF_CUDA"); // the kill switch would hide the plugin
        builder.environment().putAll(env);
        Process process = builder.start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int exit = process.waitFor();
        System.out.println(output);
        return new Run(exit, output);
    }

    /** The lines of the CPU-against-reference table, as REFERENCE_LINE matches them. */
    private static List<Matcher> referenceLines(String output) {
        List<Matcher> lines = new ArrayList<>();
        int start = output.indexOf("CPU backend against the reference");
        int end = output.indexOf("\nCPU backend ", start);
        assertTrue(start >= 0 && end > start, output);
        for (String line : output.substring(start, end).split("\n")) {
            Matcher m = REFERENCE_LINE.matcher(line);
            if (m.matches()) {
                lines.add(m);
            }
        }
        return lines;
    }

    @Test
    void shouldMatchTheFixturesOnTheCpuAndExitWithItsOwnCodeWithoutAGpu() throws Exception {
        Path dir = fixtures();
        Run r = run(
                "--fixtures",
                dir.toString(),
                "--threads",
                "2",
                "--repeat",
                "1",
                "--image",
                dir.resolve("im1_320x240.ppm").toString(),
                "--prob",
                dir.resolve("im1_320x240_C2.prob.f32").toString());

        List<Matcher> lines = referenceLines(r.output());
        assertEquals(4 + 7, lines.size(), "4 fixture and 7 sequence lines");
        for (Matcher m : lines) {
            assertTrue(m.group(5).startsWith("ok"), m.group());
            if (m.group(1).startsWith("fixture")) {
                assertTrue(Double.parseDouble(m.group(2).replace("%", "")) >= 99.9, m.group());
                assertTrue(m.group(3).equals("-") || Double.parseDouble(m.group(3)) <= 1e-3, m.group());
                assertTrue(Double.parseDouble(m.group(4)) <= 1e-3, m.group());
            }
        }
        assertTrue(r.output().contains("CPU backend matches the reference fixtures"), r.output());
        // The given image runs too, cold and warm-started on itself.
        assertTrue(r.output().contains("im1_320x240.ppm 320x240 C=2 cold 5"), r.output());
        assertTrue(r.output().contains("im1_320x240.ppm again, warm 1"), r.output());

        if (DenseCrf.isCudaAvailable()) {
            assertEquals(0, r.exit(), "a GPU is present: CUDA must agree with the CPU\n" + r.output());
            return;
        }
        assertEquals(NO_GPU, r.exit(), r.output());
        assertTrue(r.output().contains("RESULT: no usable GPU"), r.output());
        Path plugin = program().resolveSibling("libsegcrf_cuda.so");
        if (Files.isRegularFile(plugin)) {
            // The same probe as the JVM's, on the same plugin: the same reason.
            assertTrue(
                    r.output().contains("CUDA backend: no usable GPU: " + DenseCrf.cudaUnavailabilityCause()),
                    "the JVM's probe says: " + DenseCrf.cudaUnavailabilityCause() + "\n" + r.output());
        } else {
            assertTrue(r.output().contains("the CUDA plugin " + plugin + " does not exist"), r.output());
        }
    }

    @Test
    void shouldExitWithTheCpuMismatchCodeWhenTheCpuDoesNotMatchTheFixtures(@TempDir Path tmp) throws Exception {
        // The fixtures with 1% of one reference label image flipped between the two classes of the photo.
        try (DirectoryStream<Path> files = Files.newDirectoryStream(fixtures())) {
            for (Path f : files) {
                Files.createSymbolicLink(tmp.resolve(f.getFileName()), f);
            }
        }
        String bad = "im1_320x240_C21_n5.labels.u8";
        byte[] labels = Files.readAllBytes(fixtures().resolve(bad));
        for (int i = 0; i < labels.length; i += 100) {
            labels[i] = (byte) (labels[i] == 0 ? 1 : 0);
        }
        Files.delete(tmp.resolve(bad));
        Files.write(tmp.resolve(bad), labels);

        Run r = run("--fixtures", tmp.toString(), "--threads", "2", "--repeat", "0");

        assertEquals(CPU_WRONG, r.exit(), r.output());
        assertTrue(r.output().contains("CPU backend DOES NOT match the reference fixtures"), r.output());
        int failed = 0;
        for (Matcher m : referenceLines(r.output())) {
            boolean isBad = m.group(1).equals("fixture 320x240 C=21 cold 5");
            assertEquals(isBad, m.group(5).startsWith("FAIL"), m.group());
            if (isBad) {
                assertEquals(99.0, Double.parseDouble(m.group(2).replace("%", "")), 0.01, m.group());
                failed++;
            }
        }
        assertEquals(1, failed, r.output());
    }

    @Test
    void shouldNameTheFileWhenAnInputIsMissing(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("absent.f32");
        Run r = run(
                "--fixtures",
                fixtures().toString(),
                "--image",
                fixtures().resolve("im1_320x240.ppm").toString(),
                "--prob",
                missing.toString());
        assertEquals(BAD_INPUT, r.exit(), r.output());
        assertTrue(r.output().contains(missing.toString()), r.output());
    }

    /** The tests' stand-in CUDA plugin (src/test/native): loads and reports a device, answers wrongly or fails. */
    private static Path standIn() {
        Path plugin = Paths.get(System.getProperty("segment.crf.standInPlugin", ""));
        assertTrue(Files.isRegularFile(plugin), plugin + " (the stand-in CUDA plugin) was not built");
        return plugin;
    }

    @Test
    void shouldExitWithTheDifferCodeWhenTheGpuAnswersWrongly() throws Exception {
        Run r = run(
                "--fixtures",
                fixtures().toString(),
                "--threads",
                "2",
                "--repeat",
                "0",
                "--cuda-plugin",
                standIn().toString());
        assertEquals(CUDA_DIFFERS, r.exit(), r.output());
        assertTrue(r.output().contains("CUDA backend: cuda (stand-in plugin without a GPU)"), r.output());
        int differing = 0;
        for (String line :
                r.output().substring(r.output().indexOf("CUDA against CPU")).split("\n")) {
            if (line.startsWith("  fixture") || line.startsWith("  sequence")) {
                assertTrue(line.endsWith("DIFFERS"), line);
                differing++;
            }
        }
        assertEquals(4 + 7, differing, r.output());
        assertTrue(r.output().contains("RESULT: CUDA DIFFERS from the CPU (exit 1)"), r.output());
    }

    @Test
    void shouldExitWithTheFailureCodeWhenAGpuRunFails() throws Exception {
        Run r = run(
                Map.of("SEGCRF_STAND_IN", "fail"),
                "--fixtures",
                fixtures().toString(),
                "--threads",
                "2",
                "--repeat",
                "0",
                "--cuda-plugin",
                standIn().toString());
        assertEquals(CUDA_FAILED, r.exit(), r.output());
        assertTrue(
                r.output().contains("CUDA backend failed while running: CUDA mean-field: stand-in failure"),
                r.output());
    }
}
