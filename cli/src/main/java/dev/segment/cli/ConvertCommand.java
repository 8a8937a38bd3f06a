package dev.segment.cli;

import dev.segment.codecs.FfmpegSource;
import dev.segment.codecs.FrameSink;
import dev.segment.codecs.FrameSource;
import dev.segment.codecs.ImageFileSink;
import dev.segment.codecs.ImageSequenceSource;
import dev.segment.codecs.MaskPngSink;
import dev.segment.codecs.SinkException;
import dev.segment.codecs.SourceOptions;
import dev.segment.codecs.VideoFileSink;
import dev.segment.codecs.VideoInfo;
import dev.segment.config.ConfigException;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.FrameReport;
import dev.segment.engine.PipelineListener;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.StatsWriter;
import dev.segment.engine.app.FinalizeOnSignal;
import dev.segment.engine.app.Models;
import dev.segment.engine.app.OutputSettings;
import dev.segment.engine.app.SourceSettings;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.pipeline.Pipeline;
import dev.segment.engine.pipeline.Pipelines;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code segment convert INPUT OUTPUT --model GRAPH.pb ...}: every frame of a file, segmented, blended and encoded
 * to H.264 in MP4 or MKV, with optional masks and statistics. Files never drop frames. Ctrl-C or SIGTERM stops
 * reading, writes what is in the pipeline and finalizes the output before the process exits. Photos (one, a
 * directory, a pattern or several) go through the same pipeline and are written as images ({@link ImageBatch});
 * each photo is a discontinuity, so the CRF never warm-starts from another photo.
 */
@Command(
        name = "convert",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Segment a video file and write the overlay video (H.264 in .mp4 or .mkv),",
            "or photos: convert photo.jpg out.png | convert DIR OUT_DIR | convert 'DIR/*.jpg' OUT_DIR."
        })
final class ConvertCommand implements Callable<Integer> {
    /** The input name for standard input, as FFmpeg's own command line spells it. */
    private static final String STDIN = "-";

    /**
     * Text, not a Path: a Path turns "rtsp://user:pw@host/x" into "rtsp:/user:pw@host/x", which FFmpeg cannot open
     * and the source's credential redaction does not recognise.
     */
    @Parameters(
            index = "0",
            paramLabel = "INPUT",
            description = "Any FFmpeg-readable video file, - for standard"
                    + " input (a pipe from another program), an image, a directory of images or a pattern such as"
                    + " 'photos/*.jpg'.")
    String input;

    @Parameters(
            index = "1",
            paramLabel = "OUTPUT",
            description =
                    "Output video, .mp4 or .mkv; for an image, a .png" + " or .jpg; for several images, a directory.")
    Path output;

    @Parameters(
            index = "2..*",
            paramLabel = "MORE",
            description = "More images: the last argument is then the"
                    + " output directory (segment convert a.jpg b.jpg OUT_DIR).")
    List<String> more = new ArrayList<>();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--no-progress", description = "No progress bar even on a terminal.")
    boolean noProgress;

    @Mixin
    ConfigFlags fields = new ConfigFlags(ConfigFlag.MASKS, ConfigFlag.STATS, ConfigFlag.START, ConfigFlag.FRAMES);

    @Mixin
    ConfigOptions common;

    /** The output directory of a batch of images, else null (the video output is named). */
    private String outputName;

    private String outputName() {
        return outputName != null ? outputName : output.toString();
    }

    @Override
    public Integer call() throws Exception {
        ConfigOverrides o = new ConfigOverrides();
        fields.putAll(o);
        List<String> positional = new ArrayList<>(List.of(input, output.toString()));
        positional.addAll(more);
        String outputArg = positional.remove(positional.size() - 1);
        ImageBatch images = null;
        try {
            if (ImageBatch.wanted(positional)) {
                images = ImageBatch.plan(positional, outputArg);
            } else if (!more.isEmpty()) {
                throw new ImageBatch.UsageError("convert takes one video and one output, got " + (more.size() + 2)
                        + " arguments (several arguments are for images: a.jpg b.jpg OUT_DIR)");
            } else if (ImageFileSink.formatOf(output) != null) {
                throw new ImageBatch.UsageError(output + ": a video is written as a video (.mp4 or .mkv); image"
                        + " outputs are for image inputs (segment convert photo.jpg out.png), and --masks DIR"
                        + " writes one PNG per frame");
            }
        } catch (ImageBatch.UsageError e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        SegmentConfig config = common.load(o);
        common.requireModel(config);
        if (images == null) {
            OutputFiles.requireVideoFile(
                    outputArg, STDIN.equals(input) ? null : input, "--masks DIR writes one PNG per frame");
            refuseConflictingPaths(config);
        } else {
            for (Path overlay : images.overlays()) {
                OutputFiles.refuseExisting(overlay, common.overwrite, "the output image");
            }
        }
        if (config.output().statsFile() != null) {
            OutputFiles.refuseExisting(Path.of(config.output().statsFile()), common.overwrite, "the statistics file");
        }
        if (images == null) {
            requireStartBeforeTheEnd(config.source().startFrame());
        }

        try (OutputLock lock = images == null ? OutputLock.acquire(output) : null) {
            if (images == null) { // after the lock: a file another run is writing is reported as that
                OutputFiles.refuseExisting(output, common.overwrite, "the output video");
            }
            try (DeepLabModel model = Models.acquire(config, false)) {
                return convert(config, model, images);
            }
        }
    }

    /** What FFmpeg opens: {@code -} is standard input, as FFmpeg's own {@code pipe:0}. */
    private String ffmpegInput() {
        return STDIN.equals(input) ? "pipe:0" : input;
    }

    /**
     * {@code --start} at or past the last frame would convert nothing and exit 0 with an empty video: refused before
     * anything is written, with the input's frame count (from its header; a file without one is checked after the
     * run).
     */
    private void requireStartBeforeTheEnd(long start) throws ConfigException {
        if (start <= 0 || localFile(input) == null || !Files.isRegularFile(localFile(input))) {
            return;
        }
        long frames;
        try (FfmpegSource probe = new FfmpegSource(input, SourceOptions.forFile())) {
            frames = probe.open().frameCount();
        } catch (IOException | RuntimeException e) {
            return; // the conversion reports an unreadable input in its own words
        }
        if (frames > 0 && start >= frames) {
            throw pastTheEnd(start, input + " has " + frames + " frames (0 to " + (frames - 1) + ")");
        }
    }

    private static ConfigException pastTheEnd(long start, String howMany) {
        return new ConfigException(
                ConfigFlag.START.flag, ConfigFlag.START.path, Long.toString(start), "past the last frame: " + howMany);
    }

    private int convert(SegmentConfig config, DeepLabModel model, ImageBatch images) throws Exception {
        FrameSource source;
        List<FrameSink> sinks = new ArrayList<>();
        String masksDir = config.output().masksDir();
        if (images == null) {
            SourceOptions sourceOptions = SourceSettings.fileOptions(config);
            source = new FfmpegSource(ffmpegInput(), sourceOptions);
            sinks.add(new VideoFileSink(output, OutputSettings.video(config)));
            if (masksDir != null) {
                sinks.add(OutputSettings.masks(config));
            }
        } else {
            images = images.from(config.source().startFrame());
            source = new ImageSequenceSource(images.inputs());
            sinks.add(new ImageFileSink(images.overlays()));
            if (masksDir != null) {
                sinks.add(new MaskPngSink(Path.of(masksDir), images::maskName));
            }
            outputName = images.output().toString();
        }
        List<PipelineListener> listeners = new ArrayList<>();
        StatsWriter statsWriter = null;
        if (config.output().statsFile() != null) {
            Path statsPath = Path.of(config.output().statsFile());
            try {
                ImageBatch photos = images;
                statsWriter = photos == null
                        ? OutputSettings.stats(config)
                        : new StatsWriter(
                                statsPath,
                                Pipelines.classNames(),
                                0,
                                i -> photos.inputs().get((int) i).toString());
            } catch (IOException e) {
                Path parent = statsPath.toAbsolutePath().getParent();
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                String why = parent != null && Files.exists(parent) && !Files.isDirectory(parent)
                        ? parent + " is a file, not a directory"
                        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
                throw new SinkException(statsPath, "cannot write the statistics file: " + why, e);
            }
            listeners.add(reportingAsSinkError(statsWriter, statsPath));
        }
        PrintStream err = System.err;
        ProgressBar progress = null;
        if (!noProgress && ProgressBar.wanted()) {
            progress = new ProgressBar(
                    err, config.source().startFrame(), config.source().maxFrames());
            listeners.add(progress);
        }
        try {
            Pipeline pipeline;
            try {
                pipeline = Pipelines.builder(config, model, source, sinks)
                        .listener(PipelineListener.all(listeners))
                        .start();
            } catch (OutOfMemoryError e) {
                // the ring's slots are allocated up front: too many too large frames for the heap (8K x 16 slots)
                throw new java.util.concurrent.ExecutionException(e);
            }
            FinalizeOnSignal hook = FinalizeOnSignal.install(
                    pipeline,
                    Duration.ofSeconds(60),
                    s -> {
                        System.err.println();
                        System.err.println("segment: interrupted; " + s.framesOut() + " frames written to "
                                + outputName() + " (finalized)");
                    },
                    e -> System.err.println("segment: interrupted; finalizing " + outputName() + " failed: " + e));
            PipelineSummary summary = pipeline.await();
            hook.remove();
            if (progress != null) {
                progress.finish();
            }
            if (summary.failure() != null) {
                err.println("segment: stopped after " + summary.framesOut() + " frames; " + outputName()
                        + " keeps what was" + " written before the error");
                throw asException(summary.failure());
            }
            long start = config.source().startFrame();
            if (start > 0 && summary.framesIn() == 0 && !summary.stopped()) {
                throw pastTheEnd(
                        start,
                        (STDIN.equals(input) ? "standard input" : input) + " ended before frame " + start
                                + " (it has fewer than " + (start + 1) + " frames); " + output + " has no frames");
            }
            warnIfInputEndedEarly(err, pipeline.info(), config.source().maxFrames(), summary);
            Summary.print(err, summary, outputName());
            return ExitCodes.OK;
        } finally {
            if (statsWriter != null) {
                statsWriter.close();
            }
        }
    }

    /**
     * The statistics writer fails with an UncheckedIOException (disk full...), which would be reported as an internal
     * error; as an output error it gets exit code 7 and names the file.
     */
    private static PipelineListener reportingAsSinkError(StatsWriter stats, Path path) {
        return new PipelineListener() {
            @Override
            public void onFrame(FrameReport report) {
                try {
                    stats.onFrame(report);
                } catch (UncheckedIOException e) {
                    IOException cause = e.getCause();
                    throw new UncheckedIOException(new SinkException(
                            path,
                            "cannot write the statistics file: "
                                    + (cause.getCause() != null
                                            ? cause.getCause().getMessage()
                                            : cause.getMessage()),
                            e));
                }
            }
        };
    }

    /**
     * A truncated or damaged file converts what can be decoded and exits 0 (the output is valid and users keep it),
     * but says so: fewer frames than the container announces is the one sign of a cut-off download.
     */
    private void warnIfInputEndedEarly(PrintStream err, VideoInfo info, long maxFrames, PipelineSummary summary) {
        long expected = info.frameCount();
        if (maxFrames > 0 && (expected <= 0 || maxFrames < expected)) {
            expected = maxFrames;
        }
        if (expected > 0 && info.frameCount() > 0 && !summary.stopped() && summary.framesIn() < expected) {
            err.println("segment: warning: " + info.description() + " ended after " + summary.framesIn() + " of the "
                    + expected + " frames its header announces (truncated or damaged file?); the output has the "
                    + summary.framesOut() + " frames that could be decoded");
        }
    }

    /**
     * The output, the statistics file and the masks directory must be distinct from each other and from the input:
     * the statistics file is truncated before the input is even opened, so {@code --stats INPUT} would destroy the
     * input, and {@code --stats OUTPUT} would interleave JSON with the video.
     */
    private void refuseConflictingPaths(SegmentConfig config) throws SinkException {
        Path in = localFile(input);
        String statsFile = config.output().statsFile();
        String masksDir = config.output().masksDir();
        Path statsPath = statsFile == null ? null : Path.of(statsFile);
        Path masksPath = masksDir == null ? null : Path.of(masksDir);
        refuseSame(in, output, output, "output is the input file; refusing to overwrite the input");
        refuseSame(in, statsPath, statsPath, "the --stats file is the input file; refusing to overwrite the input");
        refuseSame(in, masksPath, masksPath, "the --masks directory is the input file");
        refuseSame(output, statsPath, statsPath, "the --stats file is the output video; give them different names");
        refuseSame(
                output,
                masksPath,
                masksPath,
                "the --masks directory is the output video; give them different" + " names");
        refuseSame(statsPath, masksPath, statsPath, "the --stats file is the --masks directory");
    }

    /** The input as a local path, or null for a URL ("rtsp://...", "http://..."). */
    private static Path localFile(String input) {
        if (STDIN.equals(input)) {
            return null;
        }
        if (input.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*") && !input.startsWith("file:")) {
            return null;
        }
        return Path.of(input.startsWith("file:") ? input.substring(5) : input);
    }

    private static void refuseSame(Path a, Path b, Path reported, String problem) throws SinkException {
        if (a == null || b == null) {
            return;
        }
        boolean same = a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        try {
            same |= Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            // cannot tell: the sink reports its own error if the path is unusable
        }
        if (same) {
            throw new SinkException(reported, problem);
        }
    }

    private static Exception asException(Throwable t) {
        return t instanceof Exception e ? e : new RuntimeException(t);
    }
}
