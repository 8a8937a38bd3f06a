package dev.segment.cli;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.LoopingSource;
import dev.segment.codecs.SourceOptions;
import dev.segment.codecs.VideoFileSink;
import dev.segment.config.ConfigException;
import dev.segment.config.ConfigOverrides;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.FrameReport.Stage;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.app.Models;
import dev.segment.engine.app.OutputSettings;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.engine.diagnostics.MemoryCounter;
import dev.segment.engine.diagnostics.MemorySample;
import dev.segment.engine.diagnostics.MemorySampler;
import dev.segment.engine.diagnostics.MemorySeries;
import dev.segment.engine.diagnostics.NativeMemoryProbe;
import dev.segment.engine.pipeline.Pipeline;
import dev.segment.engine.pipeline.Pipelines;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code segment soak INPUT --model GRAPH.pb}: the real pipeline on a clip played over and over (a
 * {@link LoopingSource}) into a real H.264 file, with the process's memory sampled every few frames (RSS, heap,
 * direct buffers, JavaCPP). Prints the samples as they come, then how each counter moved from the end of the warm-up
 * to the end, and a verdict on the RSS growth (target below 5 %). Prints numbers; the exit code says only whether the
 * run itself worked.
 */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Run the pipeline on a looping clip for many frames and watch the process's memory.")
final class SoakCommand implements Callable<Integer> {
    private static final double TARGET_PERCENT = 5.0;

    @Parameters(index = "0", paramLabel = "INPUT", description = "A video file, played again and again.")
    Path input;

    @Option(names = "--frames", paramLabel = "N", description = "Frames to process (default ${DEFAULT-VALUE}).")
    long frames = 5000;

    @Option(
            names = "--sample-every",
            paramLabel = "N",
            description = "Frames between memory samples (default ${DEFAULT-VALUE}).")
    int sampleEvery = 100;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            description = "Frames before growth is measured (default: 10%% of --frames, at least 300).")
    Long warmup;

    @Option(
            names = "--out",
            paramLabel = "FILE.mp4",
            description = "Keep the overlay video here (default: a temporary file, deleted afterwards).")
    Path out;

    @Mixin
    ConfigOptions common;

    @Override
    public Integer call() throws Exception {
        long warm = warmup != null ? warmup : Math.max(300, frames / 10);
        if (frames < 1) {
            throw new ConfigException("--frames", "soak.frames", String.valueOf(frames), "must be at least 1");
        }
        if (sampleEvery < 1) {
            throw new ConfigException(
                    "--sample-every", "soak.sampleEvery", String.valueOf(sampleEvery), "must be at least 1");
        }
        if (warm < 0 || warm + sampleEvery > frames) {
            throw new ConfigException(
                    "--warmup",
                    "soak.warmup",
                    String.valueOf(warm),
                    "must leave at least one" + " sample interval (" + sampleEvery + " frames) before --frames "
                            + frames);
        }
        SegmentConfig config = common.load(new ConfigOverrides());
        common.requireModel(config);
        Path video = out != null ? out : Files.createTempFile("segment-soak", ".mp4");
        try (DeepLabModel model = Models.acquire(config, false)) {
            return soak(config, model, video, warm);
        } finally {
            if (out == null) {
                Files.deleteIfExists(video);
            }
        }
    }

    private int soak(SegmentConfig config, DeepLabModel model, Path video, long warm) throws Exception {
        PrintStream o = System.out;
        MemorySampler sampler = new MemorySampler(new NativeMemoryProbe(), sampleEvery);
        LoopingSource source = new LoopingSource(input, SourceOptions.forFile(), LoopingSource.FOREVER);
        List<FrameSink> sinks = List.of(new VideoFileSink(video, OutputSettings.video(config)));
        Pipeline pipeline = Pipelines.builder(config, model, source, sinks)
                .maxFrames(frames)
                .listener(sampler)
                .start();
        o.printf(
                Locale.ROOT,
                "soak: %s, %dx%d at %.2f fps, looped; %d frames, warm-up %d, a sample every %d; model %s,"
                        + " CRF %s; output %s%n",
                input,
                pipeline.info().width(),
                pipeline.info().height(),
                pipeline.info().frameRate(),
                frames,
                warm,
                sampleEvery,
                model.file().getFileName(),
                config.crf().enabled() ? "on" : "off",
                out != null ? out : "temporary (deleted)");
        o.println(MemorySeries.header("frames"));
        MemorySeries series = sampler.series();
        int printed = 0;
        PipelineSummary summary = null;
        while (summary == null) {
            try {
                summary = pipeline.await(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                // still running: print the samples taken meanwhile
            }
            List<MemorySample> samples = series.samples();
            for (; printed < samples.size(); printed++) {
                o.println(MemorySeries.row(samples.get(printed)));
            }
            o.flush();
        }
        if (summary.failure() != null) {
            throw summary.failure() instanceof Exception e ? e : new RuntimeException(summary.failure());
        }
        report(o, config, summary, series, warm, source.restarts());
        return ExitCodes.OK;
    }

    private void report(
            PrintStream o, SegmentConfig config, PipelineSummary s, MemorySeries series, long warm, int restarts) {
        o.printf(
                Locale.ROOT,
                "%d frames in %s (%.2f fps), clip played %d times%n",
                s.framesOut(),
                Summary.duration(s.wallNanos() / 1e9),
                s.framesPerSecond(),
                restarts + 1);
        if (config.crf().enabled() && s.stages().get(Stage.CRF).samples() == 0) {
            o.println("warning: --crf on was asked for but no frame went through a CRF stage");
        }
        if (series.size() == 0 || series.last().iteration() < warm) {
            o.println("verdict: not enough samples after the warm-up to judge");
            return;
        }
        MemorySample base = series.baseline(warm);
        MemorySample last = series.last();
        o.printf(
                Locale.ROOT,
                "%-10s %12s %12s %12s %9s%n",
                "counter",
                "at " + base.iteration(),
                "at " + last.iteration(),
                "change",
                "change %");
        for (MemoryCounter c : MemoryCounter.values()) {
            long from = base.get(c);
            long to = last.get(c);
            String pct = from > 0 && to >= 0 ? String.format(Locale.ROOT, "%+8.2f%%", 100.0 * (to - from) / from) : "";
            o.printf(
                    Locale.ROOT,
                    "%-10s %s   %s   %s %9s%n",
                    c.label(),
                    MemorySeries.format(c, from),
                    MemorySeries.format(c, to),
                    from < 0 || to < 0 ? "       n/a" : signed(c, to - from),
                    pct);
        }
        double growth = series.growthPercent(MemoryCounter.RSS, warm);
        o.printf(Locale.ROOT, "max RSS after warm-up %.1f MiB%n", series.maxAfter(MemoryCounter.RSS, warm) / 1048576.0);
        o.printf(
                Locale.ROOT,
                "verdict: RSS %.1f MiB at frame %d -> %.1f MiB at frame %d: %+.2f%% (target < %.0f%%)" + " %s%n",
                base.rssBytes() / 1048576.0,
                base.iteration(),
                last.rssBytes() / 1048576.0,
                last.iteration(),
                growth,
                TARGET_PERCENT,
                growth < TARGET_PERCENT ? "PASS" : "FAIL");
        o.flush();
    }

    private static String signed(MemoryCounter c, long delta) {
        return c.isBytes()
                ? String.format(Locale.ROOT, "%+10.1f", delta / 1048576.0)
                : String.format(Locale.ROOT, "%+10d", delta);
    }
}
