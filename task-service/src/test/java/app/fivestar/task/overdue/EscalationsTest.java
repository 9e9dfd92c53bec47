package app.fivestar.task.overdue;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import app.fivestar.task.Fixtures;
import app.fivestar.task.directory.Person;
import app.fivestar.task.directory.WorkingGroup;
import io.quarkus.narayana.jta.QuarkusTransaction;
import app.fivestar.task.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 督办 list: what the watch escalated, at the highest rung reached, visible by role, gone once submitted. */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class EscalationsTest {

    @Inject
    OverdueWatch watch;

    @AfterEach
    void realTime() {
        TestClock.reset();
    }

    /** The list as {@code token} sees it, narrowed to the test's own group (every other test's tasks are overdue by 2032 too). */
    JsonPath list(String token) {
        return given().auth().oauth2(token).queryParam("groupId", group.id).when().get("/api/v1/escalations").then().statusCode(200)
                .extract().jsonPath();
    }

    WorkingGroup group;

    static int indexOf(JsonPath list, String taskId) {
        return list.getList("task.id", String.class).indexOf(taskId);
    }

    @Test
    void theWatchsEscalationsAreListedHighestLevelFirstPerRoleUntilTheTaskIsSubmitted() {
        group = Fixtures.group("督办测试", "GEN");
        Person lead = Fixtures.person("esc-lead", group, "GROUP_LEAD");
        Fixtures.lead(group, lead);
        Person patron = Fixtures.person("esc-patron", null, "LEADER");
        QuarkusTransaction.requiringNew().run(() -> WorkingGroup.update("patronId = ?1 where id = ?2", patron.id, group.id));
        Person cadre = Fixtures.person("esc-cadre", group, "CADRE");
        TestClock.set(OverdueWatchTest.shanghai("2032-03-01T10:00:00"));
        List<String> ids = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", "2032-W10", "lines", List.of(
                        Map.of("title", "督办一（测试）", "groupId", group.id, "dueDate", "2032-03-03", "assigneeId", cadre.id),
                        Map.of("title", "督办二（测试）", "groupId", group.id, "dueDate", "2032-03-08", "assigneeId", cadre.id))))
                .post("/api/v1/dispatches").then().statusCode(201).extract().jsonPath().getList("tasks.id", String.class);
        String first = ids.get(0);
        String second = ids.get(1);
        TestClock.set(OverdueWatchTest.shanghai("2032-03-11T09:00:00"));
        watch.scan(OverdueWatchTest.shanghai("2032-03-11T09:00:00"));   // 8 days overdue → level 3; 3 days → level 2

        JsonPath leader = list(Demo.token("leader"));
        int a = indexOf(leader, first);
        int b = indexOf(leader, second);
        assertTrue(a >= 0 && b > a, "both listed, the higher level first");
        assertEquals(3, leader.getInt("[" + a + "].level"));
        assertEquals(Demo.person("leader").id.toString(), leader.getString("[" + a + "].targetPersonId"));
        assertEquals(8, leader.getInt("[" + a + "].daysOverdue"));
        assertEquals(2, leader.getInt("[" + b + "].level"));
        assertEquals(patron.id.toString(), leader.getString("[" + b + "].targetPersonId"));
        List<Integer> levels = leader.getList("level", Integer.class);
        for (int i = 1; i < levels.size(); i++) {
            assertTrue(levels.get(i - 1) >= levels.get(i), "highest level first");
        }
        assertEquals(List.of(first, second), list(Fixtures.tokenOf(lead)).getList("task.id", String.class), "the group lead sees their group's");
        assertEquals(-1, indexOf(list(Demo.token("cy-lead")), first), "another group's lead does not");
        given().auth().oauth2(Fixtures.tokenOf(cadre)).when().get("/api/v1/escalations").then().statusCode(403);

        given().auth().oauth2(Fixtures.tokenOf(cadre)).header("If-Match", "*").post("/api/v1/tasks/" + first + "/accept").then().statusCode(200);
        given().auth().oauth2(Fixtures.tokenOf(cadre)).contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("note", "已整改（测试）"))
                .post("/api/v1/tasks/" + first + "/submit").then().statusCode(200);
        JsonPath after = list(Demo.token("office"));
        assertEquals(-1, indexOf(after, first), "a submitted task leaves the list");
        assertFalse(indexOf(after, second) < 0);
    }
}
