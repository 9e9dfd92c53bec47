package app.fivestar.local;

import app.fivestar.platform.servers.FreePorts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on a loopback port in front of the front door, so a browser test can cut the network for real (a
 * service worker's own requests included, which DevTools' offline emulation does not cover): {@link #cut()} closes
 * the listening socket and every connection, {@link #restore()} listens again on the same port. It can also drop the
 * answer to one request (the request reaches the server, the connection closes before a byte of the answer comes
 * back) and slow every request down. Bytes pass untouched, so the Host header names this port (sign-in comes back here).
 */
final class LoopbackProxy implements AutoCloseable {

    private final int port = FreePorts.pick();
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicReference<String> dropAnswerTo = new AtomicReference<>();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile long delayMillis;
    private volatile String refuse;
    private volatile ServerSocket server;

    LoopbackProxy(int target) {
        this.target = target;
        restore();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Connections accepted since the start. */
    int accepted() {
        return accepted.get();
    }

    /** Answers dropped so far. */
    int dropped() {
        return dropped.get();
    }

    /** The next request whose request line starts with {@code prefix} (e.g. "POST /api/v1/tasks/…/submit") gets no answer. */
    void dropAnswerTo(String prefix) {
        dropAnswerTo.set(prefix);
    }

    /** Requests whose request line starts with {@code prefix} never reach the server: their connection is closed (null: none). */
    void refuse(String prefix) {
        refuse = prefix;
    }

    /** Each request from the browser waits this long before it is passed on (a slow network). */
    void delay(long millis) {
        delayMillis = millis;
    }

    /** The network goes away: nothing listens on the port, open connections are closed. */
    synchronized void cut() {
        ServerSocket s = server;
        server = null;
        closeQuietly(s);
        open.forEach(LoopbackProxy::closeQuietly);
        open.clear();
    }

    /** The network comes back on the same port. */
    synchronized void restore() {
        if (server != null) {
            return;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = s;
            daemon(() -> accept(s));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + port, e);
        }
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                accepted.incrementAndGet();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(upstream);
                AtomicReference<Boolean> dropNext = new AtomicReference<>(false);
                daemon(() -> pump(client, upstream, dropNext, true));
                daemon(() -> pump(upstream, client, dropNext, false));
            } catch (IOException e) {
                // closed by cut(), or one connection failed: the browser retries
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicReference<Boolean> dropNext, boolean request) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (request) {
                    if (delayMillis > 0) {
                        Thread.sleep(delayMillis);
                    }
                    String head = new String(buffer, 0, Math.min(n, 512), StandardCharsets.ISO_8859_1);
                    if (refuse != null && head.startsWith(refuse)) {
                        break;
                    }
                    String prefix = dropAnswerTo.get();
                    if (prefix != null && head.startsWith(prefix)
                            && dropAnswerTo.compareAndSet(prefix, null)) {
                        dropNext.set(true);
                    }
                } else if (dropNext.get()) {
                    dropped.incrementAndGet();
                    break; // the answer came; the browser never sees it
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // a closed connection ends its pumps
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "loopback-proxy");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
    }
}
