package dev.segment.cli;

import dev.segment.codecs.SinkException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * An exclusive claim on an output video, so that two runs given the same output path do not both write it (they
 * would interleave into an unreadable file): the second is refused before it touches the file.
 *
 * <p>The lock is an OS file lock ({@link FileChannel#tryLock()}, released by the kernel if the process dies) on a
 * hidden sibling file {@code .NAME.lock}, not on the video itself: FFmpeg opens and closes the video with its own
 * descriptors, and closing any descriptor of a file drops the process's POSIX locks on it. The lock file is removed
 * on {@link #close()}; a run that finds the file but no lock (left by a killed run) takes it over. When the lock file
 * cannot be created (missing or read-only directory) no lock is taken: the video sink then reports that directory
 * problem in its own words.
 */
final class OutputLock implements AutoCloseable {
    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private OutputLock(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code output}, or fails with an output error naming it when another run holds it. */
    static OutputLock acquire(Path output) throws SinkException {
        Path absolute = output.toAbsolutePath().normalize();
        Path lockFile = absolute.resolveSibling("." + absolute.getFileName() + ".lock");
        for (int attempt = 0; attempt < 10; attempt++) {
            FileChannel channel;
            Object opened;
            try {
                channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                opened = fileKey(lockFile);
            } catch (IOException e) {
                return new OutputLock(lockFile, null, null);
            }
            FileLock lock;
            boolean current;
            try {
                lock = channel.tryLock();
                // The previous holder deletes the file and then releases its lock: if that happened between our
                // open and our lock, we hold a lock on a file nobody else can see, so start again on the current one.
                current = lock != null && opened != null && opened.equals(fileKey(lockFile));
            } catch (OverlappingFileLockException e) {
                closeQuietly(channel);
                throw busy(output, lockFile, e); // held by another run in this JVM
            } catch (IOException e) {
                closeQuietly(channel);
                return new OutputLock(lockFile, null, null);
            }
            if (lock == null) {
                closeQuietly(channel);
                throw busy(output, lockFile, null);
            }
            if (current) {
                return new OutputLock(lockFile, channel, lock);
            }
            closeQuietly(channel);
        }
        throw busy(output, lockFile, null);
    }

    private static SinkException busy(Path output, Path lockFile, Throwable cause) {
        return new SinkException(
                output,
                "another segment run is writing this file (it holds " + lockFile
                        + "); wait until it ends or choose another output",
                cause);
    }

    /** Device and inode of the file now at {@code path}, or null when there is none. */
    private static Object fileKey(Path path) throws IOException {
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return key != null ? key : path; // no inodes on this file system: the path is all we can compare
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    @Override
    public void close() {
        if (closed || channel == null) {
            closed = true;
            return;
        }
        closed = true;
        try {
            Files.deleteIfExists(lockFile);
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the kernel drops the lock when the process ends
        }
    }
}
