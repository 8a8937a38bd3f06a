package dev.segment.engine;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Writes one JSON line per output frame: its {@link FrameStats}. Each line is flushed as it is written, so a killed run
 * keeps the statistics of every frame written so far.
 */
public final class StatsWriter implements PipelineListener, AutoCloseable {
    private static final ObjectWriter JSON = new ObjectMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
            .writerFor(FrameStats.class);

    private final Path path;
    private final BufferedWriter out;
    private final List<String> classNames;
    private final long firstFrame;
    private final LongFunction<String> photos;
    private boolean closed;

    /** Opens (truncates) {@code path}, making its directory if needed; frames numbered from 0. Errors name the path. */
    public StatsWriter(Path path, List<String> classNames) throws IOException {
        this(path, classNames, 0, null);
    }

    /**
     * As {@link #StatsWriter(Path, List)}, with {@code frame} the input's frame number when the output starts at input
     * frame {@code firstFrame}, and for photos ({@code photos} not null) the name of each frame's file.
     */
    public StatsWriter(Path path, List<String> classNames, long firstFrame, LongFunction<String> photos)
            throws IOException {
        this.path = path;
        this.classNames = List.copyOf(classNames);
        this.firstFrame = firstFrame;
        this.photos = photos;
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent); // as for videos and images: a missing directory is made
            }
            this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot write statistics file " + path + ": " + describe(e), e);
        }
    }

    @Override
    public synchronized void onFrame(FrameReport r) {
        if (closed) {
            return;
        }
        FrameStats stats =
                FrameStats.of(r, firstFrame + r.index(), photos == null ? null : photos.apply(r.index()), classNames);
        try {
            JSON.writeValue(out, stats);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write statistics file " + path + ": " + describe(e), e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        out.close();
    }

    private static String describe(IOException e) {
        return e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + " " + e.getMessage();
    }
}
