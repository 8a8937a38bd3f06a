package dev.segment.codecs.live;

import dev.segment.codecs.FrameSource;
import java.io.IOException;

/** Makes a fresh, unopened source for each (re)connection attempt. */
@FunctionalInterface
public interface SourceFactory {
    FrameSource create() throws IOException;
}
