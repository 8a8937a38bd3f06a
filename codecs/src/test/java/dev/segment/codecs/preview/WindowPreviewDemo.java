package dev.segment.codecs.preview;

import dev.segment.codecs.VideoInfo;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/**
 * Run in a child JVM by {@link WindowPreviewSinkTest} with DISPLAY set (AWT reads it once per JVM): shows test frames
 * in the preview window, then saves a screenshot of the screen's top-left corner to {@code args[0]}.
 */
public final class WindowPreviewDemo {
    private WindowPreviewDemo() {}

    public static void main(String[] args) throws Exception {
        VideoInfo info = new VideoInfo(320, 240, 25, -1, 0, 0, true, "rtsp://***@cam/live");
        try (WindowPreviewSink sink = new WindowPreviewSink(30, null)) {
            sink.open(info);
            TestFrame frame = new TestFrame(320, 240, 15);
            for (int i = 0; i < 40; i++) {
                sink.write(frame.at(i, i * 40_000L));
                Thread.sleep(40);
            }
            Thread.sleep(500);
            Robot robot = new Robot();
            robot.waitForIdle();
            BufferedImage shot = robot.createScreenCapture(new Rectangle(0, 0, 320 + PreviewPanel.LEGEND_WIDTH, 240));
            ImageIO.write(shot, "png", new File(args[0]));
        }
        System.out.println("SHOT-DONE");
    }
}
