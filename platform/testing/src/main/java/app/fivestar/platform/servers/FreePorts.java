package app.fivestar.platform.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers that are started a little later (a JVM that binds its HTTP port ten seconds after we chose it).
 *
 * <p>{@code new ServerSocket(0)} hands out a port from the kernel's ephemeral range — the same range every outgoing
 * connection (a Kafka client, a JDBC pool) takes its local port from. Between choosing such a port and binding it,
 * another process's connection can take it and the server fails with "port in use". This picks ports below the
 * ephemeral range instead, where the kernel never assigns outgoing connections, checks that nothing listens there,
 * and never hands the same port — or its neighbour — out twice in one JVM (the embedded Kafka broker on a given port
 * puts its controller on the next one).
 */
public final class FreePorts {

    private static final int LOWEST = 10_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** A port nothing listens on now and that no outgoing connection will take. */
    public static synchronized int pick() {
        int ceiling = ephemeralLow();
        if (ceiling - LOWEST < 1_000) {
            return anyFree();
        }
        int span = ceiling - LOWEST;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = LOWEST + (start + i) % span;
            if (!HANDED_OUT.contains(port) && !HANDED_OUT.contains(port - 1) && !HANDED_OUT.contains(port + 1) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        return anyFree();
    }

    /** The first port of the kernel's ephemeral range (Linux), or 32768 where the range cannot be read. */
    static int ephemeralLow() {
        // read line-wise: some kernels report proc files as empty, and whole-file reads then stop after one byte
        try (var reader = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int anyFree() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
