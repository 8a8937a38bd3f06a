package dev.segment.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CameraSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private static final String DOOR = "{'name': 'door', 'source': 'rtsp://user:secret@cam.local/live', 'fps': 5,"
            + " 'zones': {'entry': [[0.1,0.2],[0.6,0.2],[0.6,1],[0.1,1]]},"
            + " 'rules': [{'name': 'person-at-door', 'zone': 'entry', 'classes': ['person'], 'minShare': 0.02,"
            + " 'forSeconds': 1}]}";

    @Test
    void theIssuesExampleParsesWithItsDefaults() throws Exception {
        CameraSpec c = CameraSpec.parse(json(DOOR));
        assertEquals("door", c.name());
        assertEquals(5, c.fps());
        Rule r = c.rule("person-at-door");
        assertEquals("entry", r.zone());
        assertEquals(java.util.List.of(15), r.classIds()); // person is VOC class 15
        assertEquals(0.02, r.minShare());
        assertEquals(CameraSpec.DEFAULT_HOLD_SECONDS, r.holdSeconds());
        assertEquals(4, c.zones().get("entry").points().size());
    }

    @Test
    void credentialsAreNeverShown() throws Exception {
        CameraSpec c = CameraSpec.parse(json(DOOR));
        String shown = c.redacted().toString();
        assertFalse(shown.contains("secret"), shown);
        assertTrue(c.definition().toString().contains("secret"), "the file keeps them");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "bad URL scheme | {'name': 'a', 'source': 'ftp://cam/x'} | source | ftp://cam/x",
                "URL without host | {'name': 'a', 'source': 'rtsp:///x'} | source | rtsp:///x",
                "not a file | {'name': 'a', 'source': 'rtsp//cam/x'} | source | rtsp//cam/x",
                "bad name | {'name': 'a b', 'source': 'rtsp://cam/x'} | name | a b",
                "no source | {'name': 'a'} | source | ",
                "fps 0 | {'name': 'a', 'source': 'rtsp://cam/x', 'fps': 0} | fps | 0",
                "polygon of two points | {'name': 'a', 'source': 'rtsp://cam/x', 'zones': {'z': [[0,0],[1,1]]}}"
                        + " | zones.z | [[0,0],[1,1]]",
                "point outside | {'name': 'a', 'source': 'rtsp://cam/x', 'zones': {'z': [[0,0],[1.5,0],[1,1]]}}"
                        + " | zones.z[1] | [1.5,0]",
                "point not a pair | {'name': 'a', 'source': 'rtsp://cam/x', 'zones': {'z': [[0,0],[1],[1,1]]}}"
                        + " | zones.z[1] | [1]",
                "flat polygon | {'name': 'a', 'source': 'rtsp://cam/x', 'zones': {'z': [[0,0],[0.5,0.5],[1,1]]}}"
                        + " | zones.z | [[0,0],[0.5,0.5],[1,1]]",
                "unknown class | {'name': 'a', 'source': 'rtsp://cam/x', 'rules': [{'name': 'r', 'classes':"
                        + " ['persn'], 'minShare': 0.1}]} | rules[0].classes[0] | persn",
                "unknown zone | {'name': 'a', 'source': 'rtsp://cam/x', 'rules': [{'name': 'r', 'zone': 'door',"
                        + " 'classes': ['person'], 'minShare': 0.1}]} | rules[0].zone | door",
                "share above 1 | {'name': 'a', 'source': 'rtsp://cam/x', 'rules': [{'name': 'r', 'classes':"
                        + " ['person'], 'minShare': 2}]} | rules[0].minShare | 2",
                "unknown field | {'name': 'a', 'source': 'rtsp://cam/x', 'zone': {}} | zone | {}",
                "output without a kind | {'name': 'a', 'source': 'rtsp://cam/x', 'outputs': ['rec']} | outputs[0]"
                        + " | rec",
            })
    void badInputNamesTheFieldAndTheValue(String what, String body, String field, String value) throws Exception {
        ApiException e = assertThrows(ApiException.class, () -> CameraSpec.parse(json(body)));
        assertEquals(400, e.status());
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(value, e.value() == null ? null : e.value().replace('"', '\''), e.getMessage());
    }

    @Test
    void twoRulesOfOneNameAreRefused() throws Exception {
        ApiException e = assertThrows(
                ApiException.class,
                () -> CameraSpec.parse(json("{'name': 'a', 'source':"
                        + " 'rtsp://cam/x', 'rules': [{'name': 'r', 'classes': ['person'], 'minShare': 0.1}, {'name': 'r',"
                        + " 'classes': ['car'], 'minShare': 0.1}]}")));
        assertEquals("rules[1].name", e.field());
    }

    @Test
    void aZoneCoversThePixelsInsideIt() {
        Zone left = new Zone(
                "left",
                java.util.List.of(
                        new double[] {0, 0}, new double[] {0.5, 0}, new double[] {0.5, 1}, new double[] {0, 1}));
        byte[] m = left.rasterize(10, 4);
        int inside = 0;
        for (byte b : m) {
            inside += b;
        }
        assertEquals(20, inside);
        assertEquals(1, m[4]);
        assertEquals(0, m[5]);
        Zone triangle = new Zone("t", java.util.List.of(new double[] {0, 0}, new double[] {1, 0}, new double[] {0, 1}));
        byte[] t = triangle.rasterize(100, 100);
        int n = 0;
        for (byte b : t) {
            n += b;
        }
        assertTrue(Math.abs(n - 5000) < 100, "half the frame, got " + n);
    }
}
