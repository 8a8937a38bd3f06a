package dev.segment.codecs.internal;

import java.time.Duration;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * FFmpeg's interrupt callback for one input: blocking I/O returns {@code AVERROR_EXIT} once {@link #stop()} was
 * called (from any thread) or the current deadline passed. The state lives in native memory handed to FFmpeg as
 * the callback's opaque pointer, so one stateless callback serves every input (JavaCPP has few callback slots).
 */
public final class Interrupter implements AutoCloseable {
    private static final Callback CALLBACK = new Callback();

    /** [0] = stop requested, [1] = deadline in System.nanoTime() units or 0 for none. */
    private final LongPointer state = new LongPointer(2);

    public Interrupter() {
        state.put(0, 0L).put(1, 0L);
    }

    public void install(AVFormatContext context) {
        context.interrupt_callback().callback(CALLBACK).opaque(state);
    }

    /** Makes pending and future blocking calls of this input fail fast. */
    public void stop() {
        if (!state.isNull()) {
            state.put(0, 1L);
        }
    }

    /** Starts a deadline {@code timeout} from now; {@link Duration#ZERO} removes it. */
    public void deadline(Duration timeout) {
        if (state.isNull()) {
            return;
        }
        state.put(1, timeout.isZero() ? 0L : (System.nanoTime() + timeout.toNanos()) | 1L);
    }

    public boolean stopped() {
        return state.isNull() || state.get(0) != 0;
    }

    public boolean timedOut() {
        long deadline = state.isNull() ? 0 : state.get(1);
        return deadline != 0 && System.nanoTime() - deadline > 0;
    }

    @Override
    public void close() {
        state.close();
    }

    private static final class Callback extends AVIOInterruptCB.Callback_Pointer {
        Callback() {
            super();
        }

        @Override
        public int call(Pointer opaque) {
            LongPointer s = new LongPointer(opaque);
            if (s.get(0) != 0) {
                return 1;
            }
            long deadline = s.get(1);
            return deadline != 0 && System.nanoTime() - deadline > 0 ? 1 : 0;
        }
    }
}
