package dev.segment.flink.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.flink.api.common.serialization.Encoder;

/** One JSON object per line (Jackson, public fields as they are), for Flink's row-format {@code FileSink}. */
public final class JsonLineEncoder<T> implements Encoder<T> {
    private static final long serialVersionUID = 1L;
    private transient ObjectMapper mapper;

    @Override
    public void encode(T element, OutputStream stream) throws IOException {
        if (mapper == null) {
            mapper = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        }
        mapper.writeValue(stream, element);
        stream.write('\n');
    }
}
