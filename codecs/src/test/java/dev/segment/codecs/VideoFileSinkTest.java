package dev.segment.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segment.codecs.support.EndlessWriter;
import dev.segment.codecs.support.TestFrame;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SystemTest
class VideoFileSinkTest {
    @TempDir
    Path dir;

    /** Decodes {@code in} and writes its input pictures (and audio) to {@code out}; returns frames written. */
    static long transcode(Path in, Path out, VideoSinkOptions options) throws Exception {
        VideoFrame frame = new VideoFrame(1, 1);
        TestFrame segmented = new TestFrame(frame);
        long n = 0;
        try (FfmpegSource source = new FfmpegSource(in);
                VideoFileSink sink = new VideoFileSink(out, options)) {
            sink.open(source.open());
            while (source.read(frame)) {
                sink.write(segmented.set(n++, null, null));
            }
        }
        return n;
    }

    static VideoSinkOptions input() {
        return VideoSinkOptions.defaults()
                .withContent(VideoSinkOptions.Content.INPUT)
                .withPreset("ultrafast");
    }

    @Test
    void roundTripKeepsSizeRateFrameCountAndAudio() throws Exception {
        Path in = Shared.video("intel_car-detection.mp4");
        for (String ext : List.of("mp4", "mkv")) {
            Path out = dir.resolve("car." + ext);
            long written = transcode(in, out, input());
            Map<String, String> video = Ffmpeg.stream(out, "video");
            assertEquals("768", video.get("width"), ext);
            assertEquals("432", video.get("height"), ext);
            assertEquals("h264", video.get("codec_name"), ext);
            assertEquals("yuv420p", video.get("pix_fmt"), ext);
            assertEquals("25/2", video.get("r_frame_rate"), ext);
            assertEquals(Ffmpeg.countFrames(in), written, ext);
            assertEquals(written, Ffmpeg.countFrames(out), ext);
            Map<String, String> audio = Ffmpeg.stream(out, "audio");
            assertEquals("aac", audio.get("codec_name"), ext);
            assertEquals("2", audio.get("channels"), ext);
            assertEquals("48000", audio.get("sample_rate"), ext);
        }
    }

    @Test
    void encodedPixelsStayCloseToTheInput() throws Exception {
        Path in = Shared.video("intel_car-detection.mp4");
        Path out = dir.resolve("close.mp4");
        transcode(in, out, input().withCrf(18).withPreset("veryfast"));
        byte[] original = Ffmpeg.firstFrameRgb(in);
        byte[] encoded = Ffmpeg.firstFrameRgb(out);
        assertEquals(original.length, encoded.length);
        long sum = 0;
        for (int i = 0; i < original.length; i++) {
            sum += Math.abs((original[i] & 0xff) - (encoded[i] & 0xff));
        }
        assertTrue(sum / (double) original.length < 4.0, "mean abs diff " + sum / (double) original.length);
    }

    @Test
    void fullHdPortraitRotatedAndTinyClipsKeepTheirSize() throws Exception {
        Path hd = Ffmpeg.testClip(dir, "hd.mp4", 1920, 1080, 25, 5);
        Path portrait = Ffmpeg.testClip(dir, "portrait.mp4", 432, 768, 25, 5);
        Path rotated = Ffmpeg.ffmpeg(
                dir.resolve("rotated.mp4"),
                "-i",
                Ffmpeg.testClip(dir, "land.mp4", 768, 432, 25, 5).toString(),
                "-c",
                "copy",
                "-metadata:s:v:0",
                "rotate=90");
        Path tiny = Ffmpeg.testClip(dir, "tiny.mp4", 64, 48, 25, 5);
        for (Path in : List.of(hd, portrait, rotated, tiny)) {
            Path out = dir.resolve("out-" + in.getFileName());
            assertEquals(5, transcode(in, out, input()));
            Map<String, String> v = Ffmpeg.stream(out, "video");
            VideoInfo info;
            try (FfmpegSource s = new FfmpegSource(in)) {
                info = s.open();
            }
            assertEquals(String.valueOf(info.width()), v.get("width"), in.toString());
            assertEquals(String.valueOf(info.height()), v.get("height"), in.toString());
            assertEquals(5, Ffmpeg.countFrames(out));
        }
    }

    @Test
    void oddFrameSizeIsPaddedToEven() throws Exception {
        int w = 65;
        int h = 49;
        VideoFrame input = new VideoFrame(w, h);
        TestFrame frame = new TestFrame(input);
        Path out = dir.resolve("odd.mp4");
        try (VideoFileSink sink = new VideoFileSink(out, input())) {
            sink.open(new VideoInfo(w, h, 25, 10, 0, 0, false, "odd"));
            assertEquals(66, sink.encodedWidth());
            assertEquals(50, sink.encodedHeight());
            for (int n = 0; n < 10; n++) {
                var rgb = input.resize(w, h);
                for (int i = 0; i < w * h * 3; i++) {
                    rgb.put(i, (byte) (i % 64 == 0 ? 255 : 128));
                }
                input.setPtsMicros(n * 40_000L);
                sink.write(frame.set(n, null, null));
            }
        }
        Map<String, String> v = Ffmpeg.stream(out, "video");
        assertEquals("66", v.get("width"));
        assertEquals("50", v.get("height"));
        assertEquals(10, Ffmpeg.countFrames(out));
    }

    @Test
    void variableFrameRateAndGapsSurvive() throws Exception {
        Path vfr = Ffmpeg.ffmpeg(
                dir.resolve("vfr.mkv"),
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=320x240:rate=30",
                "-frames:v",
                "60",
                "-vf",
                "setpts='(N+if(gte(N,20),15,0))/30/TB'",
                "-fps_mode",
                "passthrough",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast");
        Path out = dir.resolve("vfr.mp4");
        assertEquals(60, transcode(vfr, out, input()));
        List<Double> in = Ffmpeg.frameTimes(vfr);
        List<Double> got = Ffmpeg.frameTimes(out);
        assertEquals(in.size(), got.size());
        for (int i = 0; i < in.size(); i++) {
            assertEquals(in.get(i) - in.get(0), got.get(i) - got.get(0), 0.5 / 30 + 0.002, "frame " + i);
        }
    }

    @Test
    void killedWriterLeavesAReadableFile() throws Exception {
        for (String ext : List.of("mp4", "mkv")) {
            Path out = dir.resolve("killed." + ext);
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            EndlessWriter.class.getName(),
                            out.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                long frames = -1;
                while ((line = r.readLine()) != null && frames < 150) {
                    if (line.startsWith("frame ")) {
                        frames = Long.parseLong(line.substring(6));
                    }
                }
                assertTrue(frames >= 150, "child wrote only " + frames + " frames");
            } finally {
                p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no trailer
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
            assertEquals(137, p.exitValue(), "killed by SIGKILL");
            long readable = Ffmpeg.countFrames(out);
            assertTrue(readable >= 50, ext + ": ffprobe reads only " + readable + " frames");
        }
    }

    @Test
    void refusesOtherExtensionsWithAClearError() {
        SinkException e = assertThrows(
                SinkException.class,
                () -> new VideoFileSink(dir.resolve("out.avi")).open(new VideoInfo(64, 48, 25, 1, 0, 0, false, "t")));
        assertTrue(e.getMessage().contains(".avi") && e.getMessage().contains(".mp4"), e.getMessage());
    }

    @Test
    void refusesToOverwriteTheInput() throws Exception {
        Path in = Ffmpeg.testClip(dir, "in.mp4", 64, 48, 25, 3);
        VideoInfo info;
        try (FfmpegSource s = new FfmpegSource(in)) {
            info = s.open();
        }
        Path sameViaDots = dir.resolve("sub/../in.mp4");
        Files.createDirectories(dir.resolve("sub"));
        SinkException e = assertThrows(SinkException.class, () -> new VideoFileSink(sameViaDots).open(info));
        assertTrue(e.getMessage().contains("input"), e.getMessage());
        assertEquals(3, Ffmpeg.countFrames(in), "input untouched");
    }

    @Test
    void missingOutputDirectoriesAreMadeAsForImages() throws Exception {
        Path out = dir.resolve("no/such/dir/out.mp4");
        VideoFileSink sink = new VideoFileSink(out);
        sink.open(new VideoInfo(64, 48, 25, 1, 0, 0, false, "t"));
        sink.close();
        assertTrue(Files.isDirectory(out.getParent()), "the directories were made");
    }

    @Test
    void aNameThatIsNoVideoIsRefusedBeforeAnythingRuns() {
        SinkException e = assertThrows(SinkException.class, () -> VideoFileSink.checkName(dir.resolve("s.avi")));
        assertTrue(e.getMessage().contains("\".avi\"") && e.getMessage().contains(".mp4 or .mkv"), e.getMessage());
    }

    @Test
    void readOnlyOutputDirectoryIsNamed() throws Exception {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(ro), "running as root: permissions are not enforced");
            SinkException e = assertThrows(
                    SinkException.class,
                    () -> new VideoFileSink(ro.resolve("out.mp4"))
                            .open(new VideoInfo(64, 48, 25, 1, 0, 0, false, "t")));
            assertTrue(e.getMessage().contains("not writable"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void diskFullFailsWithTheCauseAndCloseDoesNotThrowAgain() throws Exception {
        Path devFull = Path.of("/dev/full");
        assumeTrue(Files.exists(devFull), "needs /dev/full");
        Path out = Files.createSymbolicLink(dir.resolve("full.mp4"), devFull);
        VideoFrame input = new VideoFrame(64, 48);
        TestFrame frame = new TestFrame(input);
        VideoFileSink sink = new VideoFileSink(out, input().withFragmentMillis(10));
        SinkException e = assertThrows(SinkException.class, () -> {
            sink.open(new VideoInfo(64, 48, 25, -1, 0, 0, false, "t"));
            for (int n = 0; n < 500; n++) {
                input.resize(64, 48);
                input.setPtsMicros(n * 40_000L);
                sink.write(frame.set(n, null, null));
            }
            sink.close();
        });
        assertTrue(e.getMessage().contains("full.mp4") && e.getMessage().contains("No space left"), e.getMessage());
        sink.close();
        sink.close();
    }
}
