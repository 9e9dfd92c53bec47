package app.fivestar.notification.digest;

import app.fivestar.notification.People;
import app.fivestar.notification.People.Person;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestRecords;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One digest per recipient, each in its own transactions: a recipient whose mail cannot be sent keeps their items
 * for the next run, and nobody already mailed is mailed again.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class DigestTest {

    @Inject
    DigestJob digests;

    @Inject
    EntityManager em;

    @Test
    void aFailedDigestForOneRecipientLeavesTheOthersSentOnce() throws Exception {
        Person good = digestReader();
        Person bad = digestReader();
        for (Person p : List.of(good, bad)) {
            TestRecords.send(Topics.TASK_EVENTS, People.taskEvent("task.assigned.v1", Map.of("assigneeId", p.id(), "groupId", p.groupId(), "title", "摘要一项")));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> waiting(good) == 1 && waiting(bad) == 1);
        // an address the mail server cannot take
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update delivery set target = 'no address at all' where recipient_id = ?1")
                .setParameter(1, bad.id()).executeUpdate());
        digests.sendAll();
        digests.sendAll();
        assertEquals(1, People.mailsTo(good.email()).size(), "mailed once, whatever happened to the other digest");
        assertEquals(0, waiting(good));
        assertEquals(1, waiting(bad), "kept for the next run");
    }

    Person digestReader() {
        Person p = People.known("CADRE", java.util.UUID.randomUUID(), null);
        String etag = given().auth().oauth2(p.token()).get("/api/v1/preferences").then().statusCode(200).extract().header("ETag");
        given().auth().oauth2(p.token()).contentType(ContentType.JSON).header("If-Match", etag)
                .body(Map.of("channels", Map.of("TASK_ASSIGNED", List.of("EMAIL")), "digest", true))
                .put("/api/v1/preferences").then().statusCode(200);
        return p;
    }

    long waiting(Person p) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from delivery where recipient_id = ?1 and status = 'DIGEST'").setParameter(1, p.id()).getSingleResult()).longValue());
    }

}
