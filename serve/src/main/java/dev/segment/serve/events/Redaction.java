package dev.segment.serve.events;

import java.net.URI;

/**
 * An event target's URI as it may appear in logs and errors: scheme, host and port only. Stricter than the sources'
 * {@code Redact} (which keeps paths and hides known secret parameters): webhook services put their secret in the path
 * or in parameters of any name.
 */
final class Redaction {
    private Redaction() {}

    /** {@code scheme://host:port}, or the scheme and "(no host)" when the URI has none. */
    static String uri(URI uri) {
        if (uri == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder();
        if (uri.getScheme() != null) {
            s.append(uri.getScheme()).append("://");
        }
        if (uri.getHost() != null) {
            s.append(uri.getHost());
            if (uri.getPort() >= 0) {
                s.append(':').append(uri.getPort());
            }
        } else {
            s.append("(no host)");
        }
        return s.toString();
    }
}
