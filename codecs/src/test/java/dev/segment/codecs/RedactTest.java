package dev.segment.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedactTest {
    @Test
    void removesUserAndPasswordFromRtspUrl() {
        assertEquals(
                "rtsp://***@10.0.0.7:554/Streaming/101",
                Redact.redact("rtsp://admin:s3cr3t@10.0.0.7:554/Streaming/101"));
    }

    @Test
    void removesPasswordContainingAtSignAndColon() {
        String r = Redact.redact("rtsp://admin:p@ss:w@rd@cam.local/live");
        assertEquals("rtsp://***@cam.local/live", r);
    }

    @Test
    void removesEveryUrlInFreeTextAndSecretQueryValues() {
        String r = Redact.redact(
                "Could not open input \"http://u:pw1@a/x?user=bob&password=pw2&fps=5\"" + " then rtmp://k:pw3@b/live");
        assertFalse(r.contains("pw1") || r.contains("pw2") || r.contains("pw3"), r);
        assertTrue(r.contains("fps=5") && r.contains("user=bob") && r.contains("password=***"), r);
    }

    @Test
    void leavesUrlsWithoutCredentialsAndPathsAlone() {
        for (String s :
                new String[] {"rtsp://cam:554/a@b", "/dev/video0", "lavfi:testsrc2", "/tmp/a@b.mp4", "mailto x@y"}) {
            assertEquals(s, Redact.redact(s), s);
        }
        assertNull(Redact.redact(null));
        assertTrue(Redact.hasSecrets("rtsp://a:b@c/"));
        assertFalse(Redact.hasSecrets("rtsp://c/"));
    }
}
