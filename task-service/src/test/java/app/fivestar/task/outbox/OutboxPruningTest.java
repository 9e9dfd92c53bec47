package app.fivestar.task.outbox;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Published outbox rows are marked, then pruned once older than the retention. */
@QuarkusTest
@TestProfile(OutboxPruningTest.ShortRetention.class)
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class OutboxPruningTest {

    public static class ShortRetention implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fivestar.messaging.outbox-retention", "PT1S", "fivestar.messaging.prune-interval", "PT1S",
                    "fivestar.messaging.idempotency-retention", "PT2S");
        }
    }

    @Inject
    EntityManager em;

    @Test
    void aPublishedRowIsMarkedAndLaterPruned() {
        String id = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON)
                .body(Map.of("title", "清理记录", "groupId", Demo.ST_GROUP, "dueDate", LocalDate.now().plusDays(3).toString()))
                .post("/api/v1/tasks").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(id, "published_at is null") == 0 && rows(id, "true") <= 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(id, "true") == 0);
    }

    @Test
    void anIdempotencyRecordIsKeptForRetriesThenPruned() {
        String key = java.util.UUID.randomUUID().toString();
        given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("title", "幂等记录", "groupId", Demo.ST_GROUP, "dueDate", LocalDate.now().plusDays(3).toString()))
                .post("/api/v1/tasks").then().statusCode(201);
        org.junit.jupiter.api.Assertions.assertEquals(1, idempotencyRecords(key));
        await().atMost(Duration.ofSeconds(20)).until(() -> idempotencyRecords(key) == 0);
    }

    long idempotencyRecords(String key) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from idempotency_record where idem_key = ?1").setParameter(1, key).getSingleResult()).longValue());
    }

    long rows(String taskId, String condition) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from outbox_event where record_key = ?1 and " + condition).setParameter(1, taskId).getSingleResult()).longValue());
    }

}
