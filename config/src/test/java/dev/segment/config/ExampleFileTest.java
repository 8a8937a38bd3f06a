package dev.segment.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config/example.yaml is linked from the README: it must load, list every field, and show the true defaults. */
class ExampleFileTest {
    private static Path example() {
        Path inModule = Path.of("example.yaml");
        return Files.exists(inModule) ? inModule : Path.of("config", "example.yaml");
    }

    @Test
    void exampleFileLoadsToTheDefaults() throws ConfigException {
        assertEquals(SegmentConfig.defaults(), ConfigLoader.load(example()));
    }

    @Test
    void exampleFileSpellsOutEveryFieldInDeclarationOrder() throws Exception {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(example().toFile());
        List<String> leaves = new ArrayList<>();
        collect(root, "", leaves);
        assertEquals(ConfigFields.paths(), leaves);
    }

    private static void collect(JsonNode node, String prefix, List<String> leaves) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isObject()) {
                collect(field.getValue(), prefix + field.getKey() + ".", leaves);
            } else {
                leaves.add(prefix + field.getKey());
            }
        }
    }
}
