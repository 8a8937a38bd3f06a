package dev.segment.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segment.cli.support.Masks;
import dev.segment.cli.support.Segment;
import dev.segment.engine.deeplab.DeepLabModel;
import dev.segment.testing.Ffmpeg;
import dev.segment.testing.ModelTest;
import dev.segment.testing.Shared;
import dev.segment.testing.SystemTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Clips scaled or cropped from the real people video with the ffmpeg CLI: the output keeps the input's size. */
@ModelTest
@SystemTest
class ConvertFrameSizesTest {
    private static final int FRAMES = 5;

    @TempDir
    static Path dir;

    private static DeepLabModel model;

    @BeforeAll
    static void holdModel() throws Exception {
        model = Segment.holdModel();
    }

    @AfterAll
    static void release() {
        model.close();
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({
        "1920, 1080, scale=1920:1080",
        "768, 432, null",
        "432, 768, 'crop=242:432:262:0,scale=432:768'",
        "64, 48, scale=64:48",
    })
    void outputAndMasksHaveTheInputFrameSize(int width, int height, String filter) throws Exception {
        Path clip = dir.resolve("clip_" + width + "x" + height + ".mp4");
        String[] filters = filter.equals("null") ? new String[0] : new String[] {filter};
        Ffmpeg.cut(Shared.peopleVideo(), 80, FRAMES, clip, filters);
        Ffmpeg.Probe in = Ffmpeg.probe(clip);
        assertEquals(width, in.width());
        assertEquals(height, in.height());

        Path out = dir.resolve("out_" + width + "x" + height + ".mp4");
        Path masks = dir.resolve("masks_" + width + "x" + height);
        Segment.Result r = Segment.run(
                "convert",
                clip.toString(),
                out.toString(),
                "--model",
                Shared.model().toString(),
                "--masks",
                masks.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        Ffmpeg.Probe p = Ffmpeg.probe(out);
        assertEquals(width, p.width(), p::toString);
        assertEquals(height, p.height(), p::toString);
        assertEquals(FRAMES, p.frames(), p::toString);
        assertEquals(in.fps(), p.fps(), 0.01, p::toString);
        for (int i = 0; i < FRAMES; i++) {
            Masks.read(Masks.file(masks, i), width, height);
        }
    }
}
