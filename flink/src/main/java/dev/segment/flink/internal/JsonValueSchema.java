package dev.segment.flink.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** One JSON object per Kafka message: the same Jackson mapping as the record files' {@link JsonLineEncoder}. */
public final class JsonValueSchema<T> implements SerializationSchema<T> {
    private static final long serialVersionUID = 1L;
    private transient ObjectMapper mapper;

    @Override
    public byte[] serialize(T element) {
        if (mapper == null) {
            mapper = new ObjectMapper();
        }
        try {
            return mapper.writeValueAsBytes(element);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + element + " as JSON", e);
        }
    }
}
