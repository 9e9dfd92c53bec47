package app.fivestar.notification.delivery;

import app.fivestar.notification.People;
import app.fivestar.notification.People.Person;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestRecords;
import app.fivestar.platform.testing.TestTokens;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * No lock and no transaction is held while a webhook answers: while the receiver sits on the request, another
 * transaction can lock the delivery row at once; the answer is then recorded (DELIVERED after one attempt).
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class DeliveryLeaseTest {

    @Inject
    EntityManager em;

    @Test
    void aSlowReceiverHoldsNoLockOnTheDelivery() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger requests = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            arrived.countDown();
            try {
                answer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            Person leader = People.known("LEADER", null, null);
            ChannelsTest.register(leader, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "GENERIC");
            TestRecords.send(Topics.TASK_EVENTS, People.taskEvent("task.escalated.v1", Map.of("targetPersonId", leader.id(), "level", 3, "title", "慢接收方")));
            org.junit.jupiter.api.Assertions.assertTrue(arrived.await(30, TimeUnit.SECONDS), "the webhook was called");
            UUID delivery = QuarkusTransaction.requiringNew().call(() -> (UUID) em.createNativeQuery(
                    "select id from delivery where recipient_id = ?1 and channel = 'WEBHOOK'").setParameter(1, leader.id()).getSingleResult());
            // fails at once (55P03) if the worker still holds the row locked while the receiver answers
            List<?> locked = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "select id from delivery where id = ?1 for update nowait").setParameter(1, delivery).getResultList());
            assertEquals(1, locked.size());
            answer.countDown();
            String admin = app.fivestar.notification.People.known("ADMIN", null, null).token();
            await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(admin).get("/api/v1/deliveries?status=DELIVERED&size=200")
                    .then().extract().jsonPath().<Integer>getList("findAll { it.id == '" + delivery + "' }.attempts"), l -> l.equals(List.of(1)));
            assertEquals(1, requests.get());
        } finally {
            answer.countDown();
            receiver.stop(0);
        }
    }
}
