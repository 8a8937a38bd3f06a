package dev.segment.cli;

import dev.segment.config.CrfBackend;
import dev.segment.crf.CrfParams;
import dev.segment.crf.CrfTimings;
import dev.segment.crf.DenseCrf;
import dev.segment.crf.ScoreKind;
import dev.segment.crf.Start;
import dev.segment.crf.io.FixtureFiles;
import dev.segment.crf.io.RgbImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code segment crf}: runs the DenseCRF on one image given in the fixture formats of ../shared/data/crf and prints
 * the lattice-build time, the time per iteration and the total (medians over --repeat runs). Without kernel flags it
 * uses the reference's settings, so its outputs compare with the fixtures.
 */
@Command(
        name = "crf",
        mixinStandardHelpOptions = true,
        description = {
            "Run the DenseCRF on one image (binary PPM + float32 [C][H][W] probabilities) and print timings.",
            "Kernel defaults are the reference's (gaussian 3,3; bilateral 80,13,10), so outputs compare with the fixtures."
        })
public final class CrfCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--image", required = true, description = "RGB image, binary PPM (P6)")
    Path image;

    @Option(names = "--prob", required = true, description = "probabilities, float32 little-endian [C][H][W]")
    Path prob;

    @Option(names = "--classes", required = true, description = "number of classes C")
    int classes;

    @Option(
            names = "--iterations",
            defaultValue = "5",
            description = "mean-field iterations (default ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--gaussian", split = ",", paramLabel = "SXY,W", description = "Gaussian kernel (default 3,3)")
    double[] gaussian;

    @Option(
            names = "--bilateral",
            split = ",",
            paramLabel = "SXY,SRGB,W",
            description = "bilateral kernel (default 80,13,10)")
    double[] bilateral;

    @Option(names = "--out-labels", description = "write argmax labels, uint8 [H][W]")
    Path outLabels;

    @Option(names = "--out-q", description = "write Q, float32 little-endian [C][H][W]")
    Path outQ;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads, 0 = all cores (default)")
    int threads;

    @Option(names = "--repeat", defaultValue = "1", description = "runs to time; medians are printed (default 1)")
    int repeat;

    @Option(names = "--backend", defaultValue = "AUTO", description = "AUTO, CPU or CUDA (default ${DEFAULT-VALUE})")
    CrfBackend backend;

    @Option(names = "--kl", description = "print the KL divergence after each iteration (one extra, untimed run)")
    boolean kl;

    @Option(
            names = "--reuse",
            description = "time repeats on one CRF instance, as video frames run (the Gaussian lattice is then reused);"
                    + " by default each repeat is a fresh instance, comparable with the reference's timings")
    boolean reuse;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            CrfParams params = params();
            if (classes < 1 || classes > 255) {
                throw new IllegalArgumentException("--classes must be in 1..255, got " + classes);
            }
            if (iterations < 0 || iterations > 1000) {
                throw new IllegalArgumentException("--iterations must be in 0..1000, got " + iterations);
            }
            if (repeat < 1) {
                throw new IllegalArgumentException("--repeat must be >= 1, got " + repeat);
            }
            if (threads < 0) {
                throw new IllegalArgumentException("--threads must be >= 0 (0 = all cores), got " + threads);
            }
            RgbImage img = FixtureFiles.readPpm(image);
            int n = img.pixels();
            FloatBuffer unary = FixtureFiles.unaryOf(FixtureFiles.readPlanesAsHwc(prob, classes, n));
            FloatBuffer q = FixtureFiles.directFloats(n * classes);
            ByteBuffer labels = ByteBuffer.allocateDirect(n);

            double[] lattice = new double[repeat];
            double[] perIteration = new double[repeat];
            double[] total = new double[repeat];
            DenseCrf shared = reuse ? DenseCrf.open(params, backend, threads) : null;
            try {
                for (int r = 0; r < repeat; r++) {
                    DenseCrf crf = shared != null ? shared : DenseCrf.open(params, backend, threads);
                    try {
                        if (r == 0) {
                            out.printf(Locale.ROOT, "backend: %s (%s)%n", crf.backendName(), crf.backendReason());
                            out.printf(
                                    Locale.ROOT,
                                    "input: %dx%d, %d classes, %d iterations, gaussian %s,%s, bilateral %s,%s,%s%n",
                                    img.width(),
                                    img.height(),
                                    classes,
                                    iterations,
                                    CrfKernelFlags.num(params.gaussianSxy()),
                                    CrfKernelFlags.num(params.gaussianWeight()),
                                    CrfKernelFlags.num(params.bilateralSxy()),
                                    CrfKernelFlags.num(params.bilateralSrgb()),
                                    CrfKernelFlags.num(params.bilateralWeight()));
                        }
                        crf.infer(
                                img.rgb(),
                                img.width(),
                                img.height(),
                                classes,
                                unary,
                                ScoreKind.UNARY,
                                q,
                                Start.COLD,
                                iterations,
                                labels,
                                null);
                        CrfTimings t = crf.lastTimings();
                        lattice[r] = t.latticeMillis();
                        perIteration[r] = iterations == 0 ? 0 : t.iterationsMillis() / iterations;
                        total[r] = t.totalMillis();
                        out.printf(
                                Locale.ROOT,
                                "run %d: lattice %.1f ms, init %.1f ms, %d iterations %.1f ms (%.2f ms/iteration), total %.1f ms%n",
                                r + 1,
                                t.latticeMillis(),
                                t.initMillis(),
                                iterations,
                                t.iterationsMillis(),
                                perIteration[r],
                                t.totalMillis());
                    } finally {
                        if (shared == null) {
                            crf.close();
                        }
                    }
                }
                if (kl) {
                    printKl(out, shared != null ? shared : null, params, img, unary, n);
                }
            } finally {
                if (shared != null) {
                    shared.close();
                }
            }
            out.printf(Locale.ROOT, "lattice-build ms: %.1f%n", median(lattice));
            out.printf(Locale.ROOT, "ms per iteration: %.2f%n", median(perIteration));
            out.printf(Locale.ROOT, "total ms: %.1f%n", median(total));
            out.printf(
                    Locale.ROOT,
                    "min over runs: lattice-build %.1f ms, %.2f ms per iteration, total %.1f ms%n",
                    Arrays.stream(lattice).min().orElse(0),
                    Arrays.stream(perIteration).min().orElse(0),
                    Arrays.stream(total).min().orElse(0));
            if (outLabels != null) {
                FixtureFiles.writeLabels(outLabels, labels, n);
            }
            if (outQ != null) {
                FixtureFiles.writeHwcAsPlanes(outQ, q, classes, n);
            }
            out.flush();
            return 0;
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            Failures.Verdict v = Failures.classifyToolFailure(e);
            err.println("segment crf: " + v.message());
            return v.exitCode();
        } finally {
            err.flush();
        }
    }

    private void printKl(PrintWriter out, DenseCrf shared, CrfParams params, RgbImage img, FloatBuffer unary, int n) {
        double[] values = new double[iterations + 1];
        DenseCrf crf = shared != null ? shared : DenseCrf.open(params, backend, threads);
        try {
            crf.infer(
                    img.rgb(),
                    img.width(),
                    img.height(),
                    classes,
                    unary,
                    ScoreKind.UNARY,
                    FixtureFiles.directFloats(n * classes),
                    Start.COLD,
                    iterations,
                    null,
                    values);
        } finally {
            if (shared == null) {
                crf.close();
            }
        }
        for (int i = 0; i <= iterations; i++) {
            out.printf(Locale.ROOT, "iter %d KL=%.6f%n", i, values[i]);
        }
    }

    private CrfParams params() {
        return CrfKernelFlags.apply(CrfParams.reference(), gaussian, bilateral);
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
