package dev.segment.engine.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.config.Backpressure;
import dev.segment.engine.FrameReport;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.PipelineListener;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.ScoreGrid;
import dev.segment.engine.support.ConstantSegmenter;
import dev.segment.engine.support.RecordingSink;
import dev.segment.engine.support.SyntheticSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelineTest {

    @Test
    void shouldWriteEveryFrameInOrderWhenTheSourceIsAFileAndThePipelineIsSlower() throws Exception {
        SyntheticSource source = new SyntheticSource(32, 24, 300, false, 0);
        RecordingSink sink = new RecordingSink();
        PipelineSummary s = Pipeline.builder()
                .source(source)
                .sink(sink)
                .ringSize(4)
                .segmenter((w, h) -> new ConstantSegmenter(15, 1))
                .start()
                .await();

        assertNull(s.failure());
        assertEquals(300, s.framesIn());
        assertEquals(300, s.framesOut());
        assertEquals(0, s.framesDropped());
        assertEquals(LongStream.range(0, 300).boxed().toList(), sink.indices);
        for (int i = 0; i < 300; i++) {
            assertEquals(i & 0xff, sink.pixelNumbers.get(i), "frame " + i + " carries another frame's pixels");
        }
        assertEquals(1, sink.closes);
        assertEquals(300, s.stages().get(FrameReport.Stage.INFER).samples());
    }

    @Test
    void shouldDropAtTheSourceAndKeepLatencyBoundedWhenALiveSourceOutpacesThePipeline() throws Exception {
        RecordingSink sink = new RecordingSink();
        List<Long> dropping = new ArrayList<>();
        PipelineSummary s = runLive(Backpressure.AUTO, sink, dropping);
        List<Long> blocking = new ArrayList<>();
        PipelineSummary queued = runLive(Backpressure.BLOCK, new RecordingSink(), blocking);

        assertNull(s.failure());
        assertTrue(s.framesDropped() > 0, "a 100 fps source into a 30 ms stage must drop");
        assertEquals(s.framesIn(), s.framesOut() + s.framesDropped(), "every frame is either written or counted");
        assertEquals(LongStream.range(0, s.framesOut()).boxed().toList(), sink.indices, "output numbering has no gaps");
        assertEquals(0, queued.framesDropped(), "the blocking policy never drops");
        // Dropping keeps at most one frame per stage + 1 in flight; blocking fills the 16-slot ring. Compared in one
        // run, so machine load slows both alike.
        long dropMedian = median(dropping);
        long blockMedian = median(blocking);
        assertTrue(
                dropMedian * 2 < blockMedian,
                "median latency when dropping " + dropMedian / 1e6 + " ms, when queueing " + blockMedian / 1e6 + " ms");
    }

    @Test
    void shouldStartInferenceOnTheNewestFrameOfALiveSourceAndKeepEveryAudioSample() throws Exception {
        // A 100 fps camera into a 30 ms model: three frames arrive during each inference. The frame inference starts
        // on must be the newest the source has decoded (before, the frame admitted while the previous one ran waited
        // for it and was three frames old by then).
        SyntheticSource source = new SyntheticSource(32, 24, 200, true, 100).withAudio();
        RecordingSink sink = new RecordingSink();
        List<Integer> lag = new ArrayList<>();
        PipelineSummary s = Pipeline.builder()
                .source(source)
                .sink(sink)
                .ringSize(16)
                .segmenter((w, h) -> new FrameSegmenter() {
                    private final ConstantSegmenter model = new ConstantSegmenter(15, 30);

                    @Override
                    public void segment(dev.segment.codecs.VideoFrame frame, ScoreGrid out) throws Exception {
                        int newest = source.produced() - 1;
                        lag.add(newest - SyntheticSource.frameNumberOf(frame.rgb()));
                        model.segment(frame, out);
                    }

                    @Override
                    public void close() {}
                })
                .start()
                .await();

        assertNull(s.failure());
        assertTrue(s.framesDropped() > 0, "a 100 fps source into a 30 ms stage must drop");
        assertEquals(s.framesIn(), s.framesOut() + s.framesDropped(), "every frame is either written or counted");
        assertEquals(LongStream.range(0, s.framesOut()).boxed().toList(), sink.indices, "output numbering has no gaps");
        List<Integer> sorted = new ArrayList<>(lag);
        Collections.sort(sorted);
        System.out.printf(
                "live source, frames between the newest and the one inferred: median %d, max %d%n",
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
        assertTrue(
                sorted.get(sorted.size() / 2) <= 1,
                "frames between the newest and the one inferred, sorted: " + sorted);
        // The dropped frames' audio is not dropped: every sample of every frame reaches the sink, in order.
        assertEquals(200 * SyntheticSource.AUDIO_PER_FRAME, sink.audio.size());
        for (int i = 0; i < sink.audio.size(); i++) {
            assertEquals((short) (i / SyntheticSource.AUDIO_PER_FRAME), sink.audio.get(i), "audio sample " + i);
        }
    }

    private static PipelineSummary runLive(Backpressure policy, RecordingSink sink, List<Long> latencies)
            throws Exception {
        SyntheticSource source = new SyntheticSource(32, 24, 120, true, 100);
        return Pipeline.builder()
                .source(source)
                .sink(sink)
                .ringSize(16)
                .backpressure(policy)
                .segmenter((w, h) -> new ConstantSegmenter(15, 30))
                .listener(new PipelineListener() {
                    @Override
                    public void onFrame(FrameReport r) {
                        synchronized (latencies) {
                            latencies.add(r.latencyNanos());
                        }
                    }
                })
                .start()
                .await();
    }

    private static long median(List<Long> values) {
        synchronized (values) {
            List<Long> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            return sorted.get(sorted.size() / 2);
        }
    }

    @Test
    void shouldNotBurnACoreInADownstreamStageWhileAnUpstreamStageWorks() throws Exception {
        // Inference takes 20 ms a frame; the output stage has almost nothing to do and must sleep meanwhile (a
        // spinning wait would use its core for the whole run, and on 2 cores slow the real stages down).
        SyntheticSource source = new SyntheticSource(32, 24, 60, false, 0);
        long[] outputCpu = new long[1];
        long start = System.nanoTime();
        PipelineSummary s = Pipeline.builder()
                .source(source)
                .sink(new RecordingSink())
                .segmenter((w, h) -> new ConstantSegmenter(15, 20))
                .listener(new PipelineListener() {
                    @Override
                    public void onFrame(FrameReport r) {
                        outputCpu[0] = java.lang.management.ManagementFactory.getThreadMXBean()
                                .getCurrentThreadCpuTime();
                    }
                })
                .start()
                .await();
        long wall = System.nanoTime() - start;
        assertNull(s.failure());
        assertEquals(60, s.framesOut());
        assertTrue(
                outputCpu[0] < wall / 4,
                "output stage CPU " + outputCpu[0] / 1e6 + " ms in " + wall / 1e6 + " ms of wall time");
    }

    @Test
    void shouldFinalizeSinksAndReportTheErrorWhenASinkFailsMidRun() throws Exception {
        SyntheticSource source = new SyntheticSource(16, 16, 1000, false, 0);
        RecordingSink failing = new RecordingSink(5);
        RecordingSink other = new RecordingSink();
        PipelineSummary s = Pipeline.builder()
                .source(source)
                .sink(failing)
                .sink(other)
                .segmenter((w, h) -> new ConstantSegmenter(0, 0))
                .start()
                .await();

        assertInstanceOf(IOException.class, s.failure());
        assertEquals(5, failing.indices.size(), "frames before the failure were written");
        assertEquals(1, failing.closes);
        assertEquals(1, other.closes);
        assertTrue(source.closeCalls >= 1);
        assertTrue(s.framesIn() < 1000, "the source stops after a failure");
    }

    @Test
    void shouldWriteFramesAlreadyInThePipelineAndFinalizeWhenStopped() throws Exception {
        SyntheticSource source = new SyntheticSource(16, 16, 100_000, false, 0);
        RecordingSink sink = new RecordingSink();
        Pipeline p = Pipeline.builder()
                .source(source)
                .sink(sink)
                .segmenter((w, h) -> new ConstantSegmenter(0, 2))
                .start();
        await("20 frames written").atMost(Duration.ofSeconds(30)).until(() -> p.framesWritten() >= 20);
        p.stop();
        PipelineSummary s = p.await(30, TimeUnit.SECONDS);
        p.close();

        assertTrue(s.stopped());
        assertNull(s.failure());
        assertEquals(s.framesIn(), s.framesOut(), "a stop loses no decoded frame");
        assertEquals(1, sink.closes);
        assertTrue(s.framesOut() < 100_000);
    }

    @Test
    void shouldCloseWhatItOpenedWhenASinkCannotOpen() {
        SyntheticSource source = new SyntheticSource(16, 16, 10, false, 0);
        RecordingSink first = new RecordingSink();
        FrameSink broken = new FrameSink() {
            @Override
            public void open(VideoInfo info) throws IOException {
                throw new IOException("cannot write /nonexistent/out.mp4");
            }

            @Override
            public void write(SegmentedFrame frame) {}

            @Override
            public void close() {}
        };
        IOException e = assertThrows(
                IOException.class,
                () -> Pipeline.builder()
                        .source(source)
                        .sink(first)
                        .sink(broken)
                        .segmenter((w, h) -> new ConstantSegmenter(0, 0))
                        .start());
        assertTrue(e.getMessage().contains("/nonexistent/out.mp4"));
        assertEquals(1, first.closes);
        assertEquals(1, source.closeCalls);
    }

    @Test
    void shouldLabelEveryPixelWithTheModelsArgmaxWhenNoCrfRuns() throws Exception {
        SyntheticSource source = new SyntheticSource(40, 30, 3, false, 0);
        List<Integer> distinct = Collections.synchronizedList(new ArrayList<>());
        FrameSink labelsCheck = new RecordingSink() {};
        PipelineSummary s = Pipeline.builder()
                .source(source)
                .sink(labelsCheck)
                .segmenter((w, h) -> new ConstantSegmenter(7, 0))
                .listener(new PipelineListener() {
                    @Override
                    public void onFrame(FrameReport r) {
                        distinct.add((int) r.classPixels()[7]);
                    }
                })
                .start()
                .await();
        assertNull(s.failure());
        assertEquals(List.of(1200, 1200, 1200), distinct);
        assertFalse(distinct.isEmpty());
    }

    @Test
    void shouldGiveLargeFramesFewerSlotsInsteadOfRunningOutOfMemory() {
        Pipeline.Builder b = Pipeline.builder().ringSize(16).ringMemoryBudget(1L << 30);
        assertEquals(16, b.ringSizeFor(1920, 1080), "1080p: 16 x 14.5 MB fits the 1 GiB budget");
        assertEquals(4, b.ringSizeFor(7680, 4320), "8K: 232 MB a slot, 4 fit");
        assertEquals(2, b.ringSizeFor(30000, 20000), "never fewer than 2 slots");
        assertEquals(8, b.ringMemoryBudget(120L << 20).ringSizeFor(1920, 1080));
    }
}
