package dev.segment.engine.deeplab.internal;

import dev.segment.engine.deeplab.ModelException;
import dev.segment.engine.deeplab.ModelException.Kind;
import dev.segment.engine.deeplab.TensorFlowLog;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;

/**
 * One DeepLab graph in native memory: the parsed GraphDef (kept for unpadded rewrites), the imported graph and the
 * session of the padded path, shared by every model handle and segmenter that {@link #retain() retains} it. The
 * native graph and session are closed when the last reference is released.
 */
public final class LoadedGraph {

    private final Path file;
    private final int threads;
    private final GraphDef graphDef;
    private final ConfigProto config;
    private final Graph graph;
    private final Session session;
    private final NativeThreads poolThreads;
    private final ModelSpec spec;
    private final AtomicInteger references = new AtomicInteger(1);
    private final Consumer<LoadedGraph> onClosed;

    private LoadedGraph(
            Path file, int threads, GraphDef graphDef, Graph graph, ModelSpec spec, Consumer<LoadedGraph> onClosed) {
        this.file = file;
        this.threads = threads;
        this.graphDef = graphDef;
        this.config = SessionConfigs.forThreads(threads);
        this.graph = graph;
        this.spec = spec;
        this.session = new Session(graph, config);
        this.poolThreads = tensorFlowPools(config);
        this.onClosed = onClosed;
    }

    /**
     * Reads, imports and checks a frozen DeepLab graph; the result holds one reference.
     *
     * @param onClosed called once after the native resources are closed (the cache forgets the entry), may be null
     */
    public static LoadedGraph load(Path file, int threads, int expectedClasses, Consumer<LoadedGraph> onClosed)
            throws ModelException {
        SessionConfigs.forThreads(threads); // checks threads before any work
        GraphDef def = GraphFile.read(file);
        Graph graph = new Graph();
        tensorFlowPools(SessionConfigs.forThreads(threads));
        try {
            try {
                graph.importGraphDef(def);
            } catch (IllegalArgumentException e) {
                throw new ModelException(
                        Kind.NOT_A_GRAPH,
                        file,
                        "TensorFlow rejects the graph: " + GraphFile.oneLine(e.getMessage()),
                        e);
            }
            ModelSpec spec = GraphInspector.inspect(file, graph, expectedClasses);
            return new LoadedGraph(file, threads, def, graph, spec, onClosed);
        } catch (ModelException | RuntimeException | Error e) {
            graph.close();
            throw e;
        }
    }

    private static NativeThreads pools;

    /**
     * TensorFlow's thread pools of this process. Sessions share process-wide pools, sized by the options of the
     * process's first session and started by it: that session is made here (TensorFlow's start-up session, with this
     * model's threads), and the threads it starts are the ones whose CPU time is the model's.
     */
    private static synchronized NativeThreads tensorFlowPools(ConfigProto config) {
        if (pools == null) {
            Set<Integer> before = NativeThreads.now();
            TensorFlowLog.startUp(config);
            pools = NativeThreads.startedSince(before, "segment-tf");
        }
        return pools;
    }

    /** Adds a reference; false when the graph is already closed (the caller must load it again). */
    public boolean retain() {
        for (; ; ) {
            int n = references.get();
            if (n <= 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the session and graph. */
    public void release() {
        int n = references.decrementAndGet();
        if (n == 0) {
            session.close();
            graph.close();
            if (onClosed != null) {
                onClosed.accept(this);
            }
        } else if (n < 0) {
            throw new IllegalStateException("model " + file + " released more often than retained");
        }
    }

    public boolean isOpen() {
        return references.get() > 0;
    }

    public Path file() {
        return file;
    }

    public int threads() {
        return threads;
    }

    public ModelSpec spec() {
        return spec;
    }

    public GraphDef graphDef() {
        return graphDef;
    }

    public ConfigProto config() {
        return config;
    }

    /**
     * CPU nanoseconds TensorFlow's thread pools have used so far: process-wide pools, shared by every graph's runs;
     * -1 where it cannot be read (not Linux).
     */
    public long cpuNanos() {
        return poolThreads.cpuNanos();
    }

    /** The padded path's session; TensorFlow sessions may be run from several threads at once. */
    public Session session() {
        ensureOpen();
        return session;
    }

    private void ensureOpen() {
        if (!isOpen()) {
            throw new IllegalStateException("model " + file + " is closed");
        }
    }
}
