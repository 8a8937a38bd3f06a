package dev.segment.crf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.crf.DenseCrf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryLoaderTest {

    private static NativeLibraryLoader.Loaded loadWith(String property, String value) {
        String old = System.getProperty(property);
        System.setProperty(property, value);
        try {
            return NativeLibraryLoader.load();
        } finally {
            if (old == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, old);
            }
        }
    }

    @Test
    void shouldNameAMissingOverridePath(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere/libsegcrf.so");
        UnsatisfiedLinkError e = assertThrows(
                UnsatisfiedLinkError.class, () -> loadWith(NativeLibraryLoader.LIBRARY_PROPERTY, missing.toString()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(NativeLibraryLoader.LIBRARY_PROPERTY), e.getMessage());
    }

    @Test
    void shouldNameTheCauseOfABrokenLibrary(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("libsegcrf.so"), "not an ELF file");
        UnsatisfiedLinkError e = assertThrows(
                UnsatisfiedLinkError.class, () -> loadWith(NativeLibraryLoader.LIBRARY_PROPERTY, broken.toString()));
        assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
    }

    @Test
    void shouldExtractOnceIntoAVersionKeyedCache(@TempDir Path dir) throws IOException {
        NativeLibraryLoader.Loaded first = loadWith(NativeLibraryLoader.CACHE_PROPERTY, dir.toString());
        assertTrue(first.library().startsWith(dir), first.library().toString());
        assertTrue(
                first.library().getParent().getFileName().toString().matches("segcrf-.+-[0-9a-f]{16}"),
                first.library().toString());
        long modified = Files.getLastModifiedTime(first.library()).toMillis();
        NativeLibraryLoader.Loaded second = loadWith(NativeLibraryLoader.CACHE_PROPERTY, dir.toString());
        assertEquals(first.library(), second.library());
        assertEquals(modified, Files.getLastModifiedTime(second.library()).toMillis(), "an identical copy is reused");
        try (var files = Files.list(first.library().getParent())) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary files left behind");
        }
        assertTrue(DenseCrf.isAvailable(), String.valueOf(DenseCrf.unavailabilityCause()));
    }
}
