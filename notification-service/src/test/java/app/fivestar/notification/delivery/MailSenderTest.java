package app.fivestar.notification.delivery;

import io.vertx.core.Context;
import io.vertx.core.impl.VertxInternal;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.mail.MailClient;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every send through {@link MailSender#await} gets the server's greeting, on a busy machine, each mail on a new
 * connection (where Vert.x's mail client can lose it when started from a plain thread: see {@link MailSender}).
 */
class MailSenderTest {

    static final int SENDS = 1_500;

    @Test
    void everyNewConnectionGetsItsGreetingWhileTheMachineIsBusy() throws Exception {
        Vertx vertx = Vertx.vertx();
        AtomicBoolean busy = new AtomicBoolean(true);
        try (SmtpServer server = new SmtpServer()) {
            MailClient client = MailClient.create(vertx, new MailConfig().setHostname("127.0.0.1").setPort(server.port())
                    .setStarttls(StartTLSOptions.DISABLED).setLogin(LoginOption.DISABLED).setKeepAlive(false));
            Context loop = ((VertxInternal) vertx.getDelegate()).createEventLoopContext();
            for (int i = 0; i < 2; i++) {   // both cores busy, so that threads are often preempted
                Thread spinner = new Thread(() -> {
                    long x = 0;
                    while (busy.get()) {
                        x += System.nanoTime() & 7;
                    }
                    assertTrue(x >= 0);
                });
                spinner.setDaemon(true);
                spinner.start();
            }
            AtomicInteger next = new AtomicInteger();
            List<String> lost = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService senders = Executors.newFixedThreadPool(4);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                running.add(senders.submit(() -> {
                    for (int n = next.incrementAndGet(); n <= SENDS; n = next.incrementAndGet()) {
                        MailMessage mail = new MailMessage().setFrom("office@example.org").setTo("cadre@example.org")
                                .setSubject("第" + n + "封").setText("正文");
                        try {
                            MailSender.await(loop, () -> client.sendMail(mail), Duration.ofSeconds(5));
                        } catch (RuntimeException e) {
                            lost.add(n + ": " + e);
                        }
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get(10, TimeUnit.MINUTES);
            }
            senders.shutdown();
            busy.set(false);
            assertEquals(List.of(), lost, "sends that lost their greeting or their answer");
            assertEquals(SENDS, server.mails.get());
            assertEquals(SENDS, server.connections.get(), "each mail on a new connection");
        } finally {
            busy.set(false);
            vertx.closeAndAwait();
        }
    }

    @Test
    void aServerThatNeverAnswersIsGivenUpAfterTheTimeout() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            MailClient client = MailClient.create(vertx, new MailConfig().setHostname("127.0.0.1").setPort(silent.getLocalPort())
                    .setStarttls(StartTLSOptions.DISABLED).setLogin(LoginOption.DISABLED));
            Context loop = ((VertxInternal) vertx.getDelegate()).createEventLoopContext();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> MailSender.await(loop,
                    () -> client.sendMail(new MailMessage().setFrom("a@example.org").setTo("b@example.org").setText("x")), Duration.ofMillis(500)));
            assertTrue(e.getMessage().contains("did not answer within"), e.getMessage());
        } finally {
            vertx.closeAndAwait();
        }
    }

    /**
     * What says the mail server is away (e-mail then pauses, no attempt counted) and what says a mail failed: a server
     * that greets with 421 and one that is not there are away; a server that refuses the recipient (550) or asks to try
     * later (450) answered about this mail.
     */
    @Test
    void aServerThatIsNotThereOrNotServingIsAwayOneThatRefusesAMailIsNot() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (ServerSocket closing = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             ServerSocket free = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread greeter = new Thread(() -> {
                while (!closing.isClosed()) {
                    try (Socket s = closing.accept()) {
                        s.getOutputStream().write("421 fivestar.test Service not available, closing channel\r\n".getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            greeter.setDaemon(true);
            greeter.start();
            int nothing = free.getLocalPort();
            free.close(); // nothing listens there now
            Context loop = ((VertxInternal) vertx.getDelegate()).createEventLoopContext();
            for (int port : new int[] {closing.getLocalPort(), nothing}) {
                MailClient client = MailClient.create(vertx, new MailConfig().setHostname("127.0.0.1").setPort(port)
                        .setStarttls(StartTLSOptions.DISABLED).setLogin(LoginOption.DISABLED).setKeepAlive(false));
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> MailSender.await(loop,
                        () -> client.sendMail(new MailMessage().setFrom("a@example.org").setTo("b@example.org").setText("x")), Duration.ofSeconds(5)));
                assertTrue(MailSender.away(e), () -> "away: " + e);
            }
        } finally {
            vertx.closeAndAwait();
        }
        assertTrue(MailSender.away(new IllegalStateException(new java.net.ConnectException("Connection refused"))));
        assertTrue(!MailSender.away(new io.vertx.ext.mail.SMTPException("550 no such user", 550, List.of("550 no such user"), false)));
        assertTrue(!MailSender.away(new io.vertx.ext.mail.SMTPException("450 mailbox busy", 450, List.of("450 mailbox busy"), false)));
        assertTrue(!MailSender.away(new IllegalStateException("got error response: 554 transaction failed")));
    }

    /** A minimal SMTP server on loopback that answers at once (GreenMail answers each command ~40 ms late). */
    static final class SmtpServer implements AutoCloseable {

        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger mails = new AtomicInteger();
        final ExecutorService handlers = Executors.newCachedThreadPool();

        SmtpServer() throws Exception {
            socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        connections.incrementAndGet();
                        handlers.submit(() -> serve(s));
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve(Socket s) {
            try (s) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(30_000);
                OutputStream out = s.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                reply(out, "220 test SMTP ready");
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String command = line.length() < 4 ? line.toUpperCase() : line.substring(0, 4).toUpperCase();
                    switch (command) {
                        case "EHLO", "HELO" -> reply(out, "250 test");
                        case "DATA" -> {
                            reply(out, "354 end with .");
                            for (String body = in.readLine(); body != null && !body.equals("."); body = in.readLine()) {
                                // the message's lines
                            }
                            mails.incrementAndGet();
                            reply(out, "250 queued");
                        }
                        case "QUIT" -> {
                            reply(out, "221 bye");
                            return;
                        }
                        default -> reply(out, "250 OK");
                    }
                }
            } catch (Exception e) {
                // the client went away
            }
        }

        private static void reply(OutputStream out, String line) throws java.io.IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            handlers.shutdownNow();
        }
    }
}
