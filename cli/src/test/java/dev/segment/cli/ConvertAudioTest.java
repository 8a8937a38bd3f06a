package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.cli.support.Segment;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real clip given an AAC track (a sine from lavfi): the audio survives (as many AAC packets as the input, give or
 * take the encoder's priming), the container follows the extension.
 */
@ModelTest
@SystemTest
class ConvertAudioTest {
    private static final int FRAMES = 15;

    @TempDir
    static Path dir;

    private static DeepLabModel model;
    private static Path clip;

    @BeforeAll
    static void makeClip() throws Exception {
        model = Segment.holdModel();
        Path video = Ffmpeg.cut(Shared.peopleVideo(), 80, FRAMES, dir.resolve("video.mp4"));
        clip = Ffmpeg.ffmpeg(
                dir.resolve("with-audio.mp4"),
                "-i",
                video.toString(),
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000",
                "-map",
                "0:v",
                "-map",
                "1:a",
                "-c:v",
                "copy",
                "-c:a",
                "aac",
                "-shortest");
        assertTrue(Ffmpeg.probe(clip).hasAudio());
    }

    @AfterAll
    static void release() {
        model.close();
    }

    @Test
    void mkvOutputByExtensionKeepsTheAacTrackAndEveryFrame() throws Exception {
        Path out = dir.resolve("out.mkv");
        assertConverted(out, "matroska");
    }

    @Test
    void mp4OutputKeepsTheAacTrackAndEveryFrame() throws Exception {
        Path out = dir.resolve("out.mp4");
        assertConverted(out, "mp4");
    }

    private static void assertConverted(Path out, String format) throws Exception {
        Segment.Result r = Segment.run(
                "convert",
                clip.toString(),
                out.toString(),
                "--model",
                Shared.model().toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        Ffmpeg.Probe in = Ffmpeg.probe(clip);
        Ffmpeg.Probe p = Ffmpeg.probe(out);
        assertTrue(p.format().contains(format), p::toString);
        assertEquals("h264", p.videoCodec(), p::toString);
        assertEquals("aac", p.audioCodec(), p::toString);
        assertEquals(FRAMES, p.frames(), p::toString);
        assertEquals(in.audioPackets(), p.audioPackets(), 2, "AAC packets (1024 samples each) " + in + " vs " + p);
    }
}
