package dev.segment.engine.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.codecs.FfmpegSource;
import dev.segment.codecs.SourceOptions;
import dev.segment.codecs.VideoFrame;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A looping source opens and closes its decoder once per play, forever: FFmpeg's format and codec contexts, the
 * scaler, packets and frames must all be freed by close(). None of them is counted by JavaCPP, so only the RSS shows
 * a leak; opening a tiny clip hundreds of times makes a per-open leak of even a few KiB stand out of the noise.
 */
@SystemTest
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SourceReopenLeakTest {
    private static final int OPENS = 400;

    @TempDir
    static Path dir;

    static Path clip;

    @BeforeAll
    static void makeClip() throws IOException, InterruptedException {
        clip = dir.resolve("car-3.mp4");
        Path video = Shared.video("intel_car-detection.mp4");
        Ffmpeg.ffmpeg(
                clip,
                "-i",
                video.toString(),
                "-vf",
                "scale=160:90",
                "-frames:v",
                "3",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p");
    }

    @Test
    void shouldFreeEverythingADecoderOpenedWhenItIsClosed() throws Exception {
        VideoFrame frame = new VideoFrame(160, 90);
        MemorySeries series = new NativeMemoryProbe().measure(OPENS, 50, i -> {
            try (FfmpegSource source = new FfmpegSource(clip.toString(), SourceOptions.forFile())) {
                source.open();
                int n = 0;
                while (source.read(frame)) {
                    n++;
                }
                assertEquals(3, n);
            }
        });
        System.out.print(series.table("opens"));
        long perOpen = series.growth(MemoryCounter.RSS, 100) / (OPENS - 100);
        System.out.println("RSS growth per open after 100 opens: " + perOpen + " bytes");
        List<String> v = LeakCheck.afterWarmup(100)
                // 300 opens after the warm-up: a 16 KiB leak per open (an AVFormatContext with its probe buffers,
                // a decoder, a scaler are each bigger) adds 4.7 MiB; malloc's own noise stays below 3 MiB here
                .allow(MemoryCounter.RSS, 3L << 20)
                .allow(MemoryCounter.JAVACPP_BYTES, 64 * 1024)
                .allow(MemoryCounter.JAVACPP_POINTERS, 16)
                .allow(MemoryCounter.DIRECT_BYTES, 0)
                .violations(series);
        assertTrue(v.isEmpty(), v + "\n" + series.table("opens"));
    }
}
