package app.fivestar.task.dispatch;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import app.fivestar.task.task.Weeks;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dispatch larger than fivestar.dispatch.defer-above (1,000) is a job: 202, progress, then every task or none. */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class LargeDispatchTest {

    static final String WEEK = Weeks.of(LocalDate.now().plusDays(1));

    @Inject
    EntityManager em;

    static Map<String, Object> everyVillage(String title) {
        return Map.of("title", title, "groupId", Demo.ST_GROUP, "dueDate", LocalDate.now().plusDays(6).toString(), "fanOut", Map.of("allVillages", true));
    }

    long count(String sql, Object... params) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var q = em.createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                q.setParameter(i + 1, params[i]);
            }
            return ((Number) q.getSingleResult()).longValue();
        });
    }

    @Test
    void aLargeDispatchAnswers202AndItsProgressEndsDoneWithEveryTaskAndEvent() {
        List<Object> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add(everyVillage("村庄环境整治（大批量测试）" + i));
        }
        String key = UUID.randomUUID().toString();
        var accepted = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("week", WEEK, "lines", lines)).when().post("/api/v1/dispatches")
                .then().statusCode(202).header("Location", containsString("/api/v1/dispatches/"))
                .body("status", equalTo("PENDING")).body("tasks", nullValue()).extract();
        String id = accepted.jsonPath().getString("id");
        long total = accepted.jsonPath().getLong("progress.total");
        assertTrue(total > 1000, "the fan-out plans " + total + " tasks");
        assertEquals(6 * count("select count(*) from village"), total, "six lines × every village");

        JsonPath done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                given().auth().oauth2(Demo.token("office")).get("/api/v1/dispatches/" + id + "?tasks=false").then().statusCode(200)
                        .extract().jsonPath(), p -> !"PENDING".equals(p.getString("status")));
        assertEquals("DONE", done.getString("status"));
        assertEquals(total, done.getLong("progress.total"));
        assertEquals(total, done.getLong("progress.created"));
        assertEquals(total, done.getLong("progress.byStatus.ASSIGNED"));
        assertEquals(total, count("select count(*) from task where dispatch_id = cast(?1 as uuid)", id));
        assertEquals(total, count("select count(*) from task_journal j join task t on t.id = j.task_id where t.dispatch_id = cast(?1 as uuid) "
                + "and j.action = 'create'", id), "a journal line per task");
        assertEquals(total, count("select count(*) from outbox_event o join task t on o.record_key = cast(t.id as text) "
                + "where t.dispatch_id = cast(?1 as uuid) and o.type = 'task.assigned.v1'", id), "an event per task");
        // the tasks are in the task list
        given().auth().oauth2(Demo.token("office")).queryParam("dispatchId", id).queryParam("limit", 200).get("/api/v1/tasks")
                .then().statusCode(200).body("items.size()", equalTo(200));
        // a replay answers the first answer (202) and creates nothing more
        given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("week", WEEK, "lines", lines)).when().post("/api/v1/dispatches").then().statusCode(202)
                .header("Idempotent-Replayed", "true").body("id", equalTo(id));
        assertEquals(total, count("select count(*) from task where dispatch_id = cast(?1 as uuid)", id));
    }

    @Test
    void aLineMayNameTensOfThousandsOfVillages() {
        // 40,000 entries (the district's villages over and over): more than one SQL statement may carry as parameters
        @SuppressWarnings("unchecked")
        List<Object> ids = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("select cast(id as text) from village order by code").getResultList());
        List<Object> many = new ArrayList<>();
        while (many.size() < 40_000) {
            many.addAll(ids);
        }
        given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", WEEK, "lines", List.of(Map.of("title", "按名单交办（测试）", "groupId", Demo.ST_GROUP,
                        "dueDate", LocalDate.now().plusDays(6).toString(), "fanOut", Map.of("villageIds", many.subList(0, 40_000))))))
                .when().post("/api/v1/dispatches").then().statusCode(201).body("progress.total", equalTo(ids.size()));
    }

    @Inject
    DispatchService dispatches;

    @Test
    void theVillagesOfAFanOutAreNotKeptInThePersistenceContext() {
        // every flush walks each entity the persistence context holds: a job's 50,000 villages made its flushes
        // (three per 2,000 tasks) a quarter of its thread's CPU. Planned by each way a line names villages, none stays managed.
        UUID town = QuarkusTransaction.requiringNew().call(() -> (UUID) em.createNativeQuery("select town_id from village limit 1").getSingleResult());
        @SuppressWarnings("unchecked")
        List<UUID> some = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("select id from village limit 5").getResultList());
        for (DispatchRequest.FanOut fanOut : List.of(new DispatchRequest.FanOut(null, true, null), new DispatchRequest.FanOut(town, null, null),
                new DispatchRequest.FanOut(null, null, some))) {
            var line = new DispatchRequest.Line(null, "村庄环境整治（预览）", Demo.ST_GROUP, LocalDate.now().plusDays(6), null, fanOut);
            QuarkusTransaction.requiringNew().run(() -> {
                var preview = dispatches.preview(new DispatchRequest(WEEK, List.of(line)));
                assertTrue(preview.total() > 0, "planned " + preview.total() + " tasks for " + fanOut);
                var kept = em.unwrap(org.hibernate.Session.class).getStatistics().getEntityKeys().stream()
                        .filter(k -> ((org.hibernate.engine.spi.EntityKey) k).getEntityName().endsWith(".Village")).count();
                assertEquals(0, kept, "villages managed after planning " + fanOut);
            });
        }
    }

    @Test
    void aPendingDispatchThatCanNoLongerBeCarriedOutFailsWithProblemDetailsAndCreatesNothing() {
        UUID id = UUID.randomUUID();
        // recorded pending when its catalogue item was active; by the time the job runs the item is gone
        String request = "{\"week\":\"" + WEEK + "\",\"lines\":[{\"catalogCode\":\"NO-SUCH\",\"groupId\":\"" + Demo.ST_GROUP
                + "\",\"dueDate\":\"" + LocalDate.now().plusDays(6) + "\",\"fanOut\":{\"allVillages\":true}}]}";
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into dispatch (id, week, created_by, created_at, status, total, request) "
                        + "values (?1, ?2, ?3, ?4, 'PENDING', 200, ?5)")
                .setParameter(1, id).setParameter(2, WEEK).setParameter(3, Demo.person("office").id).setParameter(4, Instant.now())
                .setParameter(5, request).executeUpdate());
        JsonPath failed = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                given().auth().oauth2(Demo.token("office")).get("/api/v1/dispatches/" + id).then().statusCode(200).extract().jsonPath(),
                p -> !"PENDING".equals(p.getString("status")));
        assertEquals("FAILED", failed.getString("status"));
        assertEquals(422, failed.getInt("problem.status"));
        assertEquals("lines[0].catalogCode", failed.getString("problem.violations[0].field"));
        assertEquals(0, failed.getLong("progress.byStatus.ASSIGNED"));
        assertEquals(0, count("select count(*) from task where dispatch_id = ?1", id));
    }
}
