package dev.segment.engine.deeplab;

import dev.segment.engine.deeplab.internal.LoadedGraph;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Shares loaded DeepLab graphs: pipelines that {@link #acquire acquire} the same file with the same thread setting get
 * handles on one graph and session in native memory. Each handle is released by {@link DeepLabModel#close()}; the
 * graph is closed when its last handle and segmenter are closed, and a later acquire loads it again.
 *
 * <p>Own an instance and give it to the pipelines that should share models (tests, an embedding program). {@link
 * #processWide()} is the one instance for programs that do not care: it is the only static state of this package.
 */
public final class ModelCache {

    private static final ModelCache PROCESS_WIDE = new ModelCache();

    private record Key(Path file, int threads) {}

    private final Map<Key, LoadedGraph> graphs = new HashMap<>();

    /** The cache behind {@link DeepLabModel#shared(Path)}. */
    public static ModelCache processWide() {
        return PROCESS_WIDE;
    }

    /** Same as {@code acquire(file, 0)}: TensorFlow's default thread pools. */
    public DeepLabModel acquire(Path file) throws ModelException {
        return acquire(file, 0);
    }

    /**
     * A handle on the graph of {@code file}, loading and checking it when no open handle exists.
     *
     * @param threads TensorFlow intra/inter-op threads ({@code inference.threads}); 0 = TensorFlow default
     * @throws ModelException when the file is missing, unreadable or not a 21-class DeepLab graph
     */
    public DeepLabModel acquire(Path file, int threads) throws ModelException {
        if (file == null) {
            throw new IllegalArgumentException("model path must not be null");
        }
        Key key = new Key(file.toAbsolutePath().normalize(), threads);
        synchronized (graphs) {
            LoadedGraph graph = graphs.get(key);
            if (graph != null && graph.retain()) {
                return new DeepLabModel(graph);
            }
            LoadedGraph loaded = LoadedGraph.load(file, threads, DeepLabModel.PASCAL_CLASSES, this::forget);
            graphs.put(key, loaded);
            return new DeepLabModel(loaded);
        }
    }

    /** Number of graphs currently loaded through this cache. */
    public int size() {
        synchronized (graphs) {
            return graphs.size();
        }
    }

    private void forget(LoadedGraph closed) {
        synchronized (graphs) {
            graphs.values().remove(closed);
        }
    }
}
