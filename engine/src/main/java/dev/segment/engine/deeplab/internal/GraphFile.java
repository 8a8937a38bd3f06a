package dev.segment.engine.deeplab.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.segment.engine.deeplab.ModelException;
import dev.segment.engine.deeplab.ModelException.Kind;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.tensorflow.proto.GraphDef;

/** Reads a frozen GraphDef file and classifies what can go wrong before TensorFlow sees it. */
public final class GraphFile {

    private GraphFile() {}

    public static GraphDef read(Path file) throws ModelException {
        if (file == null) {
            throw new IllegalArgumentException("model path must not be null");
        }
        if (!Files.exists(file)) {
            throw new ModelException(Kind.NOT_FOUND, file, "no such file");
        }
        if (Files.isDirectory(file)) {
            throw new ModelException(Kind.UNREADABLE, file, "is a directory, expected a frozen GraphDef (.pb) file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelException(Kind.NOT_FOUND, file, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new ModelException(Kind.UNREADABLE, file, "permission denied", e);
        } catch (IOException e) {
            throw new ModelException(Kind.UNREADABLE, file, "cannot be read: " + e, e);
        }
        if (bytes.length == 0) {
            throw new ModelException(Kind.NOT_A_GRAPH, file, "is empty (0 bytes), not a TensorFlow GraphDef");
        }
        GraphDef graph;
        try {
            graph = GraphDef.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException(
                    Kind.NOT_A_GRAPH,
                    file,
                    "not a TensorFlow GraphDef (" + bytes.length + " bytes, protobuf parse failed: "
                            + oneLine(e.getMessage()) + ")",
                    e);
        }
        if (graph.getNodeCount() == 0) {
            throw new ModelException(
                    Kind.NOT_A_GRAPH,
                    file,
                    "not a TensorFlow GraphDef (" + bytes.length + " bytes parse as a graph without nodes)");
        }
        return graph;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.strip().replaceAll("\\s*\\R\\s*", " ");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
