package dev.segment.serve.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events appended to a file, one JSON object a line, each line flushed as it is written: a file that {@code tail -f}
 * or a log shipper can follow. Writing happens on the queue's thread, so a slow disk never holds up a camera; a failed
 * write (a full disk) is retried with the queue's backoff on a reopened file.
 */
public final class JsonLinesSink implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesSink.class);

    private final Path file;
    private final QueuedDelivery<String> queue;
    /** Delivery thread only, and close() after it stopped. */
    private Writer writer;

    /** A sink with the default queue (1000 events). */
    public JsonLinesSink(Path file) {
        this(file, QueuedDelivery.Settings.DEFAULTS);
    }

    /**
     * Opens {@code file} for appending, creating it and its parent directories.
     *
     * @throws UncheckedIOException when the file cannot be created or opened
     */
    public JsonLinesSink(Path file, QueuedDelivery.Settings settings) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        Objects.requireNonNull(settings, "settings");
        try {
            this.writer = open(this.file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the events file " + this.file + " for appending: " + e, e);
        }
        this.queue = new QueuedDelivery<>("events file " + this.file, settings, this::append);
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public void event(Event event) {
        queue.offer(EventJson.toJson(event) + "\n");
    }

    @Override
    public long dropped() {
        return queue.dropped();
    }

    @Override
    public int queued() {
        return queue.queued();
    }

    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "events file " + file;
    }

    /** Writes what is queued (within the queue's grace period), then closes the file. Safe to call twice. */
    @Override
    public void close() {
        queue.close();
        closeWriter();
    }

    private void append(String line) throws IOException {
        if (writer == null) {
            writer = open(file);
        }
        try {
            writer.write(line);
            writer.flush();
        } catch (IOException e) {
            closeWriter();
            throw e;
        }
    }

    private void closeWriter() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                LOG.warn("events file {}: closing: {}", file, e.getMessage());
            }
            writer = null;
        }
    }

    private static Writer open(Path file) throws IOException {
        Path parent = file.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.newBufferedWriter(
                file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
