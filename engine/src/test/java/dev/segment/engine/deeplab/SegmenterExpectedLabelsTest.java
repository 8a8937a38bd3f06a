package dev.segment.engine.deeplab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.testing.ModelTest;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The padded path reproduces what the DeepLab graph itself predicts (../shared/data/expected). */
@ModelTest
class SegmenterExpectedLabelsTest {

    private static DeepLabModel model;

    @BeforeAll
    static void load() throws ModelException {
        model = DeepLabModel.load(TestData.model());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @ParameterizedTest
    @CsvSource({
        "voc/JPEGImages/2007_000032.jpg, 2007_000032",
        "voc/JPEGImages/2007_000033.jpg, 2007_000033",
        "images/deeplab_image2_dog.jpg, deeplab_image2_dog",
        "images/deeplab_image3_person_horse.jpg, deeplab_image3_person_horse"
    })
    void paddedArgmaxMatchesTheGraphsOwnPredictions(String image, String expectedName) throws Exception {
        TestData.Frame frame = TestData.readRgb(TestData.image(image));
        byte[] expected = TestData.readLabels(
                TestData.image("expected/" + expectedName + ".dm05.png"), frame.width(), frame.height());
        ByteBuffer labels = ByteBuffer.allocateDirect(frame.width() * frame.height());
        FloatBuffer logits = ByteBuffer.allocateDirect(frame.width() * frame.height() * 21 * 4)
                .order(java.nio.ByteOrder.nativeOrder())
                .asFloatBuffer();
        try (Segmenter segmenter = model.segmenter(frame.width(), frame.height(), false)) {
            assertFalse(segmenter.unpadded());
            assertEquals(frame.width(), segmenter.inputWidth(), "images within the crop are not resized");
            segmenter.segment(frame.rgb(), logits, labels);
        }
        byte[] actual = TestData.bytes(labels);
        double agreement = TestData.agreement(actual, expected);
        System.out.printf(
                "%s: padded labels equal %s on %.4f%% of %d pixels (%d differ)%n",
                image, expectedName, 100 * agreement, actual.length, Math.round((1 - agreement) * actual.length));
        assertTrue(agreement >= 0.995, "agreement " + agreement);
        for (int i = 0; i < actual.length; i++) { // labels are the argmax of the logits written
            int best = 0;
            for (int c = 1; c < 21; c++) {
                if (logits.get(i * 21 + c) > logits.get(i * 21 + best)) {
                    best = c;
                }
            }
            assertEquals(best, actual[i], "pixel " + i);
        }
        if (expectedName.contains("person")) {
            assertPersonFound(expected, actual);
        }
    }

    /** Where the graph says person (15), the segmenter does too. */
    private static void assertPersonFound(byte[] expected, byte[] actual) {
        long expectedPerson = 0;
        long both = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == 15) {
                expectedPerson++;
                if (actual[i] == 15) {
                    both++;
                }
            }
        }
        System.out.printf("person pixels: %d expected, %d of them labelled person%n", expectedPerson, both);
        assertTrue(expectedPerson > 1000, "the image shows people");
        assertTrue(both >= 0.99 * expectedPerson, both + " of " + expectedPerson);
    }
}
