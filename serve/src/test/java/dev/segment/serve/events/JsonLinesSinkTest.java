package dev.segment.serve.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JsonLinesSinkTest {
    @TempDir
    Path dir;

    @Test
    void shouldAppendOneFlushedJsonObjectPerLineCreatingTheParentDirectories() throws IOException {
        Path file = dir.resolve("events/today/events.jsonl");
        List<Event> events =
                IntStream.range(0, 5).mapToObj(i -> TestEvents.event("door", i)).toList();
        try (JsonLinesSink sink = new JsonLinesSink(file)) {
            assertEquals("file", sink.name());
            events.forEach(sink::event);
            // flushed line by line: readable while the sink is open
            await().atMost(Duration.ofSeconds(10)).until(() -> lines(file).size() == 5);
            assertEquals(0, sink.queued());
        }

        List<String> lines = lines(file);
        assertEquals(events, lines.stream().map(EventJson::fromJson).toList());
        assertEquals(EventJson.toJson(events.get(0)), lines.get(0));
        assertTrue(Files.readString(file).endsWith("}\n"), "every line ends with a newline");
    }

    @Test
    void shouldAppendToAnExistingFileAndWriteEverythingQueuedOnClose() throws IOException {
        Path file = dir.resolve("events.jsonl");
        try (JsonLinesSink sink = new JsonLinesSink(file)) {
            sink.event(TestEvents.event("door", 0));
        }
        JsonLinesSink second = new JsonLinesSink(file);
        for (int i = 1; i < 200; i++) {
            second.event(TestEvents.event("door", i));
        }
        second.close();
        second.close();

        List<String> lines = lines(file);
        assertEquals(200, lines.size());
        assertEquals(TestEvents.event("door", 199), EventJson.fromJson(lines.get(199)));
        assertEquals(0, second.dropped());
    }

    @Test
    void shouldSayWhichFileCannotBeOpened() throws IOException {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        Path file = notADir.resolve("events.jsonl");

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new JsonLinesSink(file));

        assertTrue(e.getMessage().contains("cannot open the events file " + file), e.getMessage());
    }

    @Test
    void shouldIgnoreCameraStates() throws IOException {
        Path file = dir.resolve("events.jsonl");
        try (JsonLinesSink sink = new JsonLinesSink(file)) {
            sink.state("door", "{\"name\":\"door\",\"connected\":true}");
        }
        assertEquals(List.of(), lines(file));
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }
}
