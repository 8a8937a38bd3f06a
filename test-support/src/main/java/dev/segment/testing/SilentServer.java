package dev.segment.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP server on 127.0.0.1 that accepts connections and then either says nothing (a hung camera) or sends random
 * bytes (something that is not a camera on the port). Threads are daemons and end on {@link #close()}.
 */
public final class SilentServer implements AutoCloseable {
    private final ServerSocket server;
    private final boolean garbage;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    private SilentServer(boolean garbage) throws IOException {
        this.garbage = garbage;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "test-" + (garbage ? "garbage" : "silent") + "-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Accepts and stays silent. */
    public static SilentServer silent() throws IOException {
        return new SilentServer(false);
    }

    /** Accepts and sends random bytes (1 KiB every 20 ms, at most 30 s per connection). */
    public static SilentServer garbage() throws IOException {
        return new SilentServer(true);
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connections() {
        return clients.size();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                clients.add(s);
                if (garbage) {
                    Thread t = new Thread(() -> spew(s), "test-garbage-writer");
                    t.setDaemon(true);
                    t.start();
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void spew(Socket s) {
        Random r = new Random(42);
        byte[] b = new byte[1024];
        long end = System.nanoTime() + 30_000_000_000L;
        try (OutputStream out = s.getOutputStream()) {
            while (!closed && System.nanoTime() < end) {
                r.nextBytes(b);
                out.write(b);
                out.flush();
                Thread.sleep(20);
            }
        } catch (IOException | InterruptedException ignored) {
            // the client went away
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : clients) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
