package dev.segment.engine.deeplab.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Threads a native library started inside this process (TensorFlow's thread pools), found by the thread ids that
 * appeared while it started them, so that their CPU time can be read: the JVM knows only its own threads' CPU time.
 * Linux only ({@code /proc/self/task}); elsewhere the set is empty and {@link #cpuNanos()} is -1.
 *
 * <p>The threads are renamed (their {@code comm}) so that {@code top -H} and {@code ps -L} show whose they are.
 */
public final class NativeThreads {
    private static final Path TASKS = Path.of("/proc/self/task");

    private final int[] ids;

    private NativeThreads(int[] ids) {
        this.ids = ids;
    }

    /** The ids of this process's threads now; empty where {@code /proc} is missing. */
    public static Set<Integer> now() {
        Set<Integer> ids = new HashSet<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path t : tasks) {
                ids.add(Integer.parseInt(t.getFileName().toString()));
            }
        } catch (IOException | RuntimeException e) {
            ids.clear();
        }
        return ids;
    }

    /**
     * The native threads the calling thread started since {@code before} was taken (by {@link #now()}), renamed to
     * {@code name}. A new native thread inherits its creator's name; the JVM's own threads (and those of other
     * libraries, started meanwhile from other threads) have names of their own and are left out.
     */
    public static NativeThreads startedSince(Set<Integer> before, String name) {
        if (before.isEmpty()) {
            return new NativeThreads(new int[0]);
        }
        Set<Integer> after = now();
        after.removeAll(before);
        String creator = comm("thread-self");
        int[] ids = after.stream()
                .filter(id -> creator != null && creator.equals(comm(String.valueOf(id))))
                .mapToInt(Integer::intValue)
                .sorted()
                .toArray();
        for (int id : ids) {
            try {
                Files.writeString(TASKS.resolve(id + "/comm"), name);
            } catch (IOException | RuntimeException e) {
                // the name is for people reading top; the CPU time does not need it
            }
        }
        return new NativeThreads(ids);
    }

    private static String comm(String task) {
        try {
            Path p = task.equals("thread-self") ? Path.of("/proc/thread-self/comm") : TASKS.resolve(task + "/comm");
            return Files.readString(p).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public int count() {
        return ids.length;
    }

    /**
     * CPU nanoseconds these threads have used so far (the scheduler's run time, {@code schedstat}); threads that
     * ended count no more. -1 when there are none to read.
     */
    public long cpuNanos() {
        if (ids.length == 0) {
            return -1;
        }
        long total = 0;
        for (int id : ids) {
            try {
                String s = Files.readString(TASKS.resolve(id + "/schedstat"));
                int space = s.indexOf(' ');
                total += Long.parseLong(space < 0 ? s.trim() : s.substring(0, space));
            } catch (IOException | RuntimeException e) {
                // the thread ended
            }
        }
        return total;
    }
}
