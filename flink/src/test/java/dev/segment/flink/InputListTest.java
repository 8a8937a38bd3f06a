package dev.segment.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputListTest {
    @TempDir
    Path dir;

    @Test
    void expandsFilesDirectoriesUrlsAndListFiles() throws Exception {
        Path a = Files.writeString(dir.resolve("a.mp4"), "x");
        Path videos = Files.createDirectory(dir.resolve("videos"));
        Path c = Files.writeString(videos.resolve("c.mkv"), "x");
        Path b = Files.writeString(videos.resolve("b.mp4"), "x");
        Files.writeString(videos.resolve(".hidden.mp4"), "x");
        Files.createDirectory(videos.resolve("sub"));
        Path list =
                Files.write(dir.resolve("more.txt"), List.of("# cameras", "", "rtsp://user:pw@cam/1", a.toString()));

        List<String> inputs = InputList.expand(a + ", " + videos + ",http://host/live.m3u8," + list);

        assertEquals(
                List.of(
                        a.toString(),
                        b.toString(),
                        c.toString(),
                        "http://host/live.m3u8",
                        "rtsp://user:pw@cam/1",
                        a.toString()),
                inputs);
    }

    @Test
    void aMissingInputIsAnErrorNamingIt() {
        NoSuchFileException e = assertThrows(
                NoSuchFileException.class,
                () -> InputList.expand(dir.resolve("nope.mp4").toString()));
        assertTrue(e.getMessage().contains("nope.mp4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InputList.expand(" "));
    }

    @Test
    void urlsAreLiveExceptFileUrls() {
        assertTrue(InputList.isLive("rtsp://cam/1"));
        assertTrue(InputList.isLive("srt://host:9000"));
        assertTrue(InputList.isLive("lavfi:testsrc=rate=10"));
        assertTrue(InputList.isLive("/dev/video0"));
        assertFalse(InputList.isLive("file:///tmp/a.mp4"));
        assertFalse(InputList.isLive("/tmp/a.mp4"));
    }
}
