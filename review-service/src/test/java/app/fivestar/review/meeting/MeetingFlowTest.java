package app.fivestar.review.meeting;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.ContractValidator;
import app.fivestar.platform.events.EventCodec;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.EventCapture;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestRecords;
import app.fivestar.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "review"))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeetingFlowTest {

    static final UUID GROUP = UUID.fromString("00000000-0000-4000-8000-000000000013");
    static final List<UUID> TOWNS = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    static final List<String> NAMES = List.of("甲镇", "乙镇", "丙镇", "丁镇", "戊镇");
    static final UUID LEADER = UUID.randomUUID();
    static final UUID SCORER1 = UUID.randomUUID();
    static final UUID SCORER2 = UUID.randomUUID();
    static final java.time.ZoneId BEIJING = java.time.ZoneId.of("Asia/Shanghai");
    static EventCapture review;

    static LocalDate today() {
        return LocalDate.now(BEIJING);
    }

    /** A directory event as task-service publishes it: the example with these fields changed. */
    static void directory(String type, String subject, Map<String, Object> fields) {
        ObjectNode data = ContractValidator.examples(type).get(0).deepCopy();
        fields.forEach((k, v) -> data.set(k, EventCodec.mapper().valueToTree(v)));
        CloudEvent e = TestRecords.event("/task-service", type, subject, data);
        assertEquals(List.of(), ContractValidator.problems(e));
        TestRecords.send(Topics.DIRECTORY_EVENTS, e);
    }

    @BeforeAll
    static void towns() {
        review = EventCapture.on(Topics.REVIEW_EVENTS);
        // these five are the only towns this test's rankings know
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> app.fivestar.review.places.KnownTown.deleteAll());
        for (int i = 0; i < TOWNS.size(); i++) {
            Map<String, Object> data = Map.of("townId", TOWNS.get(i), "code", "X0" + i, "name", NAMES.get(i), "kind", "TOWN", "villageCount", 20);
            CloudEvent e = TestRecords.event("/task-service", "directory.town-upserted.v1", TOWNS.get(i).toString(), EventCodec.mapper().valueToTree(data));
            assertEquals(List.of(), ContractValidator.problems(e));
            TestRecords.send(Topics.DIRECTORY_EVENTS, e);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> app.fivestar.review.places.KnownTown.count() == TOWNS.size()));
    }

    static RequestSpecification leader() {
        return given().auth().oauth2(TestTokens.token(LEADER, "leader", Set.of("LEADER"), null, null)).contentType(ContentType.JSON);
    }

    static RequestSpecification as(UUID id, String role, UUID town) {
        return given().auth().oauth2(TestTokens.token(id, role.toLowerCase(), Set.of(role), null, town)).contentType(ContentType.JSON);
    }

    @Test
    void changingTheAttendeesChangesTheMeetingsVersionSoAStalePageCannotOverwriteThem() {
        String id = meeting("出席名单测试例会", "REGULAR", null, LocalDate.now().plusDays(5));
        String before = etag(id);
        String after = leader().header("If-Match", before).body(List.of(Map.of("personId", SCORER1, "attendance", "PRESENT")))
                .put("/api/v1/meetings/" + id + "/attendees").then().statusCode(200).extract().header("ETag");
        org.junit.jupiter.api.Assertions.assertNotEquals(before, etag(id));
        if (after != null) {
            org.junit.jupiter.api.Assertions.assertEquals(etag(id), after, "the answer carries the new ETag");
        }
        leader().header("If-Match", before).body(List.of(Map.of("personId", SCORER1, "attendance", "ABSENT")))
                .put("/api/v1/meetings/" + id + "/attendees").then().statusCode(412);
    }

    @Test
    void everyRoleGetsEveryMeetingExactlyOnceAPageAtATimeLatestFirst() {
        // meetings are the district's: each role gets the same rows, every one of them, in pages
        meeting("分页例会甲", "REGULAR", null, today().plusDays(30));
        meeting("分页例会乙", "REGULAR", null, today().plusDays(30));
        meeting("分页例会丙", "REGULAR", null, today().plusDays(31));
        List<String> all = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> Meeting.<Meeting>listAll().stream()
                .sorted(java.util.Comparator.comparing((Meeting m) -> m.date).thenComparing(m -> m.createdAt).thenComparing(m -> m.id).reversed())
                .map(m -> m.id.toString()).toList());
        List<java.util.function.Supplier<RequestSpecification>> roles = List.of(MeetingFlowTest::leader, () -> as(UUID.randomUUID(), "OFFICE", null),
                () -> as(UUID.randomUUID(), "CADRE", null), () -> as(UUID.randomUUID(), "GROUP_LEAD", null),
                () -> as(UUID.randomUUID(), "TOWN_SECRETARY", TOWNS.get(0)), () -> as(UUID.randomUUID(), "ADMIN", null));
        for (java.util.function.Supplier<RequestSpecification> who : roles) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                var spec = who.get().queryParam("limit", 2);
                if (cursor != null) {
                    spec = spec.queryParam("cursor", cursor);
                }
                var page = spec.get("/api/v1/meetings").then().statusCode(200).extract().jsonPath();
                List<String> ids = page.getList("items.id", String.class);
                assertTrue(ids.size() <= 2);
                seen.addAll(ids);
                cursor = page.getString("nextCursor");
            } while (cursor != null);
            assertEquals(all, seen);
        }
        leader().get("/api/v1/meetings?limit=201").then().statusCode(400);
        leader().get("/api/v1/meetings?cursor=x").then().statusCode(400);
    }

    @jakarta.inject.Inject
    jakarta.persistence.EntityManagerFactory emf;

    @Test
    void aPageOfTwentyMeetingsCostsWhatAPageOfTwoDoesNoQueryPerRow() {
        for (int i = 0; i < 21; i++) {
            String id = meeting("计数回头看" + i, "LOOK_BACK", null, today().plusDays(200 + i));
            leader().header("If-Match", "*").body(List.of(Map.of("personId", SCORER1, "attendance", "PRESENT")))
                    .put("/api/v1/meetings/" + id + "/attendees").then().statusCode(200);
        }
        long two = app.fivestar.platform.testing.StatementCount.of(emf, () -> leader().get("/api/v1/meetings?type=LOOK_BACK&limit=2").then().statusCode(200));
        long twenty = app.fivestar.platform.testing.StatementCount.of(emf, () -> leader().get("/api/v1/meetings?type=LOOK_BACK&limit=20").then()
                .statusCode(200).body("items", hasSize(20)).body("items[0].attendees", hasSize(1)));
        assertEquals(two, twenty, "statements for a page of 2 and a page of 20");
    }

    @Test
    void aNulCharacterInATextIsABadRequestNamingTheFieldNotAServerError() {
        leader().body("{\"title\":\"例会\\u0000\",\"type\":\"REGULAR\",\"date\":\"" + LocalDate.now().plusDays(3) + "\"}")
                .post("/api/v1/meetings").then().statusCode(400).contentType("application/problem+json").body("violations[0].field", equalTo("title"));
    }

    static String meeting(String title, String type, String star, LocalDate date) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("title", title, "type", type, "date", date.toString()));
        if (star != null) {
            body.put("star", star);
        }
        return leader().body(body).post("/api/v1/meetings").then().statusCode(201).body("status", equalTo("DRAFT")).extract().path("id");
    }

    static String etag(String id) {
        return leader().get("/api/v1/meetings/" + id).then().statusCode(200).extract().header("ETag");
    }

    static void move(String id, String action) {
        leader().header("If-Match", etag(id)).post("/api/v1/meetings/" + id + "/" + action).then().statusCode(200);
    }

    static void task(String type, String taskId, UUID actionItem, UUID town, String star, Map<String, Object> extra) {
        ObjectNode data = ContractValidator.examples(type).get(0).deepCopy();
        data.put("taskId", taskId);
        data.put("groupId", GROUP.toString());
        data.put("star", star);
        data.set("actionItemId", actionItem == null ? null : EventCodec.mapper().valueToTree(actionItem.toString()));
        data.set("townId", town == null ? null : EventCodec.mapper().valueToTree(town.toString()));
        extra.forEach((k, v) -> data.set(k, EventCodec.mapper().valueToTree(v)));
        CloudEvent e = new CloudEvent("1.0", UUID.randomUUID(), "/task-service", type, OffsetDateTime.now(ZoneOffset.UTC), taskId, "application/json", data);
        assertEquals(List.of(), ContractValidator.problems(e));
        TestRecords.send(Topics.TASK_EVENTS, e);
    }

    @Test
    @Order(1)
    void aMeetingMovesThroughItsLifecycleAndAClosedOneTakesOnlyJournalledCorrections() {
        String id = meeting("十月例会", "REGULAR", null, LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(40));
        leader().body(Map.of("text", "x", "actionItems", List.of())).post("/api/v1/meetings/" + id + "/decisions").then().statusCode(409)
                .body("currentState", equalTo("DRAFT"));
        leader().post("/api/v1/meetings/" + id + "/open").then().statusCode(428);
        leader().header("If-Match", "\"v99\"").post("/api/v1/meetings/" + id + "/open").then().statusCode(412);
        leader().header("If-Match", etag(id)).post("/api/v1/meetings/" + id + "/close").then().statusCode(409).body("allowedTransitions", hasItems("open"));
        move(id, "open");
        move(id, "start");
        leader().header("If-Match", etag(id)).body(List.of(Map.of("personId", SCORER1, "attendance", "PRESENT"))).put("/api/v1/meetings/" + id + "/attendees")
                .then().statusCode(200).body("attendees", hasSize(1));
        move(id, "close");
        leader().header("If-Match", etag(id)).body(Map.of("minutes", "改")).put("/api/v1/meetings/" + id).then().statusCode(409);
        leader().header("If-Match", etag(id)).body(Map.of("minutes", "补记纪要", "correction", "补记遗漏事项")).put("/api/v1/meetings/" + id)
                .then().statusCode(200).body("minutes", equalTo("补记纪要"));
        // the journal shows every move and the correction with its reason and the text before and after
        var journal = leader().get("/api/v1/meetings/" + id + "/journal").then().statusCode(200).extract().jsonPath();
        List<String> actions = journal.getList("action", String.class);
        assertEquals(List.of("create", "open", "in_progress", "attendees", "closed", "correct-minutes"), actions);
        int correction = actions.indexOf("correct-minutes");
        assertEquals(actions.size() - 1, correction, "the correction is the last line: " + actions);
        assertEquals("补记遗漏事项", journal.getString("[" + correction + "].note"));
        assertEquals("补记纪要", journal.getString("[" + correction + "].newValue"));
        leader().get("/api/v1/meetings/" + UUID.randomUUID() + "/journal").then().statusCode(404);
        leader().body(Map.of("title", "", "type", "OBSERVATION", "date", "2026-11-28")).post("/api/v1/meetings").then().statusCode(400);
        leader().body(Map.of("title", "观摩", "type", "OBSERVATION", "date", "2026-11-28")).post("/api/v1/meetings").then().statusCode(422);
        as(UUID.randomUUID(), "CADRE", null).body(Map.of("title", "越权", "type", "REGULAR", "date", "2026-11-28")).post("/api/v1/meetings").then().statusCode(403);
    }

    @Test
    @Order(2)
    void aDecisionsActionItemsArePublishedAndTheNextMeetingsBriefingShowsHowTheyWent() {
        String first = meeting("上月例会", "REGULAR", null, LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(20));
        move(first, "open");
        move(first, "start");
        // an action item due before today (Beijing) would be overdue the moment it became a task: 422, nothing recorded
        leader().body(Map.of("text", "补办事项", "actionItems", List.of(
                        Map.of("title", "今天到期", "groupId", GROUP, "dueDate", today().toString()),
                        Map.of("title", "昨天就到期", "groupId", GROUP, "dueDate", today().minusDays(1).toString()))))
                .post("/api/v1/meetings/" + first + "/decisions").then().statusCode(422).contentType("application/problem+json")
                .body("violations.field", equalTo(List.of("actionItems[1].dueDate")))
                .body("violations[0].message", containsString("不能早于今天"));
        leader().get("/api/v1/meetings/" + first + "/decisions").then().body("", hasSize(0));
        List<String> items = leader().body(Map.of("text", "加快坑塘整治", "actionItems", List.of(
                        Map.of("title", "完成坑塘清理", "groupId", GROUP, "dueDate", today().toString()),
                        Map.of("title", "建立管护台账", "groupId", GROUP, "dueDate", today().plusDays(2).toString()))))
                .post("/api/v1/meetings/" + first + "/decisions").then().statusCode(201).body("actionItems", hasSize(2))
                .extract().jsonPath().getList("actionItems.id", String.class);
        List<CloudEvent> published = await().atMost(Duration.ofSeconds(20)).until(() -> review.events().stream()
                .filter(e -> e.type().equals("review.action-item-created.v1") && first.equals(e.subject())).toList(), l -> l.size() == 2);
        published.forEach(e -> assertEquals(List.of(), ContractValidator.problems(e)));
        published.forEach(e -> assertEquals(today().minusDays(20).toString(), e.text("meetingDate"), "task-service files the task under the meeting's week"));
        move(first, "close");

        // task-service made tasks of them: one was verified on time, the other's due date was moved back and it is still open past it
        String t1 = UUID.randomUUID().toString();
        String t2 = UUID.randomUUID().toString();
        task("task.assigned.v1", t1, UUID.fromString(items.get(0)), TOWNS.get(0), "ST", Map.of("status", "ASSIGNED", "dueDate", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(5).toString()));
        task("task.assigned.v1", t2, UUID.fromString(items.get(1)), TOWNS.get(1), "ST", Map.of("status", "ASSIGNED", "dueDate", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(3).toString()));
        task("task.verified.v1", t1, UUID.fromString(items.get(0)), TOWNS.get(0), "ST", Map.of("status", "VERIFIED", "onTime", true,
                "dueDate", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(5).toString()));

        String next = meeting("本月例会", "REGULAR", null, LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> leader().get("/api/v1/meetings/" + next + "/briefing").then().statusCode(200)
                .body("previousMeetingId", equalTo(first))
                .body("previousActionItems.find { it.title == '完成坑塘清理' }.outcome", equalTo("CARRIED_OUT"))
                .body("previousActionItems.find { it.title == '建立管护台账' }.outcome", equalTo("LATE"))
                .body("previousActionItems.find { it.title == '建立管护台账' }.outcomeLabel", equalTo("逾期"))
                .body("byTown.甲镇.verified", equalTo(1))
                .body("byTown.乙镇.overdue", equalTo(1)));
        leader().get("/api/v1/meetings/" + first + "/decisions").then().body("[0].actionItems.find { it.title == '完成坑塘清理' }.taskStatus", equalTo("VERIFIED"));
    }

    @Test
    @Order(2)
    void aBriefingCountsItsWindowFromThePreviousMeetingsDayAndOverdueAsTaskServiceDoesNamingEveryGroup() {
        UUID busy = UUID.randomUUID();
        UUID idle = UUID.randomUUID();
        directory("directory.group-upserted.v1", busy.toString(), Map.of("groupId", busy, "code", "G-ZZ1", "name", "简报测试专班"));
        directory("directory.group-upserted.v1", idle.toString(), Map.of("groupId", idle, "code", "G-ZZ2", "name", "无任务专班"));
        LocalDate previousDay = today().minusDays(6);
        String previous = meeting("上次讲评会", "REVIEW", "PA", previousDay);
        String next = meeting("本次讲评会", "REVIEW", "PA", today().plusDays(2));
        // due on the previous meeting's own day and still open: overdue, in the window
        task("task.assigned.v1", UUID.randomUUID().toString(), busy, null, "PA", previousDay, "ASSIGNED", Map.of());
        // due tomorrow and still open: in the window, not overdue yet
        task("task.assigned.v1", UUID.randomUUID().toString(), busy, null, "PA", today().plusDays(1), "ASSIGNED", Map.of());
        // past due but submitted: closed for task-service, not overdue
        task("task.submitted.v1", UUID.randomUUID().toString(), busy, null, "PA", today().minusDays(2), "SUBMITTED", Map.of());
        // verified (late): not overdue any more
        task("task.verified.v1", UUID.randomUUID().toString(), busy, null, "PA", today().minusDays(1), "VERIFIED", Map.of("onTime", false));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> leader().get("/api/v1/meetings/" + next + "/briefing").then().statusCode(200)
                .body("previousMeetingId", equalTo(previous))
                .body("from", equalTo(previousDay.toString()))
                .body("byGroup.简报测试专班.dispatched", equalTo(4))
                .body("byGroup.简报测试专班.verified", equalTo(1))
                .body("byGroup.简报测试专班.overdue", equalTo(1))
                .body("byGroup.无任务专班.dispatched", equalTo(0))
                .body("byGroup.无任务专班.overdue", equalTo(0)));
    }

    static void task(String type, String taskId, UUID group, UUID town, String star, LocalDate due, String status, Map<String, Object> extra) {
        Map<String, Object> fields = new LinkedHashMap<>(extra);
        fields.put("groupId", group.toString());
        fields.put("dueDate", due.toString());
        fields.put("status", status);
        fields.put("townId", town);
        fields.put("star", star);
        fields.put("taskId", taskId);
        fields.put("actionItemId", null);
        ObjectNode data = ContractValidator.examples(type).get(0).deepCopy();
        fields.forEach((k, v) -> data.set(k, EventCodec.mapper().valueToTree(v)));
        CloudEvent e = new CloudEvent("1.0", UUID.randomUUID(), "/task-service", type, OffsetDateTime.now(ZoneOffset.UTC), taskId, "application/json", data);
        assertEquals(List.of(), ContractValidator.problems(e));
        TestRecords.send(Topics.TASK_EVENTS, e);
    }

    @Test
    @Order(3)
    void anObservationIsScoredRankedWithTiesPublishedAndStatementsAreRequired() throws Exception {
        // the second scorer is the secretary of 戊镇: they score the other four towns, never their own
        directory("directory.person-upserted.v1", SCORER2.toString(), Map.of("personId", SCORER2, "username", "sec-wu", "displayName", "戊镇书记",
                "roles", List.of("TOWN_SECRETARY"), "townId", TOWNS.get(4), "villageIds", List.of()));
        await().atMost(Duration.ofSeconds(20)).until(() -> io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> app.fivestar.review.directory.KnownPerson.secretaryOf(SCORER2).isPresent()));
        String id = meeting("生态宜居星观摩", "OBSERVATION", "ST", today());
        String sheetTag = leader().get("/api/v1/meetings/" + id + "/score-sheet").then().body("criteria", hasSize(4)).extract().header("ETag");
        Map<String, Object> sheet = Map.of("criteria", List.of(Map.of("code", "SITE", "name", "现场", "weight", 60), Map.of("code", "RECORDS", "name", "台账", "weight", 40)),
                "scorers", List.of(SCORER1, SCORER2));
        // the sheet has its own ETag: without If-Match 428, with a stale one 412, and the meeting's ETag is not the sheet's
        leader().body(sheet).put("/api/v1/meetings/" + id + "/score-sheet").then().statusCode(428);
        String meetingTag = etag(id);
        String newTag = leader().header("If-Match", sheetTag).body(sheet).put("/api/v1/meetings/" + id + "/score-sheet").then().statusCode(200)
                .extract().header("ETag");
        org.junit.jupiter.api.Assertions.assertNotEquals(sheetTag, newTag);
        assertEquals(meetingTag, etag(id), "changing the sheet does not change the meeting");
        leader().header("If-Match", sheetTag).body(sheet).put("/api/v1/meetings/" + id + "/score-sheet").then().statusCode(412);
        // scores: 甲 90/90, 乙 and 丙 tie at 80, 丁 70, 戊 60
        int[] site = {90, 80, 80, 70, 60};
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < TOWNS.size(); i++) {
            rows.add(Map.of("townId", TOWNS.get(i), "criterion", "SITE", "value", site[i]));
            rows.add(Map.of("townId", TOWNS.get(i), "criterion", "RECORDS", "value", site[i]));
        }
        as(SCORER1, "CADRE", null).body(rows).post("/api/v1/meetings/" + id + "/scores").then().statusCode(200);
        as(SCORER2, "TOWN_SECRETARY", TOWNS.get(4)).body(rows).post("/api/v1/meetings/" + id + "/scores").then().statusCode(422)
                .body("violations.field", equalTo(List.of("[8].townId", "[9].townId")))
                .body("violations[0].message", containsString("不能为本镇打分"));
        // 丁镇's RECORDS left out for now
        as(SCORER2, "TOWN_SECRETARY", TOWNS.get(4)).body(rows.subList(0, 7)).post("/api/v1/meetings/" + id + "/scores").then().statusCode(200);
        as(UUID.randomUUID(), "CADRE", null).body(List.of(Map.of("townId", TOWNS.get(0), "criterion", "SITE", "value", 1)))
                .post("/api/v1/meetings/" + id + "/scores").then().statusCode(403);
        as(SCORER1, "CADRE", null).body(List.of(Map.of("townId", TOWNS.get(0), "criterion", "SITE", "value", 101)))
                .post("/api/v1/meetings/" + id + "/scores").then().statusCode(422);

        leader().get("/api/v1/meetings/" + id + "/ranking").then().statusCode(200)
                .body("missing", hasSize(1)).body("missing[0].townName", equalTo("丁镇")).body("missing[0].scorerId", equalTo(SCORER2.toString()))
                .body("lines.find { it.townName == '丁镇' }.rank", nullValue())
                .body("lines.find { it.townName == '戊镇' }.score", equalTo(60.0f));
        leader().post("/api/v1/meetings/" + id + "/ranking/publish").then().statusCode(409).body("missing", hasSize(1));
        as(UUID.randomUUID(), "CADRE", null).get("/api/v1/meetings/" + id + "/ranking").then().statusCode(403);

        as(SCORER2, "TOWN_SECRETARY", TOWNS.get(4)).body(List.of(rows.get(7))).post("/api/v1/meetings/" + id + "/scores").then().statusCode(200);
        // before publishing, the ranking names who will have to make a statement (the confirmation shows them)
        List<String> stating = leader().get("/api/v1/meetings/" + id + "/ranking").then().statusCode(200).extract().jsonPath()
                .getList("statementTowns", String.class);
        assertEquals(Set.of(TOWNS.get(1).toString(), TOWNS.get(2).toString(), TOWNS.get(3).toString(), TOWNS.get(4).toString()), Set.copyOf(stating),
                "the lowest three, the tie at the cut included");
        leader().post("/api/v1/meetings/" + id + "/ranking/publish").then().statusCode(200)
                .body("published", equalTo(true))
                .body("lines.rank", equalTo(List.of(1, 2, 2, 4, 5)))
                .body("lines[0].townName", equalTo("甲镇"))
                .body("lines[0].breakdown.SITE", equalTo(90.0f));

        List<CloudEvent> events = await().atMost(Duration.ofSeconds(20)).until(() -> review.events().stream()
                .filter(e -> id.equals(e.subject())).toList(), l -> l.size() == 5);
        events.forEach(e -> assertEquals(List.of(), ContractValidator.problems(e)));
        assertEquals(1, events.stream().filter(e -> e.type().equals("review.ranking-published.v1")).count());
        // the lowest three, and 乙镇 too: it ties with 丙镇 at the cut
        assertEquals(Set.of("乙镇", "丙镇", "丁镇", "戊镇"), events.stream().filter(e -> e.type().equals("review.statement-required.v1"))
                .map(e -> e.text("townName")).collect(java.util.stream.Collectors.toSet()));

        as(UUID.randomUUID(), "CADRE", null).get("/api/v1/meetings/" + id + "/ranking").then().statusCode(200);
        as(SCORER1, "CADRE", null).body(List.of(Map.of("townId", TOWNS.get(0), "criterion", "SITE", "value", 1)))
                .post("/api/v1/meetings/" + id + "/scores").then().statusCode(409);

        UUID lowTown = TOWNS.get(4);
        String statement = as(UUID.randomUUID(), "TOWN_SECRETARY", lowTown).get("/api/v1/meetings/" + id + "/statements").then().statusCode(200)
                .body("", hasSize(1)).extract().path("[0].id");
        as(UUID.randomUUID(), "TOWN_SECRETARY", TOWNS.get(0)).body(Map.of("text", "代说", "date", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString()))
                .post("/api/v1/meetings/" + id + "/statements/" + statement).then().statusCode(403);
        UUID secretary = UUID.randomUUID();
        as(secretary, "TOWN_SECRETARY", lowTown).body(Map.of("text", "我镇排名靠后，表态如下", "date", today().toString()))
                .post("/api/v1/meetings/" + id + "/statements/" + statement).then().statusCode(200).body("text", containsString("表态"));
        // made again: the latest is shown, the earlier kept
        as(secretary, "TOWN_SECRETARY", lowTown).body(Map.of("text", "补充表态：两周内整改到位", "date", today().toString()))
                .post("/api/v1/meetings/" + id + "/statements/" + statement).then().statusCode(200);
        leader().get("/api/v1/meetings/" + id + "/statements").then().body("find { it.id == '" + statement + "' }.text", equalTo("补充表态：两周内整改到位"));
        // across meetings: the secretary's own town's, made or pending; leaders see every town's, who has and who has not
        as(secretary, "TOWN_SECRETARY", lowTown).get("/api/v1/statements?status=made").then().statusCode(200)
                .body("id", hasItems(statement)).body("townId", org.hamcrest.Matchers.everyItem(equalTo(lowTown.toString())))
                .body("find { it.id == '" + statement + "' }.meetingId", equalTo(id));
        as(secretary, "TOWN_SECRETARY", lowTown).get("/api/v1/statements").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.not(hasItems(statement)));
        List<String> pending = leader().get("/api/v1/statements").then().statusCode(200).extract().jsonPath().getList("townName", String.class);
        assertTrue(pending.containsAll(List.of("乙镇", "丙镇", "丁镇")) && !pending.contains("戊镇"), pending.toString());
        as(UUID.randomUUID(), "CADRE", null).get("/api/v1/statements").then().statusCode(403);
        leader().get("/api/v1/statements?status=maybe").then().statusCode(400);
        leader().get("/api/v1/meetings/" + id + "/statements/" + statement + "/history").then().statusCode(200)
                .body("text", equalTo(List.of("我镇排名靠后，表态如下", "补充表态：两周内整改到位")));
        as(UUID.randomUUID(), "TOWN_SECRETARY", TOWNS.get(0)).get("/api/v1/meetings/" + id + "/statements/" + statement + "/history").then().statusCode(404);
        as(UUID.randomUUID(), "TOWN_SECRETARY", lowTown).get("/api/v1/meetings/" + id + "/scores").then().statusCode(200)
                .body("townId", org.hamcrest.Matchers.everyItem(equalTo(lowTown.toString())));

        var download = as(UUID.randomUUID(), "CADRE", null).get("/api/v1/meetings/" + id + "/ranking/export?format=xlsx").then().statusCode(200).extract();
        // named after the meeting and its date
        assertTrue(download.header("Content-Disposition").contains("filename*=UTF-8''" + java.net.URLEncoder.encode("生态宜居星观摩-" + today() + "-打分排序.xlsx",
                java.nio.charset.StandardCharsets.UTF_8)), download.header("Content-Disposition"));
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(download.asByteArray()))) {
            assertEquals("甲镇", wb.getSheetAt(0).getRow(2).getCell(1).getStringCellValue());
            assertEquals(2.0, wb.getSheetAt(0).getRow(4).getCell(0).getNumericCellValue());
            assertTrue(wb.getSheetAt(0).getRow(0).getCell(0).getStringCellValue().contains("生态宜居星"));
            assertTrue(wb.getSheetAt(0).getColumnWidth(1) >= 20 * 256, "town names are readable");
            assertTrue(wb.getSheetAt(0).getRow(8).getCell(0).getStringCellValue().contains("戊镇（第5名）"));
        }
        String page = leader().get("/api/v1/meetings/" + id + "/ranking/export?format=html").then().statusCode(200)
                .contentType(containsString("text/html")).body(containsString("名次")).extract().asString();
        assertTrue(page.contains("观摩星级：生态宜居星"), "the star in Chinese");
        assertTrue(page.contains("class=\"issuer\">中共示例区委五星支部创建工作领导小组办公室（示例）"), "the issuing office's title line");
        assertTrue(page.contains("size:A4"), "an A4 page");
        java.time.LocalDate issued = today();
        assertTrue(page.contains(issued.getYear() + "年" + issued.getMonthValue() + "月" + issued.getDayOfMonth() + "日"), "the issuing date");
        for (String town : List.of("乙镇（第 2 名）", "丙镇（第 2 名）", "丁镇（第 4 名）", "戊镇（第 5 名）")) {
            assertTrue(page.contains(town), "the towns required to make statements: " + town);
        }
        as(UUID.randomUUID(), "TOWN_SECRETARY", lowTown).get("/api/v1/rankings?star=ST").then().statusCode(200)
                .body("find { it.townName == '戊镇' }.observations[0].rank", equalTo(5));
    }

    @Test
    @Order(4)
    void aComputedCriterionTakesTheOnTimeRateAndReportsTownsWithoutData() {
        String id = meeting("观摩（计算项）", "OBSERVATION", "CY", today().plusDays(1));
        leader().header("If-Match", "*").body(Map.of("criteria", List.of(Map.of("code", "RATE", "name", "按时销号率", "weight", 1, "computed", "ON_TIME_RATE")),
                "scorers", List.of())).put("/api/v1/meetings/" + id + "/score-sheet").then().statusCode(200);
        // 丙镇's tasks of the star due in the period: verified on time, verified late, open past its due date (counts against),
        // open and not due yet (not counted), submitted and awaiting verification (not counted)
        String due = today().minusDays(1).toString();
        task("task.verified.v1", UUID.randomUUID().toString(), null, TOWNS.get(2), "CY", Map.of("status", "VERIFIED", "onTime", true, "dueDate", due));
        task("task.verified.v1", UUID.randomUUID().toString(), null, TOWNS.get(2), "CY", Map.of("status", "VERIFIED", "onTime", false, "dueDate", due));
        task("task.assigned.v1", UUID.randomUUID().toString(), null, TOWNS.get(2), "CY", Map.of("status", "ASSIGNED", "dueDate", due));
        task("task.assigned.v1", UUID.randomUUID().toString(), null, TOWNS.get(2), "CY", Map.of("status", "ASSIGNED", "dueDate", today().plusDays(1).toString()));
        task("task.submitted.v1", UUID.randomUUID().toString(), null, TOWNS.get(2), "CY", Map.of("status", "SUBMITTED", "dueDate", due));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> leader().get("/api/v1/meetings/" + id + "/ranking").then()
                .body("lines.find { it.townName == '丙镇' }.score", equalTo(33.33f))
                // a town with no task due in the period is not "missing" for ever: it gets the stated value, said so
                .body("missing", hasSize(0))
                .body("lines.find { it.townName == '甲镇' }.score", equalTo(100.0f))
                .body("lines.find { it.townName == '甲镇' }.notes.RATE", containsString("按满分计"))
                .body("lines.find { it.townName == '丙镇' }.notes.RATE", nullValue()));
        leader().post("/api/v1/meetings/" + id + "/ranking/publish").then().statusCode(200)
                .body("lines.find { it.townName == '甲镇' }.notes.RATE", containsString("按满分计"));
    }

    @Test
    @Order(5)
    void aLookBackReboundReopensTheTask() {
        String id = meeting("回头看", "LOOK_BACK", null, LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")));
        move(id, "open");
        move(id, "start");
        UUID task = UUID.randomUUID();
        UUID stillOpen = UUID.randomUUID();
        task("task.verified.v1", task.toString(), null, TOWNS.get(0), "ST", Map.of("status", "VERIFIED", "onTime", true));
        task("task.assigned.v1", stillOpen.toString(), null, TOWNS.get(0), "ST", Map.of("status", "ASSIGNED"));
        await().atMost(Duration.ofSeconds(20)).until(() -> io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                app.fivestar.review.progress.TaskProgress.findById(task) != null && app.fivestar.review.progress.TaskProgress.findById(stillOpen) != null));
        // only a verified task holds or rebounds: an open one is 409 with its status, an unknown one 404
        leader().body(Map.of("taskId", stillOpen, "result", "REBOUNDED", "note", "并未销号")).post("/api/v1/meetings/" + id + "/findings").then()
                .statusCode(409).body("currentState", equalTo("ASSIGNED")).body("detail", containsString("待签收"));
        leader().body(Map.of("taskId", UUID.randomUUID(), "result", "HOLDS", "note", "无此任务")).post("/api/v1/meetings/" + id + "/findings").then()
                .statusCode(404);
        leader().body(Map.of("taskId", task, "result", "HOLDS", "note", "保持良好")).post("/api/v1/meetings/" + id + "/findings").then().statusCode(201);
        String rebound = leader().body(Map.of("taskId", task, "result", "REBOUNDED", "note", "垃圾反弹")).post("/api/v1/meetings/" + id + "/findings")
                .then().statusCode(201).extract().path("id");
        // the inspector's photo of the rebound: checked and re-encoded as task evidence is, with its EXIF time and place
        byte[] photo = app.fivestar.platform.testing.CameraPhotos.withExif(800, 600, "2026:11:20 10:30:00", 34.75, 113.62);
        String photos = "/api/v1/meetings/" + id + "/findings/" + rebound + "/photos";
        String photoId = given().auth().oauth2(app.fivestar.platform.testing.TestTokens.token(LEADER, "leader", Set.of("LEADER"), null, null))
                .multiPart("file", "rebound.jpg", photo, "image/jpeg").post(photos).then().statusCode(201)
                .body("width", equalTo(800)).body("latitude", equalTo(34.75f)).extract().path("id");
        leader().get(photos).then().statusCode(200).body("id", equalTo(List.of(photoId)))
                .body("[0].takenAt", containsString("2026-11-20"));
        byte[] stored = leader().get(photos + "/" + photoId).then().statusCode(200).contentType("image/jpeg").extract().asByteArray();
        assertTrue(stored.length > 0 && !java.util.Arrays.equals(photo, stored), "a re-encoded copy, not the bytes as sent");
        given().auth().oauth2(app.fivestar.platform.testing.TestTokens.token(LEADER, "leader", Set.of("LEADER"), null, null))
                .multiPart("file", "notes.txt", "not a photo".getBytes(java.nio.charset.StandardCharsets.UTF_8), "image/jpeg").post(photos).then()
                .statusCode(415).contentType("application/problem+json");
        as(UUID.randomUUID(), "CADRE", null).get(photos).then().statusCode(403);
        leader().get("/api/v1/meetings/" + id + "/findings/" + UUID.randomUUID() + "/photos").then().statusCode(404);
        // found rebounded once since its verification: a second rebound is refused even before task-service's reopening arrives
        leader().body(Map.of("taskId", task, "result", "REBOUNDED", "note", "再次反弹")).post("/api/v1/meetings/" + id + "/findings").then().statusCode(409);
        leader().body(Map.of("taskId", task, "result", "MAYBE", "note", "x")).post("/api/v1/meetings/" + id + "/findings").then().statusCode(422);
        leader().get("/api/v1/meetings/" + id + "/findings").then().body("result", equalTo(List.of("HOLDS", "REBOUNDED")));
        CloudEvent reopened = await().atMost(Duration.ofSeconds(20)).until(() -> review.events().stream()
                .filter(e -> e.type().equals("review.task-reopened.v1") && id.equals(e.subject())).findFirst(), java.util.Optional::isPresent).get();
        assertEquals(task.toString(), reopened.text("taskId"));
        assertEquals(List.of(), ContractValidator.problems(reopened));
        assertTrue(review.events().stream().filter(e -> e.type().equals("review.task-reopened.v1") && id.equals(e.subject())).count() == 1);
    }
}
