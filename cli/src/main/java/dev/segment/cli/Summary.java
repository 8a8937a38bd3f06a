package dev.segment.cli;

import dev.segment.engine.FrameReport.Stage;
import dev.segment.engine.PipelineSummary;
import java.io.PrintStream;
import java.util.Locale;

/** The one-screen end-of-run report: frames, wall time, fps, and mean/p95 milliseconds per stage. */
final class Summary {
    private Summary() {}

    static void print(PrintStream out, PipelineSummary s, String output) {
        out.printf(
                Locale.ROOT,
                "%s: %s in %s (%.2f fps)%s%n",
                output,
                count(s.framesOut(), "frame"),
                duration(s.wallNanos() / 1e9),
                s.framesPerSecond(),
                s.framesDropped() > 0 ? ", " + s.framesDropped() + " dropped" : "");
        if (s.keyframes() < s.framesOut()) {
            out.printf(
                    Locale.ROOT,
                    "  the model ran %s (%.1f%% of the frames), its scores carried to the others%n",
                    count(s.keyframes(), "time"),
                    s.keyframePercent());
        }
        if (s.cpuMillisPerFrame() >= 0) {
            out.printf(Locale.ROOT, "  CPU %.1f ms a frame (the whole process)%n", s.cpuMillisPerFrame());
        }
        out.printf(Locale.ROOT, "  %-8s %10s %10s %10s%n", "stage", "mean ms", "p95 ms", "cpu ms");
        for (Stage stage : Stage.values()) {
            PipelineSummary.StageStats st = s.stages().get(stage);
            if (st == null || st.samples() == 0) {
                continue;
            }
            out.printf(
                    Locale.ROOT,
                    "  %-8s %10.1f %10.1f %10.1f%n",
                    stage.label(),
                    st.meanMillis(),
                    st.p95Millis(),
                    st.cpuMeanMillis());
        }
        out.flush();
    }

    /** "1 frame", "2 frames". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
