package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.testing.Shared;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CrfCommandTest {
    private static Path crf(String file) {
        return Shared.dir().resolve("data/crf").resolve(file);
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new CrfCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldReproduceTheFixtureLabelsAndPrintTimings(@TempDir Path dir) throws IOException {
        Path labels = dir.resolve("labels.u8");
        Path q = dir.resolve("q.f32");
        Run r = run(
                "--image",
                crf("im1_320x240.ppm").toString(),
                "--prob",
                crf("im1_320x240_C21.prob.f32").toString(),
                "--classes",
                "21",
                "--iterations",
                "5",
                "--repeat",
                "2",
                "--threads",
                "2",
                "--out-labels",
                labels.toString(),
                "--out-q",
                q.toString(),
                "--kl");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("(?s).*lattice-build ms: [0-9.]+\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*ms per iteration: [0-9.]+\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*total ms: [0-9.]+\\n.*"), r.out());
        assertTrue(r.out().contains("iter 5 KL=-894"), r.out());
        byte[] got = Files.readAllBytes(labels);
        byte[] ref = Files.readAllBytes(crf("im1_320x240_C21_n5.labels.u8"));
        int same = 0;
        for (int i = 0; i < ref.length; i++) {
            same += got[i] == ref[i] ? 1 : 0;
        }
        assertTrue(same >= 0.999 * ref.length, same + " of " + ref.length);
        assertEquals(Files.size(crf("im1_320x240_C21_n5.q.f32")), Files.size(q));
    }

    @Test
    void shouldNameTheFileWhoseSizeIsWrong() {
        Run r = run(
                "--image",
                crf("im1_320x240.ppm").toString(),
                "--prob",
                crf("im1_320x240_C2.prob.f32").toString(),
                "--classes",
                "21");
        assertEquals(ExitCodes.INPUT_INVALID, r.exit());
        assertTrue(r.err().contains("im1_320x240_C2.prob.f32") && r.err().contains("expected"), r.err());
        Run missing = run("--image", "/nonexistent/x.ppm", "--prob", "p.f32", "--classes", "2");
        assertEquals(ExitCodes.INPUT_MISSING, missing.exit());
        assertTrue(missing.err().contains("/nonexistent/x.ppm"), missing.err());
    }

    @Test
    void shouldRejectMalformedKernelFlagsWithUsageExitCode() {
        Run r = run(
                "--image",
                crf("im1_320x240.ppm").toString(),
                "--prob",
                crf("im1_320x240_C2.prob.f32").toString(),
                "--classes",
                "2",
                "--bilateral",
                "80,13");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertTrue(r.err().contains("--bilateral takes SXY,SRGB,W"), r.err());
    }
}
