package dev.segment.cli;

import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VocPalette;
import dev.segment.config.ConfigException;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import dev.segment.crf.TemporalCrfConfig;
import dev.segment.engine.DeepLabSegmenters;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.ScoreGrid;
import dev.segment.engine.crf.CrfRefiner;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.eval.ConfusionMatrix;
import dev.segment.engine.eval.TruthMasks;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code segment eval}: segmentation quality of the model, with or without the CRF.
 *
 * <ul>
 *   <li>With --images and --masks (VOC layout: NAME.jpg or NAME.png, mask NAME.png with class ids, 255 = void):
 *       mIoU from one confusion matrix over all pixels (mean over classes with a non-empty union), pixel accuracy
 *       and per-class IoU. The CRF is off unless --crf on, as in every command.
 *   <li>With --video (and --truth DIR of per-frame masks): the real pipeline, the one {@code segment convert} runs
 *       with the same flags, once per --modes row; per row the object's IoU, mIoU, flicker, the truth's flicker, fps
 *       and the stages' mean times (see {@link VideoEval}).
 * </ul>
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Evaluate the model (+ CRF) on a VOC-layout folder pair: mIoU, pixel accuracy, per-class IoU.",
            "With --video: run the pipeline of segment convert over a clip once per --modes row and report the object's IoU",
            "and mIoU against per-frame truth (--truth), flicker, the truth's flicker, fps and stage times."
        })
public final class EvalCommand implements Callable<Integer> {
    static final String[] VOC_CLASSES = VocPalette.classNames().toArray(new String[0]);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--images",
            description = "folder of images NAME.jpg / NAME.png (with --crf on, refined by the CRF)")
    Path images;

    @Option(names = "--masks", description = "folder of masks NAME.png (palette or grey, value = class id, 255 = void)")
    Path masks;

    @Option(
            names = "--gaussian",
            split = ",",
            paramLabel = "SXY,W",
            description = "CRF smoothness kernel (crf.gaussian.sxy, crf.gaussian.weight)")
    double[] gaussian;

    @Option(
            names = "--bilateral",
            split = ",",
            paramLabel = "SXY,SRGB,W",
            description = "CRF appearance kernel (crf.bilateral.sxy, .srgb, .weight)")
    double[] bilateral;

    @Option(names = "--video", description = "a clip: run the pipeline over it once per --modes row")
    Path video;

    @Option(
            names = "--truth",
            paramLabel = "DIR",
            description = "--video: per-frame truth masks (palette or grey PNG,"
                    + " class ids, 255 = void): NNNNN.png for frame N, or else the k-th PNG in name order for frame k")
    Path truth;

    @Option(
            names = "--object",
            paramLabel = "C",
            description = "--video: the class whose IoU is reported, an id or a"
                    + " name such as car (default: the one class the first truth mask annotates)")
    String object;

    @Option(
            names = "--modes",
            paramLabel = "ROWS",
            description = "--video: one pipeline run per row, rows separated"
                    + " by ';', each a list of configuration settings KEY=VALUE separated by ',' (KEY: crf, keyframes, a field"
                    + " path such as crf.iterations or a flag name such as crf-scale). Default: \"crf=off;crf=on\", crossed with"
                    + " keyframes=all/auto where the configuration has keyframes.mode")
    String modes;

    @Mixin
    ConfigFlags fields = new ConfigFlags(ConfigFlag.FRAMES, ConfigFlag.START);

    @Mixin
    ConfigOptions common;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (video != null) {
                if (images != null || masks != null) {
                    throw new IllegalArgumentException("--video excludes --images and --masks");
                }
                return videoReport(out);
            }
            if (truth != null
                    || object != null
                    || modes != null
                    || fields.given(ConfigFlag.FRAMES) != null
                    || fields.given(ConfigFlag.START) != null) {
                throw new IllegalArgumentException("--truth, --object, --modes, --frames and --start go with --video");
            }
            if (images == null || masks == null) {
                throw new IllegalArgumentException("give --images and --masks (or --video)");
            }
            return imageReport(out);
        } catch (Exception | UnsatisfiedLinkError e) {
            Failures.Verdict v = Failures.classifyToolFailure(e);
            err.println("segment eval: " + v.message());
            if (common != null && common.verbose) {
                e.printStackTrace(err);
            }
            return v.exitCode();
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The configuration the flags build, as every pipeline command builds it, with the CRF kernel flags. */
    private SegmentConfig config(ConfigOverrides o) throws IOException, ConfigException {
        if (gaussian != null) {
            if (gaussian.length != 2) {
                throw new IllegalArgumentException("--gaussian takes SXY,W (2 numbers), got " + gaussian.length);
            }
            o.set("crf.gaussian.sxy", Double.toString(gaussian[0]), "--gaussian");
            o.set("crf.gaussian.weight", Double.toString(gaussian[1]), "--gaussian");
        }
        if (bilateral != null) {
            if (bilateral.length != 3) {
                throw new IllegalArgumentException("--bilateral takes SXY,SRGB,W (3 numbers), got " + bilateral.length);
            }
            o.set("crf.bilateral.sxy", Double.toString(bilateral[0]), "--bilateral");
            o.set("crf.bilateral.srgb", Double.toString(bilateral[1]), "--bilateral");
            o.set("crf.bilateral.weight", Double.toString(bilateral[2]), "--bilateral");
        }
        SegmentConfig config = common.load(o);
        common.requireModel(config);
        Path model = Path.of(config.model().path());
        if (!Files.isRegularFile(model)) {
            throw new NoSuchFileException(model.toString(), null, "model not found");
        }
        return config;
    }

    // ---------------------------------------------------------------- video

    private int videoReport(PrintWriter out) throws Exception {
        ConfigOverrides o = new ConfigOverrides();
        fields.putAll(o);
        SegmentConfig base = config(o);
        if (!Files.isRegularFile(video)) {
            throw new NoSuchFileException(video.toString(), null, "clip not found");
        }
        List<ModeRows.Row> rows = ModeRows.parse(modes != null ? modes : ModeRows.defaults(), "--modes");
        TruthMasks masks = truth == null ? null : TruthMasks.open(truth);
        int objectClass = objectClass(masks, base.source().startFrame());
        new VideoEval(out, video, masks, objectClass).run(base, rows);
        return ExitCodes.OK;
    }

    /** --object as a class id, or the one class the first frame's truth annotates, or -1 (no truth, no --object). */
    private int objectClass(TruthMasks masks, long firstFrame) throws IOException {
        List<String> names = VocPalette.classNames();
        if (object != null) {
            int id = names.indexOf(object.toLowerCase(Locale.ROOT));
            if (id >= 0) {
                return id;
            }
            try {
                id = Integer.parseInt(object);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--object must be a class id 0.." + (names.size() - 1)
                        + " or one of " + String.join(", ", names) + "; got " + object);
            }
            if (id < 0 || id >= names.size()) {
                throw new IllegalArgumentException(
                        "--object must be a class id 0.." + (names.size() - 1) + ", got " + id);
            }
            return id;
        }
        if (masks == null) {
            return -1;
        }
        SortedSet<Integer> present = masks.classesIn(firstFrame);
        present.remove(0);
        present.remove(255);
        if (present.size() != 1) {
            throw new IllegalArgumentException(
                    "give --object: the truth mask of frame " + firstFrame + " in " + masks.dir() + " has "
                            + (present.isEmpty() ? "no object class" : "the classes " + present) + ", not exactly one");
        }
        return present.first();
    }

    // ---------------------------------------------------------------- images

    private int imageReport(PrintWriter out) throws Exception {
        SegmentConfig config = config(new ConfigOverrides());
        List<Path> pairs = new ArrayList<>();
        try (Stream<Path> files = Files.list(images)) {
            files.filter(p -> p.toString().endsWith(".jpg") || p.toString().endsWith(".png"))
                    .sorted()
                    .forEach(pairs::add);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(images.toString(), null, "images folder not found");
        }
        long[][] confusion = new long[21][21];
        int evaluated = 0;
        TemporalCrfConfig crf = CrfRefiner.temporalConfig(config.crf());
        int iterations = config.crf().iterations();
        // The CRF stage of the pipeline (the code convert runs on a photo): the model's grid upsampled natively, class
        // pruning, crf.scale and crf.maxPixels; cold, with crf.iterations, on every image.
        try (DeepLabModel deeplab = DeepLabModel.load(Path.of(config.model().path()));
                CrfRefiner refiner = config.crf().enabled() ? new CrfRefiner(config.crf()) : null) {
            if (refiner != null) {
                out.printf(
                        Locale.ROOT,
                        "crf: %s, %d iterations, gaussian %s, bilateral %s, scale %s, maxPixels %d%n",
                        refiner.backendDescription(),
                        iterations,
                        CrfKernelFlags.num(crf.params().gaussianSxy()) + ","
                                + CrfKernelFlags.num(crf.params().gaussianWeight()),
                        CrfKernelFlags.num(crf.params().bilateralSxy()) + ","
                                + CrfKernelFlags.num(crf.params().bilateralSrgb()) + ","
                                + CrfKernelFlags.num(crf.params().bilateralWeight()),
                        CrfKernelFlags.num(config.crf().scale()),
                        config.crf().maxPixels());
            } else {
                out.println("crf: off");
            }
            for (Path image : pairs) {
                String name = image.getFileName().toString().replaceFirst("\\.(jpg|png)$", "");
                Path mask = masks.resolve(name + ".png");
                if (!Files.isRegularFile(mask)) {
                    out.println("skip " + name + ": no mask " + mask);
                    continue;
                }
                Rgb rgb = readRgb(image);
                byte[] truthMask = readMask(mask, rgb.width, rgb.height);
                ByteBuffer labels = segment(deeplab, config.inference().unpadded(), refiner, rgb);
                long[][] own = new long[21][21];
                accumulate(own, truthMask, labels);
                add(confusion, own);
                out.printf(
                        Locale.ROOT,
                        "%s: %dx%d%s, mIoU %.4f%n",
                        name,
                        rgb.width,
                        rgb.height,
                        refiner == null ? "" : " (CRF grid " + refiner.gridSize() + ")",
                        meanIou(own));
                evaluated++;
            }
        }
        if (evaluated == 0) {
            throw new NoSuchFileException(images.toString(), null, "no image with a mask in " + masks);
        }
        out.printf(Locale.ROOT, "images: %d%n", evaluated);
        out.printf(Locale.ROOT, "mIoU: %.4f%n", meanIou(confusion));
        out.printf(Locale.ROOT, "pixel accuracy: %.4f%n", pixelAccuracy(confusion));
        out.println("per-class IoU:");
        for (int c = 0; c < 21; c++) {
            double iou = iou(confusion, c);
            out.printf(
                    Locale.ROOT,
                    "  %2d %-12s %s%n",
                    c,
                    VOC_CLASSES[c],
                    Double.isNaN(iou) ? "-" : String.format(Locale.ROOT, "%.4f", iou));
        }
        return ExitCodes.OK;
    }

    /** One image through the pipeline's stages (as convert runs a photo): the model's grid, then the CRF or its argmax. */
    private static ByteBuffer segment(DeepLabModel deeplab, boolean unpadded, CrfRefiner refiner, Rgb rgb)
            throws Exception {
        ByteBuffer labels = ByteBuffer.allocateDirect(rgb.width * rgb.height);
        VideoFrame frame = new VideoFrame(rgb.width, rgb.height);
        frame.resize(rgb.width, rgb.height).put(rgb.pixels.duplicate().clear());
        ScoreGrid scores = new ScoreGrid();
        try (FrameSegmenter segmenter = new DeepLabSegmenters(deeplab, unpadded).create(rgb.width, rgb.height)) {
            segmenter.segment(frame, scores);
        }
        if (refiner == null) {
            scores.argmax(rgb.width, rgb.height, labels);
        } else {
            refiner.reset("next image");
            refiner.refine(frame, scores, labels);
        }
        return labels;
    }

    static void accumulate(long[][] confusion, byte[] truth, ByteBuffer labels) {
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i] & 0xff;
            int p = labels.get(i) & 0xff;
            if (t < 21 && p < 21) {
                confusion[t][p]++;
            }
        }
    }

    /** total += part, element by element (one image's or frame's matrix into the run's). */
    static void add(long[][] total, long[][] part) {
        for (int t = 0; t < total.length; t++) {
            for (int p = 0; p < total[t].length; p++) {
                total[t][p] += part[t][p];
            }
        }
    }

    /** IoU of class c, NaN when its union is empty. */
    static double iou(long[][] m, int c) {
        return ConfusionMatrix.iou(m, c);
    }

    static double meanIou(long[][] m) {
        return ConfusionMatrix.meanIou(m);
    }

    static double pixelAccuracy(long[][] m) {
        return ConfusionMatrix.pixelAccuracy(m);
    }

    // ---------------------------------------------------------------- helpers

    private record Rgb(int width, int height, ByteBuffer pixels) {}

    private static Rgb readRgb(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + ": not a readable JPEG or PNG image");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        ByteBuffer rgb = ByteBuffer.allocateDirect(w * h * 3);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                rgb.put((byte) (p >> 16)).put((byte) (p >> 8)).put((byte) p);
            }
        }
        return new Rgb(w, h, rgb.flip());
    }

    private static byte[] readMask(Path file, int width, int height) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + ": not a readable PNG mask");
        }
        if (img.getWidth() != width || img.getHeight() != height) {
            throw new IOException(file + ": mask is " + img.getWidth() + "x" + img.getHeight() + ", image is " + width
                    + "x" + height);
        }
        if (img.getRaster().getNumBands() != 1) {
            throw new IOException(file + ": mask must be a palette or grey PNG holding class ids, has "
                    + img.getRaster().getNumBands() + " bands");
        }
        byte[] out = new byte[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out[y * width + x] = (byte) img.getRaster().getSample(x, y, 0);
            }
        }
        return out;
    }
}
