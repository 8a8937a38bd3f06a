package dev.segment.crf;

import dev.segment.crf.internal.NativeLibraryLoader;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The once-per-JVM probes: is the native library loaded, is the CUDA backend usable, and why not. Holder classes make
 * each probe run at most once, on first use; the results are immutable.
 */
final class NativeRuntime {
    /** Kill switch for the CUDA backend: system property {@value}=false (or SEGMENT_CRF_CUDA=off). */
    static final String CUDA_SWITCH_PROPERTY = "segment.crf.cuda";

    static final String CUDA_SWITCH_ENV = "SEGMENT_CRF_CUDA";

    private NativeRuntime() {}

    private static final class Library {
        static final NativeLibraryLoader.Loaded LOADED;
        static final Throwable CAUSE;

        static {
            NativeLibraryLoader.Loaded loaded = null;
            Throwable cause = null;
            try {
                loaded = NativeLibraryLoader.load();
                CrfLibrary.version(); // fails here if the library loaded but its JNI symbols do not match
            } catch (Throwable t) { // UnsatisfiedLinkError, SecurityException, ...: all make the CRF unavailable
                cause = t;
            }
            LOADED = cause == null ? loaded : null;
            CAUSE = cause;
        }
    }

    private static final class Cuda {
        static final String CAUSE = probe();

        private static String probe() {
            if (Library.CAUSE != null) {
                return "the native library is unavailable: " + Library.CAUSE.getMessage();
            }
            String prop = System.getProperty(CUDA_SWITCH_PROPERTY);
            String env = System.getenv(CUDA_SWITCH_ENV);
            String flag = prop != null ? prop : env;
            if (flag != null && (flag.equalsIgnoreCase("false") || flag.equalsIgnoreCase("off"))) {
                return "disabled by " + (prop != null ? "-D" + CUDA_SWITCH_PROPERTY : CUDA_SWITCH_ENV) + "=" + flag;
            }
            Path plugin = Library.LOADED.cudaPlugin();
            String cause = CrfLibrary.probeCuda(plugin == null ? "" : plugin.toString());
            return cause;
        }
    }

    static Throwable unavailabilityCause() {
        return Library.CAUSE;
    }

    static NativeLibraryLoader.Loaded loaded() {
        ensureAvailable();
        return Library.LOADED;
    }

    static void ensureAvailable() {
        if (Library.CAUSE != null) {
            throw new CrfException(
                    "the DenseCRF native library is unavailable: " + Library.CAUSE.getMessage(), Library.CAUSE);
        }
    }

    /** Null when CUDA is usable, else why not. */
    static String cudaUnavailabilityCause() {
        return Cuda.CAUSE;
    }

    static String describe() {
        if (Library.CAUSE != null) {
            return "unavailable: " + Library.CAUSE.getMessage();
        }
        return describeLibrary() + ", CUDA " + (Cuda.CAUSE == null ? "available" : "unavailable: " + Cuda.CAUSE);
    }

    /** The library's version, origin and CPU kernels, without the CUDA status. */
    static String describeLibrary() {
        if (Library.CAUSE != null) {
            return "unavailable: " + Library.CAUSE.getMessage();
        }
        return String.format(
                Locale.ROOT,
                "libsegcrf %s (%s), CPU kernels %s",
                CrfLibrary.version(),
                Library.LOADED.origin(),
                CrfLibrary.cpuIsa());
    }
}
