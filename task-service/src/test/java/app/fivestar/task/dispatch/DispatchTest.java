package app.fivestar.task.dispatch;

import app.fivestar.task.task.Weeks;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.ContractValidator;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.EventCapture;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class DispatchTest {

    static final String WEEK = Weeks.of(LocalDate.now().plusDays(1));

    Map<String, Object> week(Object... lines) {
        return Map.of("week", WEEK, "lines", List.of(lines));
    }

    Map<String, Object> catalogueLine(String code, UUID assignee) {
        return assignee == null ? Map.of("catalogCode", code, "groupId", Demo.ST_GROUP, "dueDate", due())
                : Map.of("catalogCode", code, "groupId", Demo.ST_GROUP, "dueDate", due(), "assigneeId", assignee);
    }

    static String due() {
        return LocalDate.now().plusDays(6).toString();
    }

    @Test
    void aWeeksDispatchCreatesEveryTaskAndFansOutToTheVillagesOfATown() {
        UUID town = Demo.townId("T02");
        var body = week(catalogueLine("ST-01", Demo.ST_CADRE),
                Map.of("title", "清理村内残垣断壁（测试）", "groupId", Demo.ST_GROUP, "dueDate", due(), "fanOut", Map.of("townId", town)));
        try (EventCapture capture = EventCapture.on(Topics.TASK_EVENTS)) {
            var response = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                    .body(body).when().post("/api/v1/dispatches")
                    .then().statusCode(201)
                    .body("tasks", hasSize(21))
                    .body("tasks[0].code", equalTo("ST-01"))
                    .body("tasks[0].star", equalTo("ST"))
                    .body("tasks[0].status", equalTo("ASSIGNED"))
                    .body("progress.total", equalTo(21))
                    .extract();
            List<String> ids = response.jsonPath().getList("tasks.id", String.class);
            Set<String> villages = response.jsonPath().getList("tasks.findAll { it.villageId != null }.villageId", String.class).stream().collect(Collectors.toSet());
            assertEquals(20, villages.size());
            assertEquals(Set.of(town.toString()), new java.util.HashSet<>(response.jsonPath().getList("tasks.findAll { it.villageId != null }.townId", String.class)),
                    "each village's task is in the village's town");
            List<CloudEvent> events = await().atMost(Duration.ofSeconds(20)).until(() -> capture.events().stream()
                    .filter(e -> ids.contains(e.subject())).toList(), l -> l.size() == 21);
            for (CloudEvent e : events) {
                assertEquals("task.assigned.v1", e.type());
                assertEquals(List.of(), ContractValidator.problems(e));
                assertEquals(WEEK, e.text("week"));
            }
            String dispatchId = response.path("id");
            given().auth().oauth2(Demo.token("leader")).when().get("/api/v1/dispatches/" + dispatchId)
                    .then().statusCode(200).body("progress.byStatus.ASSIGNED", equalTo(21)).body("progress.completionPercent", equalTo(0.0f));
            given().auth().oauth2(Demo.token("leader")).when().get("/api/v1/dispatches?week=" + WEEK + "&limit=200")
                    .then().statusCode(200).body("items.id", hasItems(dispatchId));
        }
    }

    @Test
    void aFanOutGivesEachVillagesTaskToTheGroupsCadreWhoFollowsThatVillage() {
        var cadre = Demo.person("st-cadre");
        var cadre2 = Demo.person("st-cadre2");
        // who follows which village: the group's active cadres, the first by username where several follow one
        Map<UUID, UUID> follower = new java.util.HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> app.fivestar.task.directory.Person.<app.fivestar.task.directory.Person>list(
                        "groupId = ?1 and active = true order by username", Demo.ST_GROUP).stream()
                .filter(p -> p.roleSet().contains("CADRE")).forEach(p -> p.villageIds.forEach(v -> follower.putIfAbsent(v, p.id))));
        assertEquals(cadre.id, follower.get(cadre.villageIds.iterator().next()));
        var response = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(week(Map.of("title", "入户走访（测试）", "groupId", Demo.ST_GROUP, "dueDate", due(), "fanOut", Map.of("allVillages", true))))
                .when().post("/api/v1/dispatches").then().statusCode(201).extract().jsonPath();
        List<Map<String, String>> tasks = response.getList("tasks");
        assertEquals(200, tasks.size());
        int unassigned = 0;
        for (Map<String, String> t : tasks) {
            UUID village = UUID.fromString(t.get("villageId"));
            UUID expected = follower.get(village);
            assertEquals(expected == null ? null : expected.toString(), t.get("assigneeId"), "the task of village " + village);
            unassigned += expected == null ? 1 : 0;
        }
        assertEquals(200 - follower.size(), unassigned, "only villages nobody of the group follows stay for the lead to split");
        assertTrue(follower.size() >= 10, "the demo's two cadres follow five villages each");
        // a line naming its assignee keeps that one for every village
        given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(week(Map.of("title", "入户走访二（测试）", "groupId", Demo.ST_GROUP, "dueDate", due(), "assigneeId", cadre2.id,
                        "fanOut", Map.of("villageIds", List.copyOf(cadre.villageIds)))))
                .when().post("/api/v1/dispatches").then().statusCode(201).body("tasks.assigneeId", org.hamcrest.Matchers.everyItem(equalTo(cadre2.id.toString())));
    }

    @Test
    void aGroupLeadSeesOnlyTheirGroupsTasksOfADispatchAndNoOtherGroupsDispatch() {
        UUID cy = Demo.groupId("G-CY");
        String id = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(week(Map.of("title", "生态专班的事（测试）", "groupId", Demo.ST_GROUP, "dueDate", due()),
                        Map.of("title", "产业专班的事（测试）", "groupId", cy, "dueDate", due())))
                .post("/api/v1/dispatches").then().statusCode(201).body("tasks", hasSize(2)).extract().path("id");
        given().auth().oauth2(Demo.token("st-lead")).get("/api/v1/dispatches/" + id).then().statusCode(200)
                .body("tasks.title", equalTo(List.of("生态专班的事（测试）"))).body("progress.total", equalTo(1));
        given().auth().oauth2(Demo.token("cy-lead")).get("/api/v1/dispatches/" + id).then().statusCode(200)
                .body("tasks.title", equalTo(List.of("产业专班的事（测试）"))).body("progress.total", equalTo(1));
        given().auth().oauth2(Demo.token("zb-lead")).get("/api/v1/dispatches/" + id).then().statusCode(404);
        given().auth().oauth2(Demo.token("zb-lead")).get("/api/v1/dispatches?week=" + WEEK + "&limit=200").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.not(hasItems(id)));
        given().auth().oauth2(Demo.token("st-lead")).get("/api/v1/dispatches?week=" + WEEK + "&limit=200").then().statusCode(200)
                .body("items.find { it.id == '" + id + "' }.progress.total", equalTo(1));
        given().auth().oauth2(Demo.token("office")).get("/api/v1/dispatches/" + id).then().statusCode(200)
                .body("tasks", hasSize(2)).body("progress.total", equalTo(2));
    }

    @Test
    void theDispatchListComesInPagesNewestFirstEachWithItsProgress() {
        String week = "2031-W07";
        List<String> made = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            made.add(0, given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                    .body(Map.of("week", week, "lines", List.of(Map.of("title", "分页测试" + i, "groupId", Demo.ST_GROUP, "dueDate", due()))))
                    .post("/api/v1/dispatches").then().statusCode(201).extract().<String>path("id"));
        }
        var first = given().auth().oauth2(Demo.token("office")).get("/api/v1/dispatches?week=" + week + "&limit=2").then().statusCode(200)
                .body("items", hasSize(2)).body("items[0].progress.total", equalTo(1)).extract().jsonPath();
        String cursor = first.getString("nextCursor");
        org.junit.jupiter.api.Assertions.assertNotNull(cursor);
        var second = given().auth().oauth2(Demo.token("office")).queryParam("cursor", cursor)
                .get("/api/v1/dispatches?week=" + week + "&limit=2").then().statusCode(200).body("items", hasSize(1))
                .body("nextCursor", org.hamcrest.Matchers.nullValue()).extract().jsonPath();
        List<String> seen = new java.util.ArrayList<>(first.getList("items.id", String.class));
        seen.addAll(second.getList("items.id", String.class));
        assertEquals(made, seen, "every dispatch once, newest first");
        given().auth().oauth2(Demo.token("office")).get("/api/v1/dispatches?limit=0").then().statusCode(400);
        given().auth().oauth2(Demo.token("office")).get("/api/v1/dispatches?cursor=bm9wZQ").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @jakarta.inject.Inject
    jakarta.persistence.EntityManagerFactory emf;

    @Test
    void aPageOfTwentyDispatchesCostsWhatAPageOfTwoDoesNoQueryPerRow() {
        String week = "2031-W09";
        for (int i = 0; i < 21; i++) {
            given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                    .body(Map.of("week", week, "lines", List.of(Map.of("title", "计数" + i, "groupId", Demo.ST_GROUP, "dueDate", due()))))
                    .post("/api/v1/dispatches").then().statusCode(201);
        }
        long two = app.fivestar.platform.testing.StatementCount.of(emf, () -> given().auth().oauth2(Demo.token("st-lead"))
                .get("/api/v1/dispatches?week=" + week + "&limit=2").then().statusCode(200));
        long twenty = app.fivestar.platform.testing.StatementCount.of(emf, () -> given().auth().oauth2(Demo.token("st-lead"))
                .get("/api/v1/dispatches?week=" + week + "&limit=20").then().statusCode(200).body("items", hasSize(20))
                .body("items[0].progress.total", equalTo(1)));
        assertEquals(two, twenty, "statements for a page of 2 and a page of 20");
    }

    @Test
    void replayingTheSameKeyAnswersTheFirstResultAndCreatesNothingMore() {
        String key = UUID.randomUUID().toString();
        var body = week(catalogueLine("ST-02", null));
        String first = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).when().post("/api/v1/dispatches").then().statusCode(201).extract().path("id");
        long tasks = countTasks();
        String second = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).when().post("/api/v1/dispatches").then().statusCode(201)
                .header("Idempotent-Replayed", "true").extract().path("id");
        assertEquals(first, second);
        assertEquals(tasks, countTasks());

        given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(week(catalogueLine("ST-03", null))).when().post("/api/v1/dispatches")
                .then().statusCode(422).contentType("application/problem+json");
        given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON)
                .body(body).when().post("/api/v1/dispatches")
                .then().statusCode(428).contentType("application/problem+json");
    }

    @Test
    void oneBadLineRejectsTheWholeDispatch() {
        long tasks = countTasks();
        UUID otherGroupsCadre = Demo.person("cy-cadre").id;
        given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(week(catalogueLine("ST-04", null), catalogueLine("XX-99", otherGroupsCadre),
                        Map.of("groupId", Demo.ST_GROUP, "dueDate", "2001-01-01")))
                .when().post("/api/v1/dispatches")
                .then().statusCode(422).contentType("application/problem+json")
                .body("violations.field", hasItems("lines[1].catalogCode", "lines[1].assigneeId", "lines[2].title", "lines[2].dueDate"));
        assertEquals(tasks, countTasks());
        given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", "2026-W60", "lines", List.of(catalogueLine("ST-04", null))))
                .when().post("/api/v1/dispatches").then().statusCode(422);
    }

    @Test
    void openTasksAreCarriedForwardAndACatalogueItemIsDispatchedAgainInOneCall() {
        String dispatchId = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(week(catalogueLine("ST-05", null), catalogueLine("ST-06", null))).when().post("/api/v1/dispatches")
                .then().statusCode(201).extract().path("id");
        String next = Weeks.next(WEEK);
        given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", next)).when().post("/api/v1/dispatches/" + dispatchId + "/copy-forward")
                .then().statusCode(201).body("week", equalTo(next)).body("tasks", hasSize(2)).body("tasks.code", hasItems("ST-05", "ST-06"));
        given().auth().oauth2(Demo.token("leader")).when().get("/api/v1/dispatches/" + dispatchId)
                .then().body("progress.byStatus.CANCELLED", equalTo(2));

        given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("fanOut", Map.of("villageIds", List.of(UUID.nameUUIDFromBytes("fivestar-demo:village:T01-V01".getBytes())))))
                .when().post("/api/v1/catalogue/ZB-05/dispatch")
                .then().statusCode(201).body("tasks", hasSize(1)).body("tasks[0].code", equalTo("ZB-05"))
                .body("tasks[0].groupId", equalTo(Demo.groupId("G-ZB").toString()));
    }

    static long countTasks() {
        return QuarkusTransaction.requiringNew().call(() -> app.fivestar.task.task.Task.count());
    }
}
