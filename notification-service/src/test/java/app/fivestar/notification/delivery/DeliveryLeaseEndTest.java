package app.fivestar.notification.delivery;

import app.fivestar.notification.People;
import app.fivestar.notification.People.Person;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestRecords;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A claim's lease keeps other instances off its rows; a worker whose slow receivers use the lease up gives the rest
 * back instead of sending them unprotected (another instance could claim and send the same row meanwhile).
 */
@QuarkusTest
@TestProfile(DeliveryLeaseEndTest.ShortLease.class)
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class DeliveryLeaseEndTest {

    /** A 1 s send timeout and a 3.5 s lease: a claim covers two sends to a receiver that answers after 0.6 s, not eight. */
    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fivestar.delivery.timeout", "1s", "fivestar.delivery.lease", "3500ms");
        }
    }

    @Inject
    EntityManager em;

    @Test
    void everySendStartsWhileItsRowIsStillLeased() throws Exception {
        Queue<String> unleased = new ConcurrentLinkedQueue<>();
        Queue<String> requests = new ConcurrentLinkedQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        receiver.createContext("/", exchange -> {
            String delivery = exchange.getRequestHeaders().getFirst("X-Fivestar-Delivery");
            requests.add(delivery);
            exchange.getRequestBody().readAllBytes();
            // as another instance would see the row now: claimable again once its lease has ended
            boolean leased = QuarkusTransaction.requiringNew().call(() -> (Boolean) em.createNativeQuery(
                    "select next_attempt_at > now() from delivery where id = ?1").setParameter(1, UUID.fromString(delivery)).getSingleResult());
            if (!leased) {
                unleased.add(delivery);
            }
            await().pollDelay(Duration.ofMillis(600)).until(() -> true);   // a slow receiver (within the 1 s timeout)
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            Person leader = People.known("LEADER", null, null);
            for (int i = 0; i < 8; i++) {
                ChannelsTest.register(leader, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook" + i, "GENERIC");
            }
            TestRecords.send(Topics.TASK_EVENTS, People.taskEvent("task.escalated.v1", Map.of("targetPersonId", leader.id(), "level", 3, "title", "八个慢接收方")));
            await().atMost(Duration.ofSeconds(60)).until(() -> QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                    "select count(*) from delivery where recipient_id = ?1 and channel = 'WEBHOOK' and status = 'DELIVERED'")
                    .setParameter(1, leader.id()).getSingleResult()).intValue()) == 8);
            assertTrue(unleased.isEmpty(), "sent after their lease had ended: " + unleased);
            assertEquals(8, requests.size(), "each delivery sent once: " + requests);
            List<?> attempts = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "select attempts from delivery where recipient_id = ?1 and channel = 'WEBHOOK'").setParameter(1, leader.id()).getResultList());
            assertEquals(8, attempts.size());
            attempts.forEach(a -> assertEquals(1, ((Number) a).intValue(), "a row given back does not count an attempt"));
        } finally {
            receiver.stop(0);
        }
    }
}
