package dev.segment.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.FfmpegSource;
import dev.segment.codecs.FrameSink;
import dev.segment.codecs.OverlayRenderer;
import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.SourceOptions;
import dev.segment.codecs.VideoInfo;
import dev.segment.config.SegmentConfig;
import dev.segment.engine.PipelineSummary;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The overlay shows the segmentation on real frames: the person on the people clip (VOC pink on beige clothes) and the
 * car on the car park clip (VOC grey on grey cars and asphalt), both still cameras, and the same classes on two DAVIS
 * clips whose camera moves. For every pixel the model labels with that class, the
 * RGB distance between the input frame and the overlay is measured; inside a segment the default look must move
 * nearly every pixel by {@link OverlayRenderer#MIN_FILL_DISTANCE}, and its boundary must move more. The plain blend's
 * figures are printed beside, as the measurement the outlined look was chosen against.
 */
@ModelTest
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OverlayVisibilityTest {
    private static final Path MODEL = Shared.model();
    private static final int CAR = 7;
    private static final int PERSON = 15;
    private static DeepLabModel model;

    @BeforeAll
    static void load() throws Exception {
        model = DeepLabModel.load(MODEL);
    }

    @AfterAll
    static void release() {
        model.close();
    }

    @Test
    void personOnThePeopleClipShows() throws Exception {
        check("videos/intel_one-by-one-person-detection.mp4", 150, 12, PERSON);
    }

    @Test
    void carOnTheCarParkClipShows() throws Exception {
        check("videos/intel_car-detection.mp4", 56, 50, CAR);
    }

    /** A moving camera: the car followed round a roundabout, grey on grey asphalt, parked cars sliding by. */
    @Test
    void carOnAPanningCameraShows() throws Exception {
        check("davis/car-roundabout/video.mjpeg.mkv", 0, 30, CAR);
    }

    /** A moving camera: a dancer in dark and light clothes before a crowd. */
    @Test
    void personOnAPanningCameraShows() throws Exception {
        check("davis/dance-twirl/video.mjpeg.mkv", 0, 30, PERSON);
    }

    private static void check(String clip, int start, int frames, int cls) throws Exception {
        Distances outlined = run(clip, start, frames, cls, "outline");
        Distances plain = run(clip, start, frames, cls, "blend");
        System.out.printf(Locale.ROOT, "%s class %d: outline %s; blend %s%n", clip, cls, outlined, plain);
        assertTrue(
                outlined.interior.length > 500,
                clip + ": the model labels class " + cls + " on " + outlined.interior.length + " interior pixels");
        double minimum = OverlayRenderer.MIN_FILL_DISTANCE - 1.5; // rounding to whole RGB steps
        assertTrue(
                outlined.shareBelow(minimum) <= 0.01,
                clip + ": inside the segment at most 1% of the pixels move" + " less than " + minimum + ": "
                        + outlined);
        assertTrue(
                outlined.boundaryMedian() > outlined.interiorMedian() + 10,
                clip + ": the boundary moves more than" + " the inside: " + outlined);
        assertTrue(
                plain.shareBelow(minimum) > outlined.shareBelow(minimum),
                clip + ": the plain blend leaves more" + " faint pixels: " + plain + " against " + outlined);
    }

    private static Distances run(String clip, int start, int frames, int cls, String style) throws Exception {
        SegmentConfig config = SegmentConfig.defaults()
                .withOverride("overlay.style", style, "test")
                .withOverride("overlay.legend", "false", "test");
        Distances sink = new Distances(cls);
        FfmpegSource source = new FfmpegSource(
                Shared.dir().resolve("data/" + clip).toString(),
                SourceOptions.forFile().withStartFrame(start));
        PipelineSummary s = Pipelines.builder(config, model, source, List.of(sink))
                .maxFrames(frames)
                .start()
                .await();
        assertNull(s.failure());
        return sink.finish();
    }

    /** Per pixel of one class, the input-to-overlay RGB distance, inside the segment and on its boundary. */
    private static final class Distances implements FrameSink {
        private final int cls;
        private double[] interior = new double[0];
        private double[] boundary = new double[0];
        private int ni;
        private int nb;

        Distances(int cls) {
            this.cls = cls;
        }

        @Override
        public void open(VideoInfo info) {}

        @Override
        public void write(SegmentedFrame f) {
            int w = f.width();
            int h = f.height();
            ByteBuffer labels = f.labels();
            ByteBuffer in = f.input().rgb();
            ByteBuffer out = f.overlay();
            int band = OverlayRenderer.contourWidth(h) + 2;
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    int p = y * w + x;
                    if (labels.get(p) != cls) {
                        continue;
                    }
                    double d = 0;
                    for (int ch = 0; ch < 3; ch++) {
                        double v = (in.get(p * 3 + ch) & 0xff) - (out.get(p * 3 + ch) & 0xff);
                        d += v * v;
                    }
                    d = Math.sqrt(d);
                    if (differs(labels, w, h, x, y, 1)) {
                        boundary = add(boundary, nb++, d);
                    } else if (!differs(labels, w, h, x, y, band)) {
                        interior = add(interior, ni++, d);
                    }
                }
            }
        }

        private static boolean differs(ByteBuffer labels, int w, int h, int x, int y, int r) {
            int l = labels.get(y * w + x);
            for (int k = 1; k <= r; k++) {
                if (x - k < 0
                        || x + k >= w
                        || y - k < 0
                        || y + k >= h
                        || labels.get(y * w + x - k) != l
                        || labels.get(y * w + x + k) != l
                        || labels.get((y - k) * w + x) != l
                        || labels.get((y + k) * w + x) != l) {
                    return true;
                }
            }
            return false;
        }

        private static double[] add(double[] a, int n, double v) {
            double[] b = n < a.length ? a : Arrays.copyOf(a, Math.max(1024, a.length * 2));
            b[n] = v;
            return b;
        }

        Distances finish() {
            interior = Arrays.copyOf(interior, ni);
            boundary = Arrays.copyOf(boundary, nb);
            Arrays.sort(interior);
            Arrays.sort(boundary);
            return this;
        }

        double shareBelow(double v) {
            int n = 0;
            while (n < interior.length && interior[n] < v) {
                n++;
            }
            return interior.length == 0 ? 1 : (double) n / interior.length;
        }

        double interiorMedian() {
            return interior.length == 0 ? 0 : interior[interior.length / 2];
        }

        double boundaryMedian() {
            return boundary.length == 0 ? 0 : boundary[boundary.length / 2];
        }

        @Override
        public void close() {}

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "inside %d px: p20 %.1f median %.1f, %.1f%% under %.0f; boundary %d px:" + " median %.1f",
                    interior.length,
                    interior.length == 0 ? 0 : interior[interior.length / 5],
                    interiorMedian(),
                    100 * shareBelow(OverlayRenderer.MIN_FILL_DISTANCE - 1.5),
                    OverlayRenderer.MIN_FILL_DISTANCE,
                    boundary.length,
                    boundaryMedian());
        }
    }
}
