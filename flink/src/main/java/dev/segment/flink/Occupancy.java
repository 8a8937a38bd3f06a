package dev.segment.flink;

/**
 * Class occupancy of one input over one window of its own stream time: the mean share of the frame each class
 * covered over the window's frames. A Flink POJO, written as JSON lines.
 */
public class Occupancy {
    public String input;
    /** Window start and end, microseconds of the input's presentation time (end exclusive). */
    public long windowStartMicros;

    public long windowEndMicros;
    /** Frames that fell into the window. */
    public long frames;
    /** Mean share of the frame per class id over the window's frames. */
    public double[] meanFractions;
    /** The class with the largest mean share other than background, or {@code background} if none appeared. */
    public String topClass;

    public Occupancy() {}

    @Override
    public String toString() {
        return input + " [" + windowStartMicros + ", " + windowEndMicros + ") " + frames + " frames, top " + topClass;
    }
}
