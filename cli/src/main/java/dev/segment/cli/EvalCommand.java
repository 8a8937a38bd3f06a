package dev.segment.cli;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.ImageSequenceSource;
import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.VocPalette;
import dev.segment.config.ConfigException;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import dev.segment.crf.CrfParams;
import dev.segment.engine.FrameReport;
import dev.segment.engine.PipelineListener;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.app.Models;
import dev.segment.engine.crf.CrfRefiner;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.eval.ConfusionMatrix;
import dev.segment.engine.eval.TruthMasks;
import dev.segment.engine.pipeline.Pipeline;
import dev.segment.engine.pipeline.Pipelines;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
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
 *       the photos go through the pipeline {@code segment convert} runs on photos, each photo alone (the model on
 *       each, a cold CRF); mIoU from one confusion matrix over all pixels (mean over classes with a non-empty
 *       union), pixel accuracy and per-class IoU. The CRF is off unless --crf on, as in every command.
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
        new VideoEval(out, video, masks, objectClass, common).run(base, rows);
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

    /** A photo and its truth mask. */
    private record Photo(String name, Path image, Path mask) {}

    private int imageReport(PrintWriter out) throws Exception {
        SegmentConfig config = config(new ConfigOverrides());
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(images)) {
            list.filter(p -> p.toString().endsWith(".jpg") || p.toString().endsWith(".png"))
                    .sorted()
                    .forEach(files::add);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(images.toString(), null, "images folder not found");
        }
        List<Photo> photos = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path image : files) {
            String name = image.getFileName().toString().replaceFirst("\\.(jpg|png)$", "");
            Path mask = masks.resolve(name + ".png");
            if (Files.isRegularFile(mask)) {
                photos.add(new Photo(name, image, mask));
            } else {
                skipped.add("skip " + name + ": no mask " + mask);
            }
        }
        // The pipeline of segment convert over the photos: each photo is a discontinuity of the source, so each gets
        // the model and a cold CRF, whatever keyframes.mode says.
        try (DeepLabModel model = Models.acquire(config, false)) {
            if (photos.isEmpty()) {
                skipped.forEach(out::println);
                throw new NoSuchFileException(images.toString(), null, "no image with a mask in " + masks);
            }
            PhotoScores scores = new PhotoScores(out, photos, model.classCount());
            ImageSequenceSource source =
                    new ImageSequenceSource(photos.stream().map(Photo::image).toList());
            Pipeline.Builder run =
                    Pipelines.builder(config, model, source, List.of(scores)).listener(scores);
            out.println(crfLine(config, (CrfRefiner) run.refiner()));
            skipped.forEach(out::println);
            try (Pipeline pipeline = run.start()) {
                PipelineSummary summary = pipeline.await();
                if (summary.failure() != null) {
                    Throwable t = summary.failure();
                    throw t instanceof Exception e ? e : new RuntimeException(t);
                }
                if (summary.framesDropped() != 0 || summary.framesIn() != summary.framesOut()) {
                    throw new IllegalStateException("evaluation needs every image: " + summary.framesIn() + " read, "
                            + summary.framesOut() + " scored, " + summary.framesDropped() + " dropped");
                }
            }
            ConfusionMatrix total = scores.total();
            out.printf(Locale.ROOT, "images: %d%n", scores.scored());
            out.printf(Locale.ROOT, "mIoU: %.4f%n", total.meanIou());
            out.printf(Locale.ROOT, "pixel accuracy: %.4f%n", total.pixelAccuracy());
            out.println("per-class IoU:");
            for (int c = 0; c < total.classes(); c++) {
                double iou = total.iou(c);
                out.printf(
                        Locale.ROOT,
                        "  %2d %-12s %s%n",
                        c,
                        VocPalette.className(c),
                        Double.isNaN(iou) ? "-" : String.format(Locale.ROOT, "%.4f", iou));
            }
        }
        return ExitCodes.OK;
    }

    /** The CRF settings of the run, or "crf: off" when it has no CRF stage. */
    private static String crfLine(SegmentConfig config, CrfRefiner refiner) {
        if (refiner == null) {
            return "crf: off";
        }
        CrfParams p = CrfRefiner.temporalConfig(config.crf()).params();
        return String.format(
                Locale.ROOT,
                "crf: %s, %d iterations, gaussian %s, bilateral %s, scale %s, maxPixels %d",
                refiner.backendDescription(),
                config.crf().iterations(),
                CrfKernelFlags.num(p.gaussianSxy()) + "," + CrfKernelFlags.num(p.gaussianWeight()),
                CrfKernelFlags.num(p.bilateralSxy()) + "," + CrfKernelFlags.num(p.bilateralSrgb()) + ","
                        + CrfKernelFlags.num(p.bilateralWeight()),
                CrfKernelFlags.num(config.crf().scale()),
                config.crf().maxPixels());
    }

    /**
     * The eval's sink and listener: scores each photo's labels against its mask into one confusion matrix of all
     * photos, and prints the photo's line once the pipeline reports the frame (with the grid the CRF ran on).
     */
    private static final class PhotoScores implements FrameSink, PipelineListener {
        private final PrintWriter out;
        private final List<Photo> photos;
        private final ConfusionMatrix total;
        private ConfusionMatrix last;
        private int scored;

        PhotoScores(PrintWriter out, List<Photo> photos, int classes) {
            this.out = out;
            this.photos = photos;
            this.total = new ConfusionMatrix(classes);
        }

        @Override
        public void open(VideoInfo info) {}

        @Override
        public void write(SegmentedFrame frame) throws IOException {
            Photo photo = photos.get((int) frame.index());
            byte[] truth = TruthMasks.read(photo.mask(), frame.width(), frame.height());
            last = new ConfusionMatrix(total.classes());
            last.add(truth, frame.labels());
            total.add(last);
            scored++;
        }

        @Override
        public void onFrame(FrameReport report) {
            out.printf(
                    Locale.ROOT,
                    "%s: %dx%d%s, mIoU %.4f%n",
                    photos.get((int) report.index()).name(),
                    report.width(),
                    report.height(),
                    report.crfWidth() == 0 ? "" : " (CRF grid " + report.crfWidth() + "x" + report.crfHeight() + ")",
                    last.meanIou());
        }

        /** Every photo scored so far. */
        ConfusionMatrix total() {
            return total;
        }

        int scored() {
            return scored;
        }

        @Override
        public void close() {}
    }
}
