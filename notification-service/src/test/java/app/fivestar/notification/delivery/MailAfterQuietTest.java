package app.fivestar.notification.delivery;

import app.fivestar.notification.People;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestServers;
import io.quarkus.mailer.Mail;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mail server drops a connection that has been quiet for a while (the test server after 30 s, answering "421 …
 * socket timeout" and closing; real ones after a minute or five). A mail handed a connection in the moment the server
 * drops it fails with that 421: the clean-clone CI's DigestTest failed so, and a digest that fails waits a day for
 * the next run. So the mailer closes its own quiet connections first (quarkus.mailer.keep-alive-timeout, 20 s). The
 * mails go through {@link MailSender}, as the workers send them.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class MailAfterQuietTest {

    @Inject
    MailSender mailer;

    @Test
    void theMailerLetsAQuietConnectionGoBeforeTheServerDropsIt() throws Exception {
        String to = "quiet-" + java.util.UUID.randomUUID() + "@example.org";
        int port = TestServers.get().mail().port();
        // another test's mail meanwhile (a delivery released later) would rightly keep a connection open: then again
        for (int attempt = 1; ; attempt++) {
            mailer.send(Mail.withText(to, "第" + attempt + "封", "一"));
            long sent = System.nanoTime();
            int received = TestServers.get().mail().received().size();
            assertTrue(connectionsTo(port) >= 1, "the connection is kept for the next mail");
            // 25 s: past the mailer's keep-alive (20 s), short of the server's 30 s
            await().pollDelay(Duration.ofSeconds(25)).atMost(Duration.ofSeconds(29))
                    .until(() -> System.nanoTime() - sent > Duration.ofSeconds(25).toNanos());
            long open = connectionsTo(port);
            if (TestServers.get().mail().received().size() == received) {
                assertEquals(0, open, "a quiet connection the mailer still holds when the server drops it");
                break;
            }
            assertTrue(attempt < 3, "the mail server was never quiet for 25 s");
        }
        mailer.send(Mail.withText(to, "之后", "二"));
        assertTrue(People.mailsTo(to).stream().anyMatch(m -> {
            try {
                return m.getSubject().equals("之后");
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        }), "the mail after the quiet went out");
    }

    /** Established TCP connections of this machine to the port (our side of them), from /proc/net/tcp. */
    static long connectionsTo(int port) throws java.io.IOException {
        String remote = String.format(":%04X ", port);
        long n = 0;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            if (Files.exists(Path.of(table))) {
                n += Files.readAllLines(Path.of(table)).stream().skip(1).map(String::trim)
                        .filter(l -> l.split("\\s+")[2].endsWith(remote.trim()) && l.split("\\s+")[3].equals("01")).count();
            }
        }
        return n;
    }
}
