package dev.segment.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Random;

/** TCP ports on 127.0.0.1 for tests: one to listen on, and one that nothing listens on. */
public final class Ports {
    private Ports() {}

    /** A port that was free when asked (the kernel's choice); the test uses it at once. */
    public static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * A port that nothing listens on, below the kernel's ephemeral range (32768 and up): a client connecting to a
     * port inside that range can be given the same port as its own source and connect to itself (TCP simultaneous
     * open), which turned a "refused" into FFmpeg reading its own request back, once in CI.
     */
    public static int closed() throws IOException {
        Random random = new Random();
        for (int i = 0; i < 200; i++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // in use: try another
            }
        }
        throw new IOException("no free port between 20000 and 32000 on 127.0.0.1");
    }
}
