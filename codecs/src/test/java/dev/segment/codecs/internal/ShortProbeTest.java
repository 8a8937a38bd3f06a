package dev.segment.codecs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.FfmpegSource;
import dev.segment.codecs.SourceOptions;
import dev.segment.codecs.VideoFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.SystemTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live sources probe for half a second only. A stream that joins mid-GOP and carries its parameter sets in-band (at
 * its next keyframe, 3 s away here) has no frame size after such a probe: the opener probes on instead of failing.
 */
@SystemTest
class ShortProbeTest {
    @Test
    void aStreamWithoutParameterSetsInItsFirstHalfSecondStillOpensWithItsSize(@TempDir Path dir) throws Exception {
        Path whole = Ffmpeg.ffmpeg(
                dir.resolve("gop.ts"),
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=320x240:rate=25",
                "-t",
                "10",
                "-c:v",
                "libx264",
                "-g",
                "100",
                "-keyint_min",
                "100",
                "-sc_threshold",
                "0",
                "-bf",
                "0",
                "-f",
                "mpegts");
        byte[] ts = Files.readAllBytes(whole);
        int skip = ts.length / 10 / 188 * 188; // about 1 s in, on a transport packet boundary: 3 s before a keyframe
        Path late = dir.resolve("late.ts");
        Files.write(late, Arrays.copyOfRange(ts, skip, ts.length));

        SourceOptions shortProbe = SourceOptions.forFile().withOption("analyzeduration", "500000");
        try (FfmpegSource source = new FfmpegSource(late.toString(), shortProbe)) {
            VideoInfo info = source.open();
            assertEquals(320, info.width());
            assertEquals(240, info.height());
            VideoFrame frame = new VideoFrame(1, 1);
            assertTrue(source.read(frame), "frames follow once the decoder has its parameter sets");
            assertEquals(320, frame.width());
        }
    }
}
