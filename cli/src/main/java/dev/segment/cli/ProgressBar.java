package dev.segment.cli;

import dev.segment.codecs.VideoInfo;
import dev.segment.engine.FrameReport;
import dev.segment.engine.PipelineListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * One status line, redrawn in place at most 5 times a second: frames done (of total), fps, ETA. Only used when
 * stderr is a terminal; piped or redirected output stays quiet.
 */
final class ProgressBar implements PipelineListener {
    private static final long REDRAW_NANOS = 200_000_000L;
    private final PrintStream out;
    private final long startFrame;
    private final long maxFrames;
    private volatile long total;
    private long start = System.nanoTime();
    private long lastDraw;
    private volatile long done;

    /** Frames expected: the source's count less {@code startFrame}, capped by {@code maxFrames} (-1: no cap). */
    ProgressBar(PrintStream out, long startFrame, long maxFrames) {
        this.out = out;
        this.startFrame = startFrame;
        this.maxFrames = maxFrames;
    }

    @Override
    public void onStart(VideoInfo info) {
        long count = info.frameCount() > 0 ? Math.max(0, info.frameCount() - startFrame) : -1;
        total = maxFrames > 0 && (count <= 0 || maxFrames < count) ? maxFrames : count;
        start = System.nanoTime();
    }

    @Override
    public void onFrame(FrameReport report) {
        done = report.index() + 1;
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw(now);
        }
    }

    /** Clears the line so the summary prints on a clean one. */
    void finish() {
        draw(System.nanoTime());
        out.print('\n');
        out.flush();
    }

    private void draw(long now) {
        double secs = (now - start) / 1e9;
        double fps = secs > 0 ? done / secs : 0;
        StringBuilder line = new StringBuilder("\r");
        if (total > 0) {
            double f = Math.min(1.0, (double) done / total);
            int width = 30;
            int filled = (int) Math.round(f * width);
            line.append('[')
                    .append("#".repeat(filled))
                    .append(" ".repeat(width - filled))
                    .append("] ");
            line.append(String.format(Locale.ROOT, "%d/%d %3.0f%%", done, total, f * 100));
            if (fps > 0 && done < total) {
                line.append("  ETA ").append(Summary.duration((total - done) / fps));
            }
        } else {
            line.append(done).append(" frames");
        }
        line.append(String.format(Locale.ROOT, "  %.1f fps   ", fps));
        out.print(line);
        out.flush();
    }

    /** True when the user is watching a terminal (and has not asked for quiet). */
    static boolean wanted() {
        return System.console() != null && System.getenv("CI") == null;
    }
}
