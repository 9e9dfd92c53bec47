package app.fivestar.task.task;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import app.fivestar.task.tabular.Table;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the office console lists beside the task search: a dispatch preview, pending extensions, the search as Excel, 待销号's order. */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class OfficeListsTest {

    static JsonPath dispatch(String week, List<Map<String, Object>> lines) {
        return given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", week, "lines", lines)).when().post("/api/v1/dispatches").then().statusCode(201).extract().jsonPath();
    }

    static long count(String week) {
        return given().auth().oauth2(Demo.token("leader")).queryParam("week", week).queryParam("limit", 200).when().get("/api/v1/tasks")
                .then().statusCode(200).extract().jsonPath().getList("items").size();
    }

    @Test
    void thePreviewCountsWhatTheDispatchCreatesAndWritesNothing() {
        String week = "2041-W05";
        String due = LocalDate.now().plusDays(5).toString();
        List<Map<String, Object>> lines = List.of(
                Map.of("catalogCode", "ST-13", "groupId", Demo.ST_GROUP, "dueDate", due, "fanOut", Map.of("townId", Demo.townId("T01"))),
                Map.of("title", "一人一事（测试）", "groupId", Demo.ST_GROUP, "dueDate", due, "assigneeId", Demo.ST_CADRE),
                Map.of("title", "全区（测试）", "groupId", Demo.ST_GROUP, "dueDate", due, "fanOut", Map.of("allVillages", true)));
        JsonPath preview = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).body(Map.of("week", week, "lines", lines))
                .when().post("/api/v1/dispatches/preview").then().statusCode(200).extract().jsonPath();
        assertEquals(0, count(week), "a preview writes nothing");
        assertEquals(List.of(20, 1, 200), preview.getList("lines.tasks", Integer.class));
        assertEquals(221, preview.getInt("total"));
        JsonPath created = dispatch(week, lines);
        assertEquals(221, created.getList("tasks").size(), "the dispatch creates what the preview counted");
        long unassigned = created.getList("tasks.assigneeId").stream().filter(a -> a == null).count();
        assertEquals(unassigned, preview.getInt("unassigned"), "and leaves as many unassigned (no cadre follows the village)");
        assertTrue(unassigned > 0 && unassigned < 221);

        // the dispatch's checks, the dispatch's 422; only the office
        given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON)
                .body(Map.of("week", week, "lines", List.of(Map.of("catalogCode", "NOPE-1", "groupId", Demo.ST_GROUP, "dueDate", due))))
                .when().post("/api/v1/dispatches/preview").then().statusCode(422)
                .body("violations[0].field", org.hamcrest.Matchers.equalTo("lines[0].catalogCode"));
        given().auth().oauth2(Demo.token("leader")).contentType(ContentType.JSON).body(Map.of("week", week, "lines", lines))
                .when().post("/api/v1/dispatches/preview").then().statusCode(403);
    }

    @Test
    void pendingExtensionsListEachRequestWithItsTaskForTheOfficeAndTheGroupLeadOfItsGroupOnly() {
        String due = LocalDate.now().plusDays(4).toString();
        JsonPath created = dispatch("2041-W06", List.of(Map.of("title", "延期申请（测试）", "groupId", Demo.ST_GROUP, "dueDate", due,
                "assigneeId", Demo.ST_CADRE)));
        String task = created.getString("tasks[0].id");
        String ask = given().auth().oauth2(Demo.token("st-cadre")).contentType(ContentType.JSON).header("If-Match", "*")
                .body(Map.of("dueDate", LocalDate.now().plusDays(9).toString(), "reason", "连续降雨（测试）"))
                .when().post("/api/v1/tasks/" + task + "/extension").then().statusCode(201).extract().path("id");

        JsonPath office = given().auth().oauth2(Demo.token("office")).when().get("/api/v1/extensions").then().statusCode(200).extract().jsonPath();
        int i = office.getList("id", String.class).indexOf(ask);
        assertTrue(i >= 0, "the office sees the request");
        assertEquals(task, office.getString("[" + i + "].task.id"));
        assertEquals("连续降雨（测试）", office.getString("[" + i + "].reason"));
        assertEquals("PENDING", office.getString("[" + i + "].status"));
        List<String> times = office.getList("requestedAt", String.class);
        List<String> sorted = new ArrayList<>(times);
        java.util.Collections.sort(sorted);
        assertEquals(sorted, times, "the longest-waiting first");
        assertTrue(given().auth().oauth2(Demo.token("st-lead")).when().get("/api/v1/extensions").then().statusCode(200)
                .extract().jsonPath().getList("id", String.class).contains(ask), "the lead of its group sees it");
        assertFalse(given().auth().oauth2(Demo.token("cy-lead")).when().get("/api/v1/extensions").then().statusCode(200)
                .extract().jsonPath().getList("id", String.class).contains(ask), "another group's lead does not");
        given().auth().oauth2(Demo.token("st-cadre")).when().get("/api/v1/extensions").then().statusCode(403);
        given().auth().oauth2(Demo.token("office")).queryParam("status", "MAYBE").when().get("/api/v1/extensions").then().statusCode(400);

        long version = office.getLong("[" + i + "].task.version");
        given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("If-Match", "\"v" + version + "\"").body(Map.of())
                .when().post("/api/v1/tasks/" + task + "/extension/" + ask + "/approve").then().statusCode(200);
        assertFalse(given().auth().oauth2(Demo.token("office")).when().get("/api/v1/extensions").then().statusCode(200)
                .extract().jsonPath().getList("id", String.class).contains(ask), "decided: no longer pending");
        assertTrue(given().auth().oauth2(Demo.token("office")).queryParam("status", "APPROVED").when().get("/api/v1/extensions").then()
                .statusCode(200).extract().jsonPath().getList("id", String.class).contains(ask));
    }

    @Test
    void theSearchExportsAsExcelWithNamesAndTheCallersScope() {
        String week = "2041-W07";
        String due = LocalDate.now().plusDays(6).toString();
        dispatch(week, List.of(
                Map.of("title", "导出（生态）", "groupId", Demo.ST_GROUP, "dueDate", due, "fanOut", Map.of("townId", Demo.townId("T02"))),
                Map.of("title", "导出（产业）", "groupId", Demo.groupId("G-CY"), "dueDate", due)));
        byte[] xlsx = given().auth().oauth2(Demo.token("office")).queryParam("week", week).when().get("/api/v1/tasks/export")
                .then().statusCode(200).contentType(Table.XLSX).extract().asByteArray();
        Table table = Table.readXlsx(xlsx);
        assertEquals(TaskExport.COLUMNS, table.columns());
        assertEquals(21, table.rows().size(), "every task of the search");
        assertEquals(new HashSet<>(List.of("生态宜居专班", "产业兴旺专班")),
                new HashSet<>(table.rows().stream().map(r -> r.get("专班")).toList()));
        Table.Row village = table.rows().stream().filter(r -> r.get("任务").equals("导出（生态）")).findFirst().orElseThrow();
        assertFalse(village.get("村（社区）").isEmpty(), "the village's name, not its id");
        assertEquals("待签收", village.get("状态"));
        assertEquals(due, village.get("期限"));

        Table lead = Table.readXlsx(given().auth().oauth2(Demo.token("cy-lead")).queryParam("week", week).when().get("/api/v1/tasks/export")
                .then().statusCode(200).extract().asByteArray());
        assertEquals(List.of("导出（产业）"), lead.rows().stream().map(r -> r.get("任务")).toList(), "a group lead exports their group's only");
        byte[] csv = given().auth().oauth2(Demo.token("office")).queryParam("week", week).queryParam("format", "csv")
                .when().get("/api/v1/tasks/export").then().statusCode(200).extract().asByteArray();
        assertEquals(21, Table.readCsv(csv).rows().size());
        given().auth().oauth2(Demo.token("st-cadre")).when().get("/api/v1/tasks/export").then().statusCode(403);
        given().auth().oauth2(Demo.token("office")).queryParam("format", "pdf").when().get("/api/v1/tasks/export").then().statusCode(400);
    }

    @Test
    void sortSubmittedListsTheLongestWaitingSubmissionFirstAcrossPages() {
        String week = "2041-W08";
        String due = LocalDate.now().plusDays(6).toString();
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            lines.add(Map.of("title", "待销号 " + n, "groupId", Demo.ST_GROUP, "dueDate", due, "assigneeId", Demo.ST_CADRE));
        }
        List<String> ids = dispatch(week, lines).getList("tasks.id", String.class);
        List<String> order = List.of(ids.get(3), ids.get(0), ids.get(4), ids.get(1));   // ids.get(2) is never submitted
        for (String id : order) {
            given().auth().oauth2(Demo.token("st-cadre")).header("If-Match", "*").when().post("/api/v1/tasks/" + id + "/accept")
                    .then().statusCode(200);
            given().auth().oauth2(Demo.token("st-cadre")).contentType(ContentType.JSON).header("If-Match", "*")
                    .body(Map.of("note", "已完成（测试）")).when().post("/api/v1/tasks/" + id + "/submit").then().statusCode(200);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = given().auth().oauth2(Demo.token("office")).queryParam("week", week).queryParam("status", "SUBMITTED")
                    .queryParam("sort", "submitted").queryParam("limit", 3).queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                    .when().get("/api/v1/tasks").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.id", String.class));
            cursor = page.getString("nextCursor");
        } while (cursor != null && seen.size() < 10);
        assertEquals(order, seen);
        String newest = given().auth().oauth2(Demo.token("office")).queryParam("week", week).queryParam("limit", 1)
                .when().get("/api/v1/tasks").then().extract().path("nextCursor");
        given().auth().oauth2(Demo.token("office")).queryParam("sort", "submitted").queryParam("cursor", newest)
                .when().get("/api/v1/tasks").then().statusCode(400);
    }

    @Test
    void theLightFilterListsExactlyTheTasksOfThatColourTheDashboardsBucketsDrillDownTo() {
        String week = "2041-W09";
        LocalDate today = LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
        app.fivestar.task.TestClock.set(java.time.Instant.now().minus(java.time.Duration.ofDays(10)));
        List<String> ids;
        try {
            ids = dispatch(week, List.of(
                    Map.of("title", "红（测试）", "groupId", Demo.ST_GROUP, "dueDate", today.minusDays(3).toString(), "assigneeId", Demo.ST_CADRE),
                    Map.of("title", "黄（测试）", "groupId", Demo.ST_GROUP, "dueDate", today.toString(), "assigneeId", Demo.ST_CADRE),
                    Map.of("title", "绿（测试）", "groupId", Demo.ST_GROUP, "dueDate", today.plusDays(10).toString(), "assigneeId", Demo.ST_CADRE),
                    Map.of("title", "退回过（测试）", "groupId", Demo.ST_GROUP, "dueDate", today.plusDays(10).toString(), "assigneeId", Demo.ST_CADRE),
                    Map.of("title", "已办结（测试）", "groupId", Demo.ST_GROUP, "dueDate", today.plusDays(10).toString(), "assigneeId", Demo.ST_CADRE)))
                    .getList("tasks.id", String.class);
        } finally {
            app.fivestar.task.TestClock.reset();
        }
        for (String id : List.of(ids.get(3), ids.get(4))) {
            given().auth().oauth2(Demo.token("st-cadre")).header("If-Match", "*").post("/api/v1/tasks/" + id + "/accept").then().statusCode(200);
            given().auth().oauth2(Demo.token("st-cadre")).contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("note", "完成（测试）"))
                    .post("/api/v1/tasks/" + id + "/submit").then().statusCode(200);
        }
        given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("reason", "重做（测试）"))
                .post("/api/v1/tasks/" + ids.get(3) + "/return").then().statusCode(200);
        JsonPath all = given().auth().oauth2(Demo.token("leader")).queryParam("week", week).when().get("/api/v1/tasks").then().statusCode(200)
                .extract().jsonPath();
        Map<String, String> colours = new java.util.HashMap<>();
        for (int i = 0; i < all.getList("items").size(); i++) {
            colours.put(all.getString("items[" + i + "].id"), all.getString("items[" + i + "].light"));
        }
        assertEquals(List.of("RED", "YELLOW", "GREEN", "YELLOW", "GREEN"), ids.stream().map(colours::get).toList());
        for (String light : List.of("RED", "YELLOW", "GREEN")) {
            List<String> listed = given().auth().oauth2(Demo.token("leader")).queryParam("week", week).queryParam("light", light)
                    .when().get("/api/v1/tasks").then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
            assertEquals(colours.entrySet().stream().filter(e -> light.equals(e.getValue())).map(Map.Entry::getKey).collect(java.util.stream.Collectors.toSet()),
                    new HashSet<>(listed), light);
        }
        given().auth().oauth2(Demo.token("leader")).queryParam("light", "BLUE").when().get("/api/v1/tasks").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("GREEN、YELLOW、RED"))
                .contentType("application/problem+json");
    }
}
