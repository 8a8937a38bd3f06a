package dev.segment.engine.deeplab;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Inference-only speed for one frame size, padded vs unpadded: resize, graph run and logits upsampling, as the
 * pipeline's inference stage does them (no decode, no CRF). The frame is synthetic (smooth gradients plus noise):
 * the graph's cost does not depend on the content. For {@code segment bench} and by hand:
 *
 * <pre>
 * java -cp ... dev.segment.engine.deeplab.InferenceBench MODEL.pb [--frames N] [--threads T] [--output WxH|frame]
 *     [--labels-only] WIDTHxHEIGHT...
 * </pre>
 */
public final class InferenceBench {

    /**
     * One measurement.
     *
     * @param unpadded whether the unpadded graph ran (false also when it was asked for but unavailable)
     */
    public record Result(
            int frameWidth,
            int frameHeight,
            int outputWidth,
            int outputHeight,
            boolean unpadded,
            int frames,
            double meanMs,
            double bestMs) {

        public double fps() {
            return 1000.0 / meanMs;
        }

        @Override
        public String toString() {
            return String.format(
                    "%dx%d -> %dx%d %-8s %3d frames: mean %7.1f ms, best %7.1f ms, %5.2f fps",
                    frameWidth,
                    frameHeight,
                    outputWidth,
                    outputHeight,
                    unpadded ? "unpadded" : "padded",
                    frames,
                    meanMs,
                    bestMs,
                    fps());
        }
    }

    private InferenceBench() {}

    /**
     * Times {@code frames} segmentations after {@code warmup} untimed ones.
     *
     * @param outputWidth  output size of logits and labels (the frame's size, or the CRF's)
     * @param labelsOnly   write labels only (no logits buffer)
     */
    public static Result measure(
            DeepLabModel model,
            int frameWidth,
            int frameHeight,
            int outputWidth,
            int outputHeight,
            boolean unpadded,
            boolean labelsOnly,
            int warmup,
            int frames) {
        if (frames < 1 || warmup < 0) {
            throw new IllegalArgumentException("frames must be >= 1 and warmup >= 0, got " + frames + ", " + warmup);
        }
        ByteBuffer rgb = syntheticFrame(frameWidth, frameHeight);
        int pixels = outputWidth * outputHeight;
        FloatBuffer logits = labelsOnly
                ? null
                : ByteBuffer.allocateDirect(pixels * model.classCount() * 4)
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
        ByteBuffer labels = ByteBuffer.allocateDirect(pixels);
        try (Segmenter segmenter = model.segmenter(frameWidth, frameHeight, outputWidth, outputHeight, unpadded)) {
            for (int i = 0; i < warmup; i++) {
                segmenter.segment(rgb, logits, labels);
            }
            double total = 0;
            double best = Double.MAX_VALUE;
            for (int i = 0; i < frames; i++) {
                long t0 = System.nanoTime();
                segmenter.segment(rgb, logits, labels);
                double ms = (System.nanoTime() - t0) / 1e6;
                total += ms;
                best = Math.min(best, ms);
            }
            return new Result(
                    frameWidth,
                    frameHeight,
                    outputWidth,
                    outputHeight,
                    segmenter.unpadded(),
                    frames,
                    total / frames,
                    best);
        }
    }

    /** Padded and unpadded results for each size, printed as they come. */
    public static List<Result> run(
            DeepLabModel model,
            List<int[]> frameSizes,
            int[] outputSize,
            boolean labelsOnly,
            int frames,
            PrintStream out) {
        List<Result> results = new ArrayList<>();
        out.println(model + ", threads " + (model.threads() == 0 ? "TF default" : model.threads()));
        for (int[] size : frameSizes) {
            int ow = outputSize == null ? size[0] : outputSize[0];
            int oh = outputSize == null ? size[1] : outputSize[1];
            for (boolean unpadded : new boolean[] {false, true}) {
                Result r = measure(model, size[0], size[1], ow, oh, unpadded, labelsOnly, 3, frames);
                out.println(r);
                results.add(r);
            }
        }
        return results;
    }

    public static void main(String[] args) throws ModelException {
        if (args.length < 2) {
            System.err.println("usage: InferenceBench MODEL.pb [--frames N] [--threads T] [--output WxH|frame]"
                    + " [--labels-only] WIDTHxHEIGHT...");
            return;
        }
        Path modelFile = Path.of(args[0]);
        int frames = 20;
        int threads = 0;
        int[] output = null;
        boolean labelsOnly = false;
        List<int[]> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--frames" -> frames = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--output" -> {
                    String value = args[++i];
                    output = value.equals("frame") ? null : size(value);
                }
                case "--labels-only" -> labelsOnly = true;
                default -> sizes.add(size(args[i]));
            }
        }
        try (DeepLabModel model = DeepLabModel.load(modelFile, threads)) {
            run(model, sizes, output, labelsOnly, frames, System.out);
        }
    }

    private static int[] size(String text) {
        String[] parts = text.toLowerCase(java.util.Locale.ROOT).split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("size must be WIDTHxHEIGHT, got '" + text + "'");
        }
        int[] size = {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        if (size[0] < 1 || size[1] < 1) {
            throw new IllegalArgumentException("size must be positive, got '" + text + "'");
        }
        return size;
    }

    private static ByteBuffer syntheticFrame(int width, int height) {
        byte[] pixels = new byte[width * height * 3];
        Random noise = new Random(1);
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < width; x++, i += 3) {
                int n = noise.nextInt(32);
                pixels[i] = (byte) (x * 255 / Math.max(1, width - 1) * 3 / 4 + n);
                pixels[i + 1] = (byte) (y * 255 / Math.max(1, height - 1) * 3 / 4 + n);
                pixels[i + 2] = (byte) (((x / 32 + y / 32) & 1) * 160 + n);
            }
        }
        return ByteBuffer.allocateDirect(pixels.length).put(pixels).clear();
    }
}
