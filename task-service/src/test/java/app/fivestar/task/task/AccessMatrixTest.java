package app.fivestar.task.task;

import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.EventCapture;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import app.fivestar.task.task.Weeks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every role against every kind of endpoint, on a task of 生态宜居专班 in a village of town T02 assigned to st-cadre.
 * People: office, st-lead / st-cadre (the task's group), cy-lead / cy-cadre (another group), leader,
 * sec-t02 (the task's town), sec-t01 (another town), admin.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class AccessMatrixTest {

    static final List<String> PEOPLE = List.of("office", "st-lead", "st-cadre", "cy-lead", "cy-cadre", "leader", "sec-t02", "sec-t01", "admin");

    record Row(String endpoint, BiFunction<String, String, Integer> call, Map<String, Integer> expected) {
    }

    static Map<String, Integer> expect(int... codes) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < PEOPLE.size(); i++) {
            m.put(PEOPLE.get(i), codes[i]);
        }
        return m;
    }

    static RequestSpecification as(String who) {
        return given().auth().oauth2(Demo.token(who)).contentType(ContentType.JSON);
    }

    static String task() {
        UUID village = UUID.nameUUIDFromBytes("fivestar-demo:village:T02-V03".getBytes(StandardCharsets.UTF_8));
        return as("office").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", Weeks.of(LocalDate.now()), "lines", List.of(Map.of("catalogCode", "ST-23", "groupId", Demo.ST_GROUP,
                        "dueDate", LocalDate.now().plusDays(4).toString(), "assigneeId", Demo.ST_CADRE, "fanOut", Map.of("villageIds", List.of(village))))))
                .post("/api/v1/dispatches").then().statusCode(201).extract().path("tasks[0].id");
    }

    static String etag(String id) {
        return as("office").get("/api/v1/tasks/" + id).then().extract().header("ETag");
    }

    static String submitted() {
        String id = task();
        as("st-cadre").header("If-Match", etag(id)).post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        as("st-cadre").header("If-Match", etag(id)).body(Map.of()).post("/api/v1/tasks/" + id + "/submit").then().statusCode(422);
        return id;
    }

    @Test
    void everyRoleGetsExactlyWhatItMay() {
        //                                          office st-lead st-cadre cy-lead cy-cadre leader sec-t02 sec-t01 admin
        List<Row> rows = List.of(
                new Row("GET /tasks/{id}", (who, id) -> as(who).get("/api/v1/tasks/" + id).statusCode(),
                        expect(200, 200, 200, 404, 404, 200, 200, 404, 200)),
                new Row("GET /tasks/{id}/history", (who, id) -> as(who).get("/api/v1/tasks/" + id + "/history").statusCode(),
                        expect(200, 200, 200, 404, 404, 200, 200, 404, 200)),
                new Row("POST /tasks/{id}/accept", (who, id) -> as(who).header("If-Match", etag(id)).post("/api/v1/tasks/" + id + "/accept").statusCode(),
                        expect(403, 200, 200, 404, 404, 403, 403, 403, 403)),
                new Row("POST /tasks/{id}/cancel", (who, id) -> as(who).header("If-Match", etag(id)).body(Map.of("reason", "x")).post("/api/v1/tasks/" + id + "/cancel").statusCode(),
                        expect(200, 403, 403, 403, 403, 403, 403, 403, 403)),
                new Row("POST /tasks/{id}/assign", (who, id) -> as(who).header("If-Match", etag(id)).body(Map.of("assigneeId", Demo.person("st-cadre2").id))
                        .post("/api/v1/tasks/" + id + "/assign").statusCode(),
                        expect(200, 200, 403, 404, 403, 403, 403, 403, 403)),
                new Row("POST /tasks/{id}/evidence", (who, id) -> given().auth().oauth2(Demo.token(who))
                        .multiPart("file", "p.png", LifecycleTest.PNG, "image/png").post("/api/v1/tasks/" + id + "/evidence").statusCode(),
                        expect(403, 201, 201, 404, 404, 403, 403, 403, 403)),
                new Row("POST /dispatches", (who, id) -> as(who).header("Idempotency-Key", UUID.randomUUID().toString())
                        .body(Map.of("week", Weeks.of(LocalDate.now()), "lines", List.of(Map.of("catalogCode", "ST-24", "groupId", Demo.ST_GROUP,
                                "dueDate", LocalDate.now().plusDays(4).toString())))).post("/api/v1/dispatches").statusCode(),
                        expect(201, 403, 403, 403, 403, 403, 403, 403, 403)),
                new Row("GET /dispatches", (who, id) -> as(who).get("/api/v1/dispatches?week=2001-W01").statusCode(),
                        expect(200, 200, 403, 200, 403, 200, 403, 403, 200)),
                new Row("GET /tasks", (who, id) -> as(who).get("/api/v1/tasks?limit=1").statusCode(),
                        expect(200, 200, 200, 200, 200, 200, 200, 200, 200)),
                new Row("GET /me/tasks", (who, id) -> as(who).get("/api/v1/me/tasks").statusCode(),
                        expect(200, 200, 200, 200, 200, 200, 200, 200, 200)),
                new Row("GET /people", (who, id) -> as(who).get("/api/v1/people").statusCode(),
                        expect(200, 200, 403, 200, 403, 200, 200, 200, 200)),
                new Row("POST /catalogue/import", (who, id) -> given().auth().oauth2(Demo.token(who)).contentType("text/csv")
                        .body("code\n".getBytes(StandardCharsets.UTF_8)).post("/api/v1/catalogue/import").statusCode(),
                        expect(422, 403, 403, 403, 403, 403, 403, 403, 422)),
                new Row("GET /catalogue", (who, id) -> as(who).get("/api/v1/catalogue?star=ZB").statusCode(),
                        expect(200, 200, 200, 200, 200, 200, 200, 200, 200)));
        List<String> mismatches = new ArrayList<>();
        for (Row row : rows) {
            for (String who : PEOPLE) {
                int actual = row.call().apply(who, task());
                if (actual != row.expected().get(who)) {
                    mismatches.add(row.endpoint() + " as " + who + ": expected " + row.expected().get(who) + ", got " + actual);
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void requestBodiesNeverSetServerOwnedFields() {
        as("office").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", Weeks.of(LocalDate.now()), "status", "VERIFIED", "lines", List.of(Map.of("catalogCode", "ST-24",
                        "groupId", Demo.ST_GROUP, "dueDate", LocalDate.now().plusDays(4).toString(), "status", "VERIFIED", "version", 42,
                        "id", UUID.randomUUID().toString()))))
                .post("/api/v1/dispatches").then().statusCode(201)
                .body("tasks[0].status", org.hamcrest.Matchers.equalTo("ASSIGNED"))
                .body("tasks[0].version", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void aVerificationIsTheOfficesAlone() {
        for (String who : PEOPLE) {
            if (!who.equals("office")) {
                String id = submitted();
                int status = as(who).header("If-Match", etag(id)).post("/api/v1/tasks/" + id + "/verify").statusCode();
                assertEquals(true, status == 403 || status == 404, who + " got " + status);
            }
        }
    }

    @Test
    void aCadreOfAnotherGroupChangesNothingAndPublishesNothing() {
        String id = task();
        String before = etag(id);
        try (EventCapture capture = EventCapture.on(Topics.TASK_EVENTS)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> capture.events().stream().anyMatch(e -> id.equals(e.subject())));
            for (String action : List.of("accept", "start", "submit", "extension")) {
                int status = as("cy-cadre").header("If-Match", before)
                        .body(action.equals("extension") ? Map.of("dueDate", LocalDate.now().plusDays(30).toString(), "reason", "x") : Map.of())
                        .post("/api/v1/tasks/" + id + "/" + action).statusCode();
                assertEquals(404, status, action);
            }
            as("cy-cadre").body(Map.of("status", "VERIFIED", "groupId", UUID.randomUUID(), "version", 99))
                    .post("/api/v1/tasks/" + id + "/accept").then().statusCode(404);
            assertEquals(before, etag(id));
            as("office").get("/api/v1/tasks/" + id).then().body("status", org.hamcrest.Matchers.equalTo("ASSIGNED"));
            assertEquals(1, capture.events().stream().filter(e -> id.equals(e.subject())).count(), "only the assigned event");
        }
    }
}
