package dev.segment.crf.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Finds and loads libsegcrf.so, in this order:
 *
 * <ol>
 *   <li>an explicit path: system property {@value #LIBRARY_PROPERTY} or environment variable {@value #LIBRARY_ENV}
 *       (nothing else is tried when it is set);
 *   <li>the copy packaged in the jar under {@value #RESOURCE_DIR}, extracted to a cache directory keyed by version
 *       and content hash: {@value #CACHE_PROPERTY} / {@value #CACHE_ENV}, else $XDG_CACHE_HOME/segment/native or
 *       ~/.cache/segment/native, else java.io.tmpdir (each failure kept as a suppressed exception).
 * </ol>
 *
 * <p>The optional CUDA plugin (libsegcrf_cuda.so) is found the same way ({@value #CUDA_PROPERTY} / {@value
 * #CUDA_ENV}, else next to the library), but only extracted, never loaded here: the native library dlopen()s it
 * when the CUDA backend is asked for.
 */
public final class NativeLibraryLoader {
    public static final String LIBRARY_PROPERTY = "segment.crf.library";
    public static final String LIBRARY_ENV = "SEGMENT_CRF_LIBRARY";
    public static final String CUDA_PROPERTY = "segment.crf.cudaLibrary";
    public static final String CUDA_ENV = "SEGMENT_CRF_CUDA_LIBRARY";
    public static final String CACHE_PROPERTY = "segment.native.cache";
    public static final String CACHE_ENV = "SEGMENT_NATIVE_CACHE";
    public static final String RESOURCE_DIR = "/native/linux-x86_64/";
    public static final String LIBRARY_FILE = "libsegcrf.so";
    public static final String CUDA_FILE = "libsegcrf_cuda.so";

    /**
     * What was loaded.
     *
     * @param library the loaded libsegcrf.so
     * @param cudaPlugin libsegcrf_cuda.so ready to be dlopen()ed, or null when it was not built or not found
     * @param origin how the library was found, for diagnostics
     */
    public record Loaded(Path library, Path cudaPlugin, String origin) {}

    private NativeLibraryLoader() {}

    /** Loads the library into this JVM; the exception names every cause when none of the places works. */
    public static Loaded load() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new UnsatisfiedLinkError("libsegcrf is built for linux-x86_64 only; this JVM runs on " + os + "-"
                    + arch + " (set " + LIBRARY_PROPERTY + " to a library built for it)");
        }
        String explicit = setting(LIBRARY_PROPERTY, LIBRARY_ENV);
        if (explicit != null) {
            Path library = Paths.get(explicit).toAbsolutePath();
            if (!Files.isRegularFile(library)) {
                throw new UnsatisfiedLinkError("native library override " + library + " (from " + LIBRARY_PROPERTY
                        + " / " + LIBRARY_ENV + ") does not exist");
            }
            System.load(library.toString());
            String cuda = setting(CUDA_PROPERTY, CUDA_ENV);
            Path plugin = cuda != null ? Paths.get(cuda).toAbsolutePath() : library.resolveSibling(CUDA_FILE);
            return new Loaded(library, Files.isRegularFile(plugin) ? plugin : null, "override " + library);
        }
        List<Throwable> failures = new ArrayList<>();
        for (Path cacheRoot : cacheRoots()) {
            try {
                Path dir = cacheRoot.resolve("segcrf-" + version() + "-" + resourceHash(LIBRARY_FILE));
                Path library = extract(LIBRARY_FILE, dir);
                Path plugin = resourceExists(CUDA_FILE) ? extract(CUDA_FILE, dir) : null;
                String cuda = setting(CUDA_PROPERTY, CUDA_ENV);
                if (cuda != null) {
                    plugin = Paths.get(cuda).toAbsolutePath();
                }
                System.load(library.toString());
                return new Loaded(library, plugin, "classpath " + RESOURCE_DIR + LIBRARY_FILE + " extracted to " + dir);
            } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
                failures.add(e);
            }
        }
        UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot load " + LIBRARY_FILE + " (tried "
                + failures.size() + " cache directories; causes below): "
                + (failures.isEmpty() ? "no cache directory" : failures.get(0).getMessage()));
        failures.forEach(error::addSuppressed);
        throw error;
    }

    private static String setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static List<Path> cacheRoots() {
        List<Path> roots = new ArrayList<>();
        String configured = setting(CACHE_PROPERTY, CACHE_ENV);
        if (configured != null) {
            roots.add(Paths.get(configured));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            roots.add(Paths.get(xdg, "segment", "native"));
        } else {
            roots.add(Paths.get(System.getProperty("user.home"), ".cache", "segment", "native"));
        }
        roots.add(Paths.get(System.getProperty("java.io.tmpdir"), "segment-native-" + System.getProperty("user.name")));
        return roots;
    }

    private static boolean resourceExists(String file) {
        return NativeLibraryLoader.class.getResource(RESOURCE_DIR + file) != null;
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = NativeLibraryLoader.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IOException(RESOURCE_DIR + file
                        + " is not on the classpath: the crf-native jar was built without its native"
                        + " library (build it with Maven on linux-x86_64, or set " + LIBRARY_PROPERTY + ")");
            }
            return in.readAllBytes();
        }
    }

    private static String resourceHash(String file) throws IOException {
        return sha256(resource(file)).substring(0, 16);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    /** Copies the resource into dir unless an identical copy is there; temp file then atomic move. */
    private static Path extract(String file, Path dir) throws IOException {
        byte[] bytes = resource(file);
        Path target = dir.resolve(file);
        if (Files.isRegularFile(target) && sha256(Files.readAllBytes(target)).equals(sha256(bytes))) {
            return target;
        }
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, file, ".tmp");
        try {
            Files.write(temp, bytes);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    private static String version() throws IOException {
        Properties p = new Properties();
        try (InputStream in = NativeLibraryLoader.class.getResourceAsStream("/dev/segment/crf/segcrf.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return p.getProperty("version", "unknown");
    }
}
