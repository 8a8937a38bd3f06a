package dev.segment.flink.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint format of a {@link StreamSplit}, version 1: id, input, output name, live flag, frames emitted. */
public final class StreamSplitSerializer implements SimpleVersionedSerializer<StreamSplit> {
    public static final StreamSplitSerializer INSTANCE = new StreamSplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(StreamSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    @Override
    public StreamSplit deserialize(int version, byte[] serialized) throws IOException {
        checkVersion(version);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }

    static void write(StreamSplit split, DataOutputStream out) throws IOException {
        out.writeUTF(split.id());
        out.writeUTF(split.input());
        out.writeUTF(split.outputName());
        out.writeBoolean(split.live());
        out.writeLong(split.framesEmitted());
    }

    static StreamSplit read(DataInputStream in) throws IOException {
        return new StreamSplit(in.readUTF(), in.readUTF(), in.readUTF(), in.readBoolean(), in.readLong());
    }

    static void checkVersion(int version) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "unknown stream split format version " + version + " (this build reads " + VERSION + ")");
        }
    }

    /** The enumerator's checkpoint: the splits not assigned yet. */
    public static final class Pending implements SimpleVersionedSerializer<List<StreamSplit>> {
        public static final Pending INSTANCE = new Pending();

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(List<StreamSplit> splits) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(splits.size());
                for (StreamSplit s : splits) {
                    write(s, out);
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public List<StreamSplit> deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                int n = in.readInt();
                List<StreamSplit> splits = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    splits.add(read(in));
                }
                return splits;
            }
        }
    }
}
