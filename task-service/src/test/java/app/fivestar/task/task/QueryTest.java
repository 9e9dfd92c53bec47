package app.fivestar.task.task;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import app.fivestar.task.task.Weeks;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class QueryTest {

    static final String WEEK = "2030-W10";

    static List<String> dispatch(int n, String code, UUID assignee) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> line = new java.util.HashMap<>(Map.of("catalogCode", code, "groupId", Demo.ST_GROUP,
                    "dueDate", LocalDate.now().plusDays(3).toString()));
            if (assignee != null) {
                line.put("assigneeId", assignee);
            }
            lines.add(line);
        }
        return given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", WEEK, "lines", lines)).when().post("/api/v1/dispatches")
                .then().statusCode(201).extract().jsonPath().getList("tasks.id", String.class);
    }

    @Test
    void cursorPagesNeitherRepeatNorSkipWhileTasksAreAdded() {
        Set<String> original = new HashSet<>(dispatch(12, "ST-11", null));
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = given().auth().oauth2(Demo.token("leader")).queryParam("week", WEEK).queryParam("limit", 5)
                    .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                    .when().get("/api/v1/tasks").then().statusCode(200).extract().jsonPath();
            for (String id : page.getList("items.id", String.class)) {
                assertTrue(seen.add(id), "no task appears twice");
            }
            if (pages++ == 0) {
                dispatch(3, "ST-11", null); // inserted while the client pages
            }
            cursor = page.getString("nextCursor");
        } while (cursor != null && pages < 20);
        assertTrue(seen.containsAll(original), "every task that existed when paging started is seen");
        given().auth().oauth2(Demo.token("leader")).queryParam("limit", 500).when().get("/api/v1/tasks").then().statusCode(400);
        given().auth().oauth2(Demo.token("leader")).queryParam("cursor", "garbage!").when().get("/api/v1/tasks").then().statusCode(400);
    }

    @Test
    void sortDueListsTheEarliestDueFirstAcrossPagesAndCursorsKeepToTheirOrder() {
        String week = "2030-W11";
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int days : new int[] {5, 2, 9, 2, 7, 1, 5, 3}) {
            lines.add(Map.of("catalogCode", "ST-13", "groupId", Demo.ST_GROUP, "dueDate", LocalDate.now().plusDays(days).toString()));
        }
        List<String> ids = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", week, "lines", lines)).when().post("/api/v1/dispatches")
                .then().statusCode(201).extract().jsonPath().getList("tasks.id", String.class);
        List<String> seen = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        String cursor = null;
        String newestCursor = null;
        do {
            var page = given().auth().oauth2(Demo.token("leader")).queryParam("week", week).queryParam("sort", "due").queryParam("limit", 3)
                    .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                    .when().get("/api/v1/tasks").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.id", String.class));
            List<String> dues = page.getList("items.dueDate", String.class);
            List<String> pageIds = page.getList("items.id", String.class);
            for (int i = 0; i < dues.size(); i++) {
                keys.add(dues.get(i) + " " + pageIds.get(i));
            }
            cursor = page.getString("nextCursor");
            if (newestCursor == null) {
                newestCursor = given().auth().oauth2(Demo.token("leader")).queryParam("week", week).queryParam("limit", 3)
                        .when().get("/api/v1/tasks").then().statusCode(200).extract().path("nextCursor");
                if (cursor != null) {
                    // a cursor belongs to its order
                    given().auth().oauth2(Demo.token("leader")).queryParam("week", week).queryParam("cursor", cursor)
                            .when().get("/api/v1/tasks").then().statusCode(400);
                    given().auth().oauth2(Demo.token("leader")).queryParam("week", week).queryParam("sort", "due").queryParam("cursor", newestCursor)
                            .when().get("/api/v1/tasks").then().statusCode(400);
                }
            }
        } while (cursor != null && seen.size() < 50);
        assertEquals(new HashSet<>(ids), new HashSet<>(seen), "every task once");
        assertEquals(ids.size(), seen.size(), "no task twice");
        List<String> sorted = new ArrayList<>(keys);
        java.util.Collections.sort(sorted);   // ISO dates and lower-case UUIDs sort as the service orders them
        assertEquals(sorted, keys, "earliest due first, then by id");
        // an overdue list comes earliest due first unless asked otherwise: its cursor is a due-order one
        String overdueCursor = given().auth().oauth2(Demo.token("leader")).queryParam("overdue", false).queryParam("week", week).queryParam("limit", 1)
                .when().get("/api/v1/tasks").then().statusCode(200).extract().path("nextCursor");
        given().auth().oauth2(Demo.token("leader")).queryParam("overdue", true).queryParam("cursor", overdueCursor)
                .when().get("/api/v1/tasks").then().statusCode(400);
        given().auth().oauth2(Demo.token("leader")).queryParam("overdue", true).queryParam("sort", "newest").queryParam("cursor", overdueCursor)
                .when().get("/api/v1/tasks").then().statusCode(200);
        given().auth().oauth2(Demo.token("leader")).queryParam("sort", "oldest").when().get("/api/v1/tasks").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("newest（最新）、due（按期限）或 submitted（按提交时间）"));
    }

    @Test
    void filtersNarrowTheListAndOverdueMeansPastDueAndStillOpen() {
        List<String> ids = dispatch(2, "ST-12", Demo.ST_CADRE);
        QuarkusTransaction.requiringNew().run(() -> Task.update("dueDate = ?1 where id = ?2", LocalDate.now().minusDays(2), UUID.fromString(ids.get(0))));
        given().auth().oauth2(Demo.token("leader")).queryParam("overdue", true).queryParam("week", WEEK).queryParam("limit", 200)
                .when().get("/api/v1/tasks").then().statusCode(200)
                .body("items.id", hasItem(ids.get(0))).body("items.id", not(hasItem(ids.get(1))))
                .body("items.overdue", everyItem(equalTo(true)));
        given().auth().oauth2(Demo.token("leader")).queryParam("star", "ST").queryParam("status", "ASSIGNED").queryParam("assigneeId", Demo.ST_CADRE)
                .queryParam("limit", 200).when().get("/api/v1/tasks").then().statusCode(200)
                .body("items.star", everyItem(equalTo("ST"))).body("items.assigneeId", everyItem(equalTo(Demo.ST_CADRE.toString())));
    }

    @Test
    void aPhoneSyncsOnlyWhatChangedAndWhatLeftItsList() {
        String cadre = Demo.token("st-cadre");
        List<String> ids = dispatch(3, "ST-13", Demo.ST_CADRE);
        var full = given().auth().oauth2(cadre).when().get("/api/v1/me/tasks").then().statusCode(200)
                .body("full", equalTo(true)).extract().jsonPath();
        assertTrue(full.getList("changed.id", String.class).containsAll(ids));
        String token = full.getString("syncToken");

        given().auth().oauth2(cadre).when().get("/api/v1/me/tasks?since=" + token).then().statusCode(200)
                .body("changed.id", not(hasItem(ids.get(0)))).body("removed.size()", equalTo(0));

        // one accepted by the cadre, one cancelled by the office, one handed to the other cadre by the lead
        given().auth().oauth2(cadre).header("If-Match", etag(ids.get(0))).post("/api/v1/tasks/" + ids.get(0) + "/accept").then().statusCode(200);
        given().auth().oauth2(Demo.token("office")).header("If-Match", etag(ids.get(1))).contentType(ContentType.JSON).body(Map.of("reason", "重复"))
                .post("/api/v1/tasks/" + ids.get(1) + "/cancel").then().statusCode(200);
        given().auth().oauth2(Demo.token("st-lead")).header("If-Match", etag(ids.get(2))).contentType(ContentType.JSON)
                .body(Map.of("assigneeId", Demo.person("st-cadre2").id)).post("/api/v1/tasks/" + ids.get(2) + "/assign").then().statusCode(200);

        var delta = given().auth().oauth2(cadre).when().get("/api/v1/me/tasks?since=" + token).then().statusCode(200)
                .body("full", equalTo(false)).extract().jsonPath();
        assertEquals(List.of(ids.get(0)), delta.getList("changed.id", String.class));
        assertEquals(Set.of(ids.get(1), ids.get(2)), new HashSet<>(delta.getList("removed", String.class)));
        given().auth().oauth2(cadre).when().get("/api/v1/me/tasks?since=nonsense").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aFirstSyncOfALongListComesInPagesThatTogetherAreTheList() {
        String cadre = Demo.token("st-cadre");
        List<String> ids = dispatch(7, "ST-14", Demo.ST_CADRE);
        var whole = given().auth().oauth2(cadre).when().get("/api/v1/me/tasks").then().statusCode(200).body("more", equalTo(false))
                .extract().jsonPath();
        Set<String> everything = new HashSet<>(whole.getList("changed.id", String.class));
        assertTrue(everything.containsAll(ids));
        // the same list three at a time: each answer at most three, `more` until the last, the union the whole list
        Set<String> union = new HashSet<>();
        String token = null;
        int answers = 0;
        boolean more;
        do {
            var page = given().auth().oauth2(cadre).queryParam("limit", 3).queryParams(token == null ? Map.of() : Map.of("since", token))
                    .when().get("/api/v1/me/tasks").then().statusCode(200).extract().jsonPath();
            List<String> changed = page.getList("changed.id", String.class);
            assertTrue(changed.size() <= 3, "a page holds at most the limit");
            union.addAll(changed);
            more = page.getBoolean("more");
            assertEquals(answers == 0, page.getBoolean("full"));
            token = page.getString("syncToken");
            answers++;
        } while (more);
        assertEquals(everything, union);
        assertTrue(answers >= 3, "at least " + everything.size() + " tasks in pages of three: " + answers);
        // the last token continues as any delta: nothing new since
        given().auth().oauth2(cadre).queryParam("since", token).when().get("/api/v1/me/tasks").then().statusCode(200)
                .body("changed.size()", equalTo(0)).body("more", equalTo(false));
        given().auth().oauth2(cadre).queryParam("limit", 501).when().get("/api/v1/me/tasks").then().statusCode(400);
    }

    @Test
    void aPhoneListsOnlyItsOwnTasksAndClaimsTheGroupsUnassignedOnesOneCadreAtATime() {
        String cadre = Demo.token("st-cadre");
        String cadre2 = Demo.token("st-cadre2");
        List<String> unassigned = dispatch(2, "ST-13", null);
        List<String> mine = dispatch(1, "ST-14", Demo.ST_CADRE);
        var full = given().auth().oauth2(cadre).when().get("/api/v1/me/tasks").then().statusCode(200).extract().jsonPath();
        String token = full.getString("syncToken");
        List<String> synced = full.getList("changed.id", String.class);
        assertTrue(synced.containsAll(mine));
        assertTrue(unassigned.stream().noneMatch(synced::contains), "the group's unassigned tasks are not on a cadre's phone list");
        // every row of a phone's list is the cadre's own
        Set<String> assignees = new HashSet<>();
        for (String id : synced) {
            assignees.add(given().auth().oauth2(Demo.token("office")).get("/api/v1/tasks/" + id).then().extract().path("assigneeId"));
        }
        assertEquals(Set.of(Demo.ST_CADRE.toString()), assignees);

        // 待认领: the group's unassigned ones, earliest due first, paged
        Set<String> claimable = new HashSet<>();
        String cursor = null;
        do {
            var page = given().auth().oauth2(cadre).queryParam("limit", 50).queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                    .when().get("/api/v1/me/claimable").then().statusCode(200).extract().jsonPath();
            claimable.addAll(page.getList("items.id", String.class));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertTrue(claimable.containsAll(unassigned));
        assertTrue(mine.stream().noneMatch(claimable::contains));

        // two cadres claim the same task with the same ETag: one gets it, the other 412; with a fresh ETag 409
        String task = unassigned.get(0);
        String tag = etag(task);
        given().auth().oauth2(cadre).header("If-Match", tag).header("Idempotency-Key", UUID.randomUUID().toString())
                .post("/api/v1/tasks/" + task + "/claim").then().statusCode(200).body("assigneeId", equalTo(Demo.ST_CADRE.toString()));
        given().auth().oauth2(cadre2).header("If-Match", tag).post("/api/v1/tasks/" + task + "/claim").then().statusCode(412);
        given().auth().oauth2(cadre2).header("If-Match", etag(task)).post("/api/v1/tasks/" + task + "/claim").then().statusCode(409)
                .contentType("application/problem+json");
        given().auth().oauth2(cadre).post("/api/v1/tasks/" + unassigned.get(1) + "/claim").then().statusCode(428);
        given().auth().oauth2(Demo.token("office")).header("If-Match", etag(unassigned.get(1))).post("/api/v1/tasks/" + unassigned.get(1) + "/claim")
                .then().statusCode(403);
        // the claimed task arrives on the claimer's phone with the next sync, and leaves the claimable list
        var delta = given().auth().oauth2(cadre).get("/api/v1/me/tasks?since=" + token).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(task), delta.getList("changed.id", String.class));
        given().auth().oauth2(cadre2).get("/api/v1/me/claimable?limit=200").then().statusCode(200).body("items.id", not(hasItem(task)));
    }

    @Test
    void aSyncedTaskCarriesWhatItsPageShowsOffline() {
        String cadre = Demo.token("st-cadre");
        String id = dispatch(1, "ST-13", Demo.ST_CADRE).get(0);
        given().auth().oauth2(cadre).header("If-Match", etag(id)).post("/api/v1/tasks/" + id + "/start").then().statusCode(200);
        var full = given().auth().oauth2(cadre).get("/api/v1/me/tasks").then().statusCode(200).extract().jsonPath();
        String at = "changed.find { it.id == '" + id + "' }.";
        assertEquals("ST", full.getString(at + "star"));
        assertEquals(3, full.getInt(at + "minPhotos"));
        assertTrue(full.getBoolean(at + "noteRequired"));
        assertEquals(etag(id), full.getString(at + "etag"));
        assertEquals(List.of("create", "start"), full.getList(at + "history.action", String.class));
        assertEquals(null, full.getString(at + "returnReason"));

        // a free-title task (no catalogue requirements) closed and sent back: the office's reason travels with it
        String free = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", WEEK, "lines", List.of(Map.of("title", "临时排查（测试）", "groupId", Demo.ST_GROUP,
                        "dueDate", LocalDate.now().plusDays(3).toString(), "assigneeId", Demo.ST_CADRE))))
                .post("/api/v1/dispatches").then().statusCode(201).extract().path("tasks[0].id");
        given().auth().oauth2(cadre).header("If-Match", etag(free)).post("/api/v1/tasks/" + free + "/start").then().statusCode(200);
        given().auth().oauth2(cadre).header("If-Match", etag(free)).contentType(ContentType.JSON).body(Map.of("note", "已排查"))
                .post("/api/v1/tasks/" + free + "/submit").then().statusCode(200);
        given().auth().oauth2(Demo.token("office")).header("If-Match", etag(free)).contentType(ContentType.JSON).body(Map.of("reason", "照片看不清"))
                .post("/api/v1/tasks/" + free + "/return").then().statusCode(200);
        var again = given().auth().oauth2(cadre).get("/api/v1/me/tasks").then().statusCode(200).extract().jsonPath();
        String f = "changed.find { it.id == '" + free + "' }.";
        assertEquals("RETURNED", again.getString(f + "status"));
        assertEquals("照片看不清", again.getString(f + "returnReason"));
        assertEquals(0, again.getInt(f + "minPhotos"));
        assertEquals(List.of("create", "start", "submit", "return"), again.getList(f + "history.action", String.class));
    }

    static String etag(String id) {
        return given().auth().oauth2(Demo.token("office")).when().get("/api/v1/tasks/" + id).then().extract().header("ETag");
    }
}
