package dev.segment.flink.internal;

import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One stream of the job: a file (bounded) or a camera URL (unbounded), the name of its output video, and the number
 * of frame records already emitted. The count is the split's checkpointed state: a worker that takes the split over
 * after a failure skips the records of those frames (files are converted again from the start, since a half-written
 * video cannot be resumed; cameras carry on counting from there).
 *
 * @param id             unique in the job (the input's position in the list)
 * @param input          what FFmpeg opens
 * @param outputName     file name of the output video inside the output directory
 * @param live           a camera or other live URL: unbounded, never redone
 * @param framesEmitted  frame records already emitted
 */
public record StreamSplit(String id, String input, String outputName, boolean live, long framesEmitted)
        implements SourceSplit, java.io.Serializable {

    public StreamSplit {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(outputName, "outputName");
        if (framesEmitted < 0) {
            throw new IllegalArgumentException("framesEmitted must be >= 0, got " + framesEmitted);
        }
    }

    @Override
    public String splitId() {
        return id;
    }

    public StreamSplit withFramesEmitted(long frames) {
        return new StreamSplit(id, input, outputName, live, frames);
    }
}
