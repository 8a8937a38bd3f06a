package dev.segment.config.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

/** Jackson mappers for configuration text: duplicate keys and trailing content are errors. */
public final class Mappers {
    private Mappers() {}

    public static ObjectMapper json() {
        return configure(new ObjectMapper());
    }

    public static ObjectMapper yaml() {
        YAMLFactory factory = YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                // "crf:" with nothing after it is null, as YAML says; a quoted '' stays an empty string.
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .build();
        return configure(new ObjectMapper(factory));
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(SerializationFeature.INDENT_OUTPUT);
        return mapper;
    }
}
