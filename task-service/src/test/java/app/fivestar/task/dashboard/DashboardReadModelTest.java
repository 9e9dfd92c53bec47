package app.fivestar.task.dashboard;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import app.fivestar.task.TestClock;
import app.fivestar.task.task.LifecycleTest;
import app.fivestar.task.task.Task;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The read model behind the dashboard (dashboard_tally) against the task table it summarises: after changes made
 * through every kind of write (REST moves, a bulk update, a delete) and after the day moves forwards and backwards,
 * the counters equal a recount from scratch and the API's totals equal a direct count of the tasks.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class DashboardReadModelTest {

    static final String TALLY = "select dim, week, cast(town_id as text), key, assigned, accepted, in_progress, submitted, verified, returned, cancelled, "
            + "on_time, late, red, yellow, cast(oldest_open as text) from dashboard_tally where assigned <> 0 or accepted <> 0 or in_progress <> 0 "
            + "or submitted <> 0 or verified <> 0 or returned <> 0 or cancelled <> 0 or on_time <> 0 or late <> 0 or red <> 0 or yellow <> 0 "
            + "or oldest_open is not null order by 1, 2, 3, 4";

    @Inject
    EntityManager em;

    @Inject
    DashboardFold fold;

    @AfterEach
    void realTime() {
        TestClock.reset();
    }

    @Test
    void countersFollowEveryWriteAndEveryDay() {
        at("2026-11-25T09:00:00");
        List<String> ids = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", "2026-W48", "lines", List.of(Map.of("catalogCode", "ST-20", "groupId", Demo.ST_GROUP,
                        "dueDate", "2026-11-29", "fanOut", Map.of("townId", Demo.townId("T10"))))))
                .post("/api/v1/dispatches").then().statusCode(201).extract().jsonPath().getList("tasks.id", String.class);
        assertFalse(ids.size() < 8, "the fan-out made " + ids.size() + " tasks");
        verified(ids.get(0));
        String returned = ids.get(1);
        LifecycleTest.move("st-cadre", returned, "accept", null, LifecycleTest.etag(returned)).statusCode(200);
        LifecycleTest.move("st-cadre", returned, "submit", Map.of("note", "已完成"), LifecycleTest.etag(returned)).statusCode(200);
        LifecycleTest.move("office", returned, "return", Map.of("reason", "材料不全"), LifecycleTest.etag(returned)).statusCode(200);
        LifecycleTest.move("office", ids.get(2), "cancel", Map.of("reason", "重复交办"), LifecycleTest.etag(ids.get(2))).statusCode(200);
        LifecycleTest.move("st-cadre", ids.get(3), "start", null, LifecycleTest.etag(ids.get(3))).statusCode(200);
        QuarkusTransaction.requiringNew().run(() -> {
            Task.update("dueDate = ?1 where id in ?2", LocalDate.of(2026, 11, 18), List.of(UUID.fromString(ids.get(4)), UUID.fromString(ids.get(5))));
            Task.update("villageId = null, townId = null where id = ?1", UUID.fromString(ids.get(6)));
        });
        // a delete (nothing in the service deletes tasks, but the counters must not care how a row goes)
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("delete from task_journal where task_id = ?1").setParameter(1, UUID.fromString(ids.get(7))).executeUpdate();
            em.createNativeQuery("delete from task where id = ?1").setParameter(1, UUID.fromString(ids.get(7))).executeUpdate();
        });
        agreeWithTheTasks(1);
        light(ids.get(0), "GREEN");    // verified
        light(ids.get(1), "YELLOW");   // returned once
        light(ids.get(2), null);       // cancelled
        light(ids.get(4), "RED");      // past due
        light(ids.get(8), "GREEN");    // due in four days

        at("2026-11-30T00:00:00"); // the Sunday due date has passed: every open task of the dispatch turns red
        agreeWithTheTasks(1);
        light(ids.get(8), "RED");
        at("2026-11-29T12:00:00"); // the due date itself: due soon
        light(ids.get(8), "YELLOW");
        agreeWithTheTasks(1);
        at("2026-11-28T12:00:00"); // back to the day before the due date: yellow again
        agreeWithTheTasks(1);
        at("2027-01-10T12:00:00");
        agreeWithTheTasks(1);
        verified(ids.get(8));      // a change after a roll is counted at the rolled day
        agreeWithTheTasks(1);
        // another replica with a skewed clock (or a restored backup) left the counters on another day
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("select 1 from dashboard_roll(cast('2026-11-01' as date), 1)").getSingleResult());
        agreeWithTheTasks(1);
    }

    /** The API's district totals equal a direct count, and the counters equal a recount from scratch. */
    void agreeWithTheTasks(int soonDays) {
        LocalDate today = TestClock.INSTANCE.instant().atZone(ZoneId.of("Asia/Shanghai")).toLocalDate();
        fold.fold(); // what the background fold (every 500 ms) would have done by now
        JsonPath summary = given().auth().oauth2(Demo.token("leader")).get("/api/v1/dashboard/summary").then().statusCode(200).extract().jsonPath();
        Object[] direct = (Object[]) em.createNativeQuery("select count(*), "
                        + "count(*) filter (where status in ('ASSIGNED','ACCEPTED','IN_PROGRESS','RETURNED') and due_date < ?1), "
                        + "count(*) filter (where status in ('ASSIGNED','ACCEPTED','IN_PROGRESS','RETURNED') and due_date >= ?1 "
                        + "and (due_date < ?2 or returned_count > 0)), count(*) filter (where status = 'VERIFIED') from task")
                .setParameter(1, today).setParameter(2, today.plusDays(soonDays)).getSingleResult();
        assertEquals(((Number) direct[0]).longValue(), summary.getLong("total"), "total on " + today);
        assertEquals(((Number) direct[1]).longValue(), summary.getLong("byLight.RED"), "red on " + today);
        assertEquals(((Number) direct[2]).longValue(), summary.getLong("byLight.YELLOW"), "yellow on " + today);
        assertEquals(((Number) direct[3]).longValue(), summary.getLong("byStatus.VERIFIED"), "verified on " + today);
        Object[] located = (Object[]) em.createNativeQuery("select count(*) filter (where village_id is not null), count(*) filter (where town_id is not null) "
                + "from task where status in ('ASSIGNED','ACCEPTED','IN_PROGRESS','RETURNED') and due_date < ?1").setParameter(1, today).getSingleResult();
        assertEquals(((Number) direct[1]).longValue(), overdueIn("star"), "overdue by star on " + today);
        assertEquals(((Number) direct[1]).longValue(), overdueIn("group"), "overdue by group on " + today);
        assertEquals(((Number) located[0]).longValue(), overdueIn("village"), "overdue by village on " + today);
        assertEquals(((Number) located[1]).longValue(), overdueIn("town"), "overdue by town on " + today);

        List<String> kept = rows();
        QuarkusTransaction.begin();
        List<String> recounted;
        try {
            em.createNativeQuery("select 1 from dashboard_rebuild()").getSingleResult();
            recounted = rows();
        } finally {
            QuarkusTransaction.rollback();
        }
        assertEquals(recounted, kept, "the counters on " + today + " differ from a recount");
    }

    /** The district's overdue tasks added up over every bucket of one dimension. */
    static long overdueIn(String by) {
        return given().auth().oauth2(Demo.token("leader")).get("/api/v1/dashboard/overdue?limit=5000&by=" + by).then().statusCode(200)
                .extract().jsonPath().getList("overdue", Long.class).stream().mapToLong(Long::longValue).sum();
    }

    @SuppressWarnings("unchecked")
    List<String> rows() {
        return QuarkusTransaction.joiningExisting().call(() -> ((List<Object[]>) em.createNativeQuery(TALLY).getResultList()).stream()
                .map(Arrays::toString).toList());
    }

    static void light(String id, String color) {
        given().auth().oauth2(Demo.token("office")).get("/api/v1/tasks/" + id).then().statusCode(200).body("light", org.hamcrest.Matchers.equalTo(color));
    }

    static void verified(String id) {
        LifecycleTest.move("st-cadre", id, "accept", null, LifecycleTest.etag(id)).statusCode(200);
        LifecycleTest.move("st-cadre", id, "submit", Map.of("note", "已完成"), LifecycleTest.etag(id)).statusCode(200);
        LifecycleTest.move("office", id, "verify", null, LifecycleTest.etag(id)).statusCode(200);
    }

    static void at(String shanghai) {
        TestClock.set(LocalDateTime.parse(shanghai).atZone(ZoneId.of("Asia/Shanghai")).toInstant());
    }
}
