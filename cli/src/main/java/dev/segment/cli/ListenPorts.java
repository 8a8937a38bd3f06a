package dev.segment.cli;

import dev.segment.config.ConfigException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The ports the user asks us to listen on ({@code --metrics-port}, {@code --http-preview}): a port another program
 * holds is the user's setting, reported as a configuration error (exit 3) that names the flag, the field and the
 * port, before the model loads or the camera connects.
 */
final class ListenPorts {
    /** What a failure-prone listener start does. */
    interface Start<T> {
        T start() throws IOException;
    }

    private ListenPorts() {}

    /**
     * Fails if {@code port} (when &gt; 0) cannot be bound on {@code bindAddress} right now. A check ahead of time, so a
     * busy port is reported at once; the real bind can still lose a race, which {@link #mapBindFailure} reports the
     * same way.
     */
    static void requireFree(String bindAddress, int port, ConfigFlag flag) throws ConfigException {
        if (port <= 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the JDK's HttpServer binds: a port in TIME_WAIT is free for it
            probe.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port));
        } catch (IOException e) {
            if (isBindFailure(e)) {
                throw inUse(bindAddress, port, flag, e);
            }
            // an unknown address and the like: the real bind reports it
        }
    }

    /** Runs {@code start}; a bind failure becomes {@link #inUse}. */
    static <T> T mapBindFailure(Start<T> start, String bindAddress, int port, ConfigFlag flag)
            throws IOException, ConfigException {
        try {
            return start.start();
        } catch (IOException e) {
            if (isBindFailure(e)) {
                throw inUse(bindAddress, port, flag, e);
            }
            throw e;
        }
    }

    static boolean isBindFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    static ConfigException inUse(String bindAddress, int port, ConfigFlag flag, Throwable cause) {
        return new ConfigException(
                flag.flag,
                flag.path,
                Integer.toString(port),
                "port " + port + " on " + bindAddress + " is already in use by another program: choose another port",
                cause);
    }
}
