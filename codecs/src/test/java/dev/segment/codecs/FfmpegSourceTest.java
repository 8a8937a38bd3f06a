package dev.segment.codecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.testing.Ffmpeg;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SystemTest
class FfmpegSourceTest {
    @TempDir
    static Path dir;

    static Path rotated;
    static Path portrait;
    static Path withAudio;
    static Path vfr;

    @BeforeAll
    static void makeClips() throws Exception {
        Path landscape = Ffmpeg.testClip(dir, "landscape.mp4", 768, 432, 10, 12);
        rotated = Ffmpeg.ffmpeg(
                dir.resolve("rotated.mp4"), "-i", landscape.toString(), "-c", "copy", "-metadata:s:v:0", "rotate=90");
        portrait = Ffmpeg.testClip(dir, "portrait.mp4", 432, 768, 10, 12);
        withAudio = Ffmpeg.ffmpeg(
                dir.resolve("audio.mp4"),
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=320x240:rate=25",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=44100",
                "-ac",
                "2",
                "-t",
                "2",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac");
        vfr = Ffmpeg.ffmpeg(
                dir.resolve("vfr.mkv"),
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=320x240:rate=30",
                "-frames:v",
                "60",
                "-vf",
                "setpts='(N+if(gte(N,20),15,0)+if(gte(N,40),N-40,0))/30/TB'",
                "-fps_mode",
                "passthrough",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast");
    }

    static List<Long> decodeAll(Path file, SourceOptions options, VideoFrame frame) throws Exception {
        List<Long> pts = new ArrayList<>();
        try (FfmpegSource source = new FfmpegSource(file.toString(), options)) {
            source.open();
            while (source.read(frame)) {
                pts.add(frame.ptsMicros());
            }
        }
        return pts;
    }

    @Test
    void decodesAsManyFramesAsFfprobeCountsOnRealClips() throws Exception {
        for (String name : List.of("intel_car-detection.mp4", "intel_bottle-detection.mp4")) {
            Path clip = Shared.video(name);
            VideoFrame frame = new VideoFrame(16, 16);
            List<Long> pts = decodeAll(clip, SourceOptions.forFile(), frame);
            assertEquals(Ffmpeg.countFrames(clip), pts.size(), name);
            for (int i = 1; i < pts.size(); i++) {
                assertTrue(pts.get(i) > pts.get(i - 1), name + ": pts not increasing at frame " + i);
            }
        }
    }

    @Test
    void reportsSizeRateCountAndCodecOfRealClip() throws Exception {
        Path clip = Shared.video("intel_car-detection.mp4");
        try (FfmpegSource source = new FfmpegSource(clip)) {
            VideoInfo info = source.open();
            assertEquals(768, info.width());
            assertEquals(432, info.height());
            assertEquals(12.5, info.frameRate(), 1e-6);
            assertEquals(Long.parseLong(Ffmpeg.stream(clip, "video").get("nb_frames")), info.frameCount());
            assertEquals("h264", info.codecName());
            assertEquals(clip.toAbsolutePath(), info.sourceFile());
            assertFalse(info.variableRate(), "a constant-rate clip");
            assertEquals(2, info.audioChannels());
            assertEquals(48000, info.sampleRate());
            VideoFrame frame = new VideoFrame(1, 1);
            assertTrue(source.read(frame));
            assertEquals(768 * 432 * 3, frame.rgb().remaining());
            assertEquals(0, frame.ptsMicros());
        }
    }

    @Test
    void decodedPixelsMatchTheFfmpegCommandLine() throws Exception {
        Path clip = Shared.video("intel_car-detection.mp4");
        VideoFrame frame = new VideoFrame(1, 1);
        try (FfmpegSource source = new FfmpegSource(clip)) {
            source.open();
            assertTrue(source.read(frame));
        }
        assertTrue(meanAbsDiff(frame.rgb(), Ffmpeg.firstFrameRgb(clip)) < 2.0);
    }

    @Test
    void rotationMetadataGivesUprightPortraitFrames() throws Exception {
        VideoFrame frame = new VideoFrame(1, 1);
        try (FfmpegSource source = new FfmpegSource(rotated)) {
            VideoInfo info = source.open();
            assertEquals(432, info.width());
            assertEquals(768, info.height());
            assertTrue(info.rotation() == 90 || info.rotation() == 270, "rotation " + info.rotation());
            assertTrue(source.read(frame));
        }
        assertEquals(432, frame.width());
        assertEquals(768, frame.height());
        byte[] expected = Ffmpeg.firstFrameRgb(rotated);
        assertEquals(expected.length, frame.rgb().remaining());
        assertTrue(meanAbsDiff(frame.rgb(), expected) < 2.0, "differs from ffmpeg's autorotated frame");
        ByteBuffer wrongWay = ByteBuffer.allocate(expected.length);
        dev.segment.codecs.internal.Rotation.rotate(frame.rgb(), 432, 768, 180, wrongWay);
        assertTrue(meanAbsDiff(wrongWay, expected) > 20, "the test clip must tell the two rotations apart");
    }

    @Test
    void portraitClipWithoutMetadataKeepsItsSize() throws Exception {
        try (FfmpegSource source = new FfmpegSource(portrait)) {
            VideoInfo info = source.open();
            assertEquals(432, info.width());
            assertEquals(768, info.height());
            assertEquals(0, info.rotation());
            assertEquals(12, info.frameCount());
        }
    }

    @Test
    void collectsAudioDecodedBetweenVideoFramesAsInterleavedShorts() throws Exception {
        long samples = 0;
        long maxAbs = 0;
        int frames = 0;
        try (FfmpegSource source = new FfmpegSource(withAudio)) {
            VideoInfo info = source.open();
            assertEquals(2, info.audioChannels());
            assertEquals(44100, info.sampleRate());
            VideoFrame frame = new VideoFrame(1, 1);
            while (source.read(frame)) {
                frames++;
                var a = frame.audio();
                samples += a.remaining();
                for (int i = 0; i < a.remaining(); i++) {
                    maxAbs = Math.max(maxAbs, Math.abs(a.get(i)));
                }
                if (a.remaining() > 0) {
                    assertEquals(2, frame.audioChannels());
                    assertEquals(44100, frame.sampleRate());
                }
            }
        }
        assertEquals(50, frames);
        double seconds = samples / 2.0 / 44100;
        assertEquals(2.0, seconds, 0.1, "audio duration");
        assertTrue(maxAbs > 1000, "sine should not be silent, peak " + maxAbs);
    }

    @Test
    void variableFrameRateKeepsTheRealTimestamps() throws Exception {
        List<Long> pts = decodeAll(vfr, SourceOptions.forFile(), new VideoFrame(1, 1));
        List<Double> expected = Ffmpeg.frameTimes(vfr);
        assertEquals(expected.size(), pts.size());
        for (int i = 0; i < pts.size(); i++) {
            assertEquals(expected.get(i) - expected.get(0), pts.get(i) / 1e6, 0.0015, "frame " + i);
        }
        assertTrue(pts.get(20) - pts.get(19) > 400_000, "the 0.5 s gap after frame 19 is kept");
    }

    @Test
    void startFrameDeliversExactlyThatFrame() throws Exception {
        Path clip = Shared.video("intel_car-detection.mp4");
        VideoFrame sequential = new VideoFrame(1, 1);
        try (FfmpegSource source = new FfmpegSource(clip)) {
            source.open();
            for (int i = 0; i <= 100; i++) {
                assertTrue(source.read(sequential));
            }
        }
        VideoFrame seeked = new VideoFrame(1, 1);
        int rest = 0;
        try (FfmpegSource source =
                new FfmpegSource(clip.toString(), SourceOptions.forFile().withStartFrame(100))) {
            VideoInfo info = source.open();
            assertEquals(377 - 100, info.frameCount());
            assertTrue(source.read(seeked));
            VideoFrame f = new VideoFrame(1, 1);
            while (source.read(f)) {
                rest++;
            }
        }
        assertEquals(sequential.ptsMicros(), seeked.ptsMicros());
        assertArrayEquals(bytes(sequential.rgb()), bytes(seeked.rgb()));
        assertEquals(377 - 101, rest);
    }

    @Test
    void missingFileIsNotFoundAndNamesThePath() {
        Path missing = dir.resolve("nope/missing.mp4");
        SourceException e = assertThrows(SourceException.class, () -> new FfmpegSource(missing).open());
        assertEquals(SourceException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("missing.mp4"), e.getMessage());
    }

    @Test
    void textFileNamedMp4IsNotVideo() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "this is not a video\n".repeat(50));
        SourceException e = assertThrows(SourceException.class, () -> new FfmpegSource(text).open());
        assertEquals(SourceException.Kind.NOT_VIDEO, e.kind());
        assertTrue(e.getMessage().contains("notes.mp4"), e.getMessage());
    }

    @Test
    void audioOnlyFileIsNotVideoAndSaysWhatItFound() throws Exception {
        Path audio = Ffmpeg.ffmpeg(
                dir.resolve("song.m4a"), "-f", "lavfi", "-i", "sine=frequency=440", "-t", "1", "-c:a", "aac");
        SourceException e = assertThrows(SourceException.class, () -> new FfmpegSource(audio).open());
        assertEquals(SourceException.Kind.NOT_VIDEO, e.kind());
        assertTrue(e.getMessage().contains("song.m4a") && e.getMessage().contains("audio only"), e.getMessage());
    }

    @Test
    void directoryIsNotVideo() {
        SourceException e = assertThrows(SourceException.class, () -> new FfmpegSource(dir).open());
        assertEquals(SourceException.Kind.NOT_VIDEO, e.kind());
    }

    @Test
    void closeIsIdempotentAndReadAfterCloseReturnsFalse() throws Exception {
        FfmpegSource source = new FfmpegSource(portrait);
        source.open();
        source.close();
        source.close();
        assertFalse(source.read(new VideoFrame(1, 1)));
        assertThrows(IllegalStateException.class, source::open);
    }

    static double meanAbsDiff(ByteBuffer a, byte[] b) {
        assertEquals(b.length, a.remaining());
        long sum = 0;
        for (int i = 0; i < b.length; i++) {
            sum += Math.abs((a.get(i) & 0xff) - (b[i] & 0xff));
        }
        return (double) sum / b.length;
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
