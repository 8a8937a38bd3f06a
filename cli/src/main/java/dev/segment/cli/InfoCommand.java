package dev.segment.cli;

import dev.segment.crf.DenseCrf;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.deeplab.ModelCache;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bytedeco.ffmpeg.global.avutil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code segment info [--model GRAPH.pb]}: what this installation will run with: Java, FFmpeg, TensorFlow, the CRF
 * backend the pipeline would choose and, when it is not CUDA, the recorded reason; and a model's crop, stride and
 * classes.
 */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = "Show runtime versions, the CRF backend (and why), and a model's properties.")
final class InfoCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "GRAPH.pb", description = "Also load and describe this DeepLab graph.")
    Path model;

    @Option(
            names = "--verbose",
            description = "Print stack traces with errors, and CUDA's own reason when there is" + " no GPU.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        out.println(
                "java:        " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        out.println("cores:       " + Runtime.getRuntime().availableProcessors());
        out.println("ffmpeg:      " + avutil.av_version_info().getString());
        out.println("tensorflow:  " + org.tensorflow.TensorFlow.version());
        if (DenseCrf.isAvailable()) {
            out.println("crf native:  " + (verbose ? DenseCrf.describeRuntime() : DenseCrf.describeLibrary()));
            out.println("crf backend: " + crfBackend(verbose));
        } else {
            out.println("crf native:  unavailable: " + DenseCrf.unavailabilityCause());
        }
        if (model != null) {
            try (DeepLabModel m = ModelCache.processWide().acquire(model)) {
                out.println(
                        "model:       " + m.file() + ": crop " + m.cropSize() + ", output stride " + m.outputStride()
                                + ", " + m.classCount() + " classes, unpadded inference "
                                + (m.supportsUnpadded() ? "supported" : "not supported"));
            }
        }
        return ExitCodes.OK;
    }

    /**
     * The backend in plain words. Without a GPU, CUDA's own reason ("CUDA driver version is insufficient for CUDA
     * runtime version") would send a user off to update a driver: it is shown with --verbose only. With a GPU that
     * CUDA cannot use, the reason is what its owner needs, so it is always shown.
     */
    static String crfBackend(boolean verbose) {
        String cause = DenseCrf.cudaUnavailabilityCause();
        if (cause == null) {
            return "cuda (GPU found)";
        }
        if (cause.startsWith("disabled by ")) {
            return "cpu (CUDA " + cause + ")";
        }
        if (DenseCrf.gpuPresent()) {
            return "cpu (a GPU is present, but CUDA cannot use it: " + cause + ")";
        }
        return "cpu (no GPU found" + (verbose ? "; CUDA: " + cause : "") + ")";
    }
}
