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
    static EventCapture review;

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
        List<String> items = leader().body(Map.of("text", "加快坑塘整治", "actionItems", List.of(
                        Map.of("title", "完成坑塘清理", "groupId", GROUP, "dueDate", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(5).toString()),
                        Map.of("title", "建立管护台账", "groupId", GROUP, "dueDate", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(3).toString()))))
                .post("/api/v1/meetings/" + first + "/decisions").then().statusCode(201).body("actionItems", hasSize(2))
                .extract().jsonPath().getList("actionItems.id", String.class);
        List<CloudEvent> published = await().atMost(Duration.ofSeconds(20)).until(() -> review.events().stream()
                .filter(e -> e.type().equals("review.action-item-created.v1") && first.equals(e.subject())).toList(), l -> l.size() == 2);
        published.forEach(e -> assertEquals(List.of(), ContractValidator.problems(e)));
        move(first, "close");

        // task-service made tasks of them: one was verified on time, the other is still open past its due date
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
                .body("byTown.甲镇.verified", equalTo(1))
                .body("byTown.乙镇.overdue", equalTo(1)));
        leader().get("/api/v1/meetings/" + first + "/decisions").then().body("[0].actionItems.find { it.title == '完成坑塘清理' }.taskStatus", equalTo("VERIFIED"));
    }

    @Test
    @Order(3)
    void anObservationIsScoredRankedWithTiesPublishedAndStatementsAreRequired() throws Exception {
        String id = meeting("生态宜居星观摩", "OBSERVATION", "ST", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")));
        leader().get("/api/v1/meetings/" + id + "/score-sheet").then().body("criteria", hasSize(4));
        leader().body(Map.of("criteria", List.of(Map.of("code", "SITE", "name", "现场", "weight", 60), Map.of("code", "RECORDS", "name", "台账", "weight", 40)),
                "scorers", List.of(SCORER1, SCORER2))).put("/api/v1/meetings/" + id + "/score-sheet").then().statusCode(200);
        // scores: 甲 90/90, 乙 and 丙 tie at 80, 丁 70, 戊 60
        int[] site = {90, 80, 80, 70, 60};
        for (UUID scorer : List.of(SCORER1, SCORER2)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < TOWNS.size(); i++) {
                rows.add(Map.of("townId", TOWNS.get(i), "criterion", "SITE", "value", site[i]));
                rows.add(Map.of("townId", TOWNS.get(i), "criterion", "RECORDS", "value", site[i]));
            }
            if (scorer.equals(SCORER2)) {
                as(scorer, "CADRE", null).body(rows.subList(0, 9)).post("/api/v1/meetings/" + id + "/scores").then().statusCode(200);
            } else {
                as(scorer, "CADRE", null).body(rows).post("/api/v1/meetings/" + id + "/scores").then().statusCode(200);
            }
        }
        as(UUID.randomUUID(), "CADRE", null).body(List.of(Map.of("townId", TOWNS.get(0), "criterion", "SITE", "value", 1)))
                .post("/api/v1/meetings/" + id + "/scores").then().statusCode(403);
        as(SCORER1, "CADRE", null).body(List.of(Map.of("townId", TOWNS.get(0), "criterion", "SITE", "value", 101)))
                .post("/api/v1/meetings/" + id + "/scores").then().statusCode(422);

        leader().get("/api/v1/meetings/" + id + "/ranking").then().statusCode(200)
                .body("missing", hasSize(1)).body("missing[0].townName", equalTo("戊镇")).body("missing[0].scorerId", equalTo(SCORER2.toString()))
                .body("lines.find { it.townName == '戊镇' }.rank", nullValue());
        leader().post("/api/v1/meetings/" + id + "/ranking/publish").then().statusCode(409).body("missing", hasSize(1));
        as(UUID.randomUUID(), "CADRE", null).get("/api/v1/meetings/" + id + "/ranking").then().statusCode(403);

        as(SCORER2, "CADRE", null).body(List.of(Map.of("townId", TOWNS.get(4), "criterion", "RECORDS", "value", 60)))
                .post("/api/v1/meetings/" + id + "/scores").then().statusCode(200);
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
        as(UUID.randomUUID(), "TOWN_SECRETARY", lowTown).body(Map.of("text", "我镇排名靠后，表态如下", "date", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString()))
                .post("/api/v1/meetings/" + id + "/statements/" + statement).then().statusCode(200).body("text", containsString("表态"));
        as(UUID.randomUUID(), "TOWN_SECRETARY", lowTown).get("/api/v1/meetings/" + id + "/scores").then().statusCode(200)
                .body("townId", org.hamcrest.Matchers.everyItem(equalTo(lowTown.toString())));

        byte[] xlsx = as(UUID.randomUUID(), "CADRE", null).get("/api/v1/meetings/" + id + "/ranking/export?format=xlsx").then().statusCode(200)
                .extract().asByteArray();
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            assertEquals("甲镇", wb.getSheetAt(0).getRow(2).getCell(1).getStringCellValue());
            assertEquals(2.0, wb.getSheetAt(0).getRow(4).getCell(0).getNumericCellValue());
        }
        leader().get("/api/v1/meetings/" + id + "/ranking/export?format=html").then().statusCode(200)
                .contentType(containsString("text/html")).body(containsString("名次")).body(containsString("表态发言"));
        as(UUID.randomUUID(), "TOWN_SECRETARY", lowTown).get("/api/v1/rankings?star=ST").then().statusCode(200)
                .body("find { it.townName == '戊镇' }.observations[0].rank", equalTo(5));
    }

    @Test
    @Order(4)
    void aComputedCriterionTakesTheOnTimeRateAndReportsTownsWithoutData() {
        String id = meeting("观摩（计算项）", "OBSERVATION", "CY", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(1));
        leader().body(Map.of("criteria", List.of(Map.of("code", "RATE", "name", "按时销号率", "weight", 1, "computed", "ON_TIME_RATE")),
                "scorers", List.of())).put("/api/v1/meetings/" + id + "/score-sheet").then().statusCode(200);
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        task("task.verified.v1", a, null, TOWNS.get(2), "CY", Map.of("status", "VERIFIED", "onTime", true));
        task("task.verified.v1", b, null, TOWNS.get(2), "CY", Map.of("status", "VERIFIED", "onTime", false));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> leader().get("/api/v1/meetings/" + id + "/ranking").then()
                .body("lines.find { it.townName == '丙镇' }.score", equalTo(50.0f))
                .body("missing.findAll { it.townName == '甲镇' }", hasSize(1)));
    }

    @Test
    @Order(5)
    void aLookBackReboundReopensTheTask() {
        String id = meeting("回头看", "LOOK_BACK", null, LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")));
        move(id, "open");
        move(id, "start");
        UUID task = UUID.randomUUID();
        leader().body(Map.of("taskId", task, "result", "HOLDS", "note", "保持良好")).post("/api/v1/meetings/" + id + "/findings").then().statusCode(201);
        leader().body(Map.of("taskId", task, "result", "REBOUNDED", "note", "垃圾反弹")).post("/api/v1/meetings/" + id + "/findings").then().statusCode(201);
        leader().body(Map.of("taskId", task, "result", "MAYBE", "note", "x")).post("/api/v1/meetings/" + id + "/findings").then().statusCode(422);
        CloudEvent reopened = await().atMost(Duration.ofSeconds(20)).until(() -> review.events().stream()
                .filter(e -> e.type().equals("review.task-reopened.v1") && id.equals(e.subject())).findFirst(), java.util.Optional::isPresent).get();
        assertEquals(task.toString(), reopened.text("taskId"));
        assertEquals(List.of(), ContractValidator.problems(reopened));
        assertTrue(review.events().stream().filter(e -> e.type().equals("review.task-reopened.v1") && id.equals(e.subject())).count() == 1);
    }
}
