package app.fivestar.task.task;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A move reads its task with plain JDBC ({@link TaskChanges#current}), not through the ORM: every field of the entity
 * must come back as the ORM's load gives it, or a move would write or publish a wrong value.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class TaskChangesTest {

    @Inject
    TaskChanges changes;

    @Inject
    EntityManager em;

    @Test
    void aMoveReadsEveryFieldAsTheOrmLoadsIt() throws Exception {
        Map<String, Object> line = Map.of("catalogCode", "ST-01", "groupId", Demo.ST_GROUP, "dueDate", LocalDate.now().plusDays(6).toString(),
                "fanOut", Map.of("townId", Demo.townId("T02")));
        String id = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", Weeks.of(LocalDate.now().plusDays(1)), "lines", List.of(line))).when().post("/api/v1/dispatches")
                .then().statusCode(201).extract().path("tasks[0].id");
        UUID taskId = UUID.fromString(id);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update task set assignee_id = ?1, meeting_id = ?2, action_item_id = ?3, "
                        + "note = '整改说明', returned_count = 2, submitted_at = now() - interval '1 hour', verified_at = now(), "
                        + "status = 'VERIFIED', version = 3 where id = ?4")
                .setParameter(1, Demo.ST_CADRE).setParameter(2, UUID.randomUUID()).setParameter(3, UUID.randomUUID()).setParameter(4, taskId)
                .executeUpdate());

        QuarkusTransaction.requiringNew().run(() -> {
            Task read = changes.current(taskId);
            Task loaded = Task.findById(taskId);
            for (Field f : Task.class.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || !Modifier.isPublic(f.getModifiers())) {
                    continue; // the entity's columns are its public fields (the rest is the ORM's enhancement)
                }
                try {
                    Object expected = f.get(loaded);
                    assertNotNull(expected, f.getName() + " is null in this test's task: give it a value above so the comparison means something");
                    assertNotEquals(0L, expected instanceof Number n ? n.longValue() : 1L, f.getName() + " is 0 in this test's task");
                    assertEquals(expected, f.get(read), f.getName());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
            assertEquals(false, em.contains(read), "the ORM does not hold the task a move read");
            assertNull(changes.current(UUID.randomUUID()), "no such task: null");
        });
    }
}
