package app.fivestar.notification.delivery;

import app.fivestar.notification.People;
import app.fivestar.notification.People.Person;
import app.fivestar.platform.servers.MailServer;
import app.fivestar.platform.testing.PlatformTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mail server being away is not the e-mails' fault: while nothing answers on its port, the e-mails wait — no
 * attempt counted, none FAILED however long it lasts — and go out once each when it is back. The mailer points at a
 * port where nothing listens until the test starts a server there ({@code mail=absent}); the tests' profile fails a
 * delivery after 3 attempts 200 ms apart, doubling, so counted attempts would have failed them within about 2 s.
 */
@QuarkusTest
@TestProfile(MailOutageTest.NoMailServer.class)
class MailOutageTest {

    /** The platform's servers, but the mailer's port free ({@code mail=absent}); the other tests' resources left out. */
    public static class NoMailServer implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PlatformTestResource.class, Map.of("database", "notification", "mail", "absent")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Test
    void eMailsWaitOutAMailServerOutageAndGoOutOnceWhenItIsBack() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.mailer.port", Integer.class);
        Person leader = People.known("LEADER", null, null);
        String admin = People.known("ADMIN", null, null).token();
        java.util.concurrent.atomic.AtomicInteger hookCalls = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            hookCalls.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            ChannelsTest.register(leader, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "GENERIC");
            for (int i = 0; i < 4; i++) {
                ChannelsTest.escalate(leader); // urgent: by e-mail at once, whatever the hour
            }
            // e-mail pauses, webhooks do not: the same four events reach the webhook while the mail server is away
            await().atMost(Duration.ofSeconds(20)).until(() -> hookCalls.get() == 4);
        } finally {
            receiver.stop(0);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> emailsOf(leader, admin).size() == 4
                && emailsOf(leader, admin).stream().allMatch(d -> d.get("lastError") != null));
        // three counted attempts would have ended them FAILED by now; they wait instead (an e-mail trying the server
        // again counts 1 while it tries, given back after)
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> emailsOf(leader, admin).stream()
                .allMatch(d -> d.get("status").equals("PENDING") && ((Integer) d.get("attempts")) <= 1));
        assertTrue(emailsOf(leader, admin).stream().allMatch(d -> ((String) d.get("lastError")).startsWith("the mail server is away")),
                () -> "the reason shown: " + emailsOf(leader, admin));

        try (MailServer mail = MailServer.start(port)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> emailsOf(leader, admin).stream()
                    .allMatch(d -> d.get("status").equals("DELIVERED")));
            assertEquals(List.of(1, 1, 1, 1), emailsOf(leader, admin).stream().map(d -> d.get("attempts")).toList());
            assertEquals(4, mail.receivedBy(leader.email()).size(), "each e-mail once");
        }
    }

    private static List<Map<String, Object>> emailsOf(Person p, String admin) {
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        for (String status : List.of("PENDING", "DELIVERED", "FAILED")) {
            JsonPath page = given().auth().oauth2(admin).get("/api/v1/deliveries?status=" + status + "&size=200")
                    .then().statusCode(200).extract().jsonPath();
            all.addAll(page.<Map<String, Object>>getList("findAll { it.recipientId == '" + p.id() + "' && it.channel == 'EMAIL' }"));
        }
        return all;
    }
}
