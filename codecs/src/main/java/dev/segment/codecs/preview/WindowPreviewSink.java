package dev.segment.codecs.preview;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.Redact;
import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.VideoInfo;
import dev.segment.codecs.VocPalette;
import java.awt.GraphicsEnvironment;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import javax.swing.JFrame;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;

/**
 * A desktop window showing the overlay, a legend of the classes present and the current fps (plain Swing). Frames
 * are converted on the pipeline's thread into one of two alternating images, so painting never blocks
 * {@link #write}; at most {@code maxFps} frames a second are shown. Closing the window runs the given callback (the
 * {@code live} command stops the pipeline then).
 */
public final class WindowPreviewSink implements FrameSink {
    private final long minIntervalNanos;
    private final Runnable onWindowClosed;
    private final RgbImages[] images = {new RgbImages(), new RgbImages()};
    private final ClassCounter counter = new ClassCounter(VocPalette.CLASS_COUNT, PreviewFigures.IN_VIEW);
    private JFrame window;
    private PreviewPanel panel;
    private int next;
    private long lastShown;
    private long lastWrite;
    private double smoothedInterval;
    private volatile boolean closed;

    /**
     * @param maxFps         most frames per second painted, 1..120
     * @param onWindowClosed run (on the Swing thread) when the user closes the window; may be null
     */
    public WindowPreviewSink(int maxFps, Runnable onWindowClosed) {
        if (maxFps < 1 || maxFps > 120) {
            throw new IllegalArgumentException("maxFps must be 1..120, got " + maxFps);
        }
        this.minIntervalNanos = 1_000_000_000L / maxFps;
        this.onWindowClosed = onWindowClosed;
    }

    @Override
    public void open(VideoInfo info) throws IOException {
        if (GraphicsEnvironment.isHeadless()) {
            throw new IOException("no display for the preview window (DISPLAY is not set or java.awt.headless=true):"
                    + " use the browser preview (--http-preview PORT) instead");
        }
        String title = "segment - " + Redact.redact(info.description());
        onSwing(() -> {
            panel = new PreviewPanel(info.width(), info.height());
            window = new JFrame(title);
            window.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
            window.addWindowListener(new WindowAdapter() {
                @Override
                public void windowClosed(WindowEvent e) {
                    if (!closed && onWindowClosed != null) {
                        onWindowClosed.run();
                    }
                }
            });
            window.setContentPane(panel);
            window.pack();
            window.setLocation(0, 0);
            window.setVisible(true);
        });
    }

    @Override
    public void write(SegmentedFrame frame) {
        long now = System.nanoTime();
        if (lastWrite != 0) {
            double interval = now - lastWrite;
            smoothedInterval =
                    smoothedInterval == 0 ? interval : smoothedInterval + 0.1 * (interval - smoothedInterval);
        }
        lastWrite = now;
        if (closed || now - lastShown < minIntervalNanos) {
            return;
        }
        lastShown = now;
        RgbImages target = images[next];
        next ^= 1;
        BufferedImage img;
        // The panel may be painting the other image; this one was handed over two frames ago and is free again
        // once the event thread is done with it, which the image's monitor guarantees.
        BufferedImage previous = target.current();
        if (previous != null) {
            synchronized (previous) {
                img = target.toImage(frame.overlay(), frame.width(), frame.height());
            }
        } else {
            img = target.toImage(frame.overlay(), frame.width(), frame.height());
        }
        int[] present = counter.present(frame.labels(), frame.width() * frame.height());
        panel.show(img, present, smoothedInterval > 0 ? 1e9 / smoothedInterval : 0);
    }

    /** True once the window was closed by the user or by {@link #close()}. */
    public boolean isClosed() {
        return closed || (window != null && !window.isDisplayable());
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (window != null) {
            onSwing(window::dispose);
        }
    }

    private static void onSwing(Runnable r) throws IOException {
        if (SwingUtilities.isEventDispatchThread()) {
            r.run();
            return;
        }
        try {
            SwingUtilities.invokeAndWait(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while talking to the preview window", e);
        } catch (InvocationTargetException e) {
            throw new IOException("preview window failed: " + e.getCause(), e.getCause());
        }
    }
}
