package app.fivestar.task.task;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.ContractValidator;
import app.fivestar.platform.events.EventCodec;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.EventCapture;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestRecords;
import app.fivestar.task.Demo;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class ReviewDecisionsTest {

    static CloudEvent reviewEvent(String type, Map<String, Object> fields) {
        ObjectNode data = ContractValidator.examples(type).get(0).deepCopy();
        fields.forEach((k, v) -> data.set(k, EventCodec.mapper().valueToTree(v)));
        CloudEvent e = TestRecords.event("/review-service", type, data.get("meetingId").asText(), data);
        assertEquals(List.of(), ContractValidator.problems(e));
        return e;
    }

    @Test
    void anActionItemBecomesOneTaskLinkedToItsMeetingHoweverOftenItArrives() {
        UUID actionItem = UUID.randomUUID();
        UUID meeting = UUID.randomUUID();
        CloudEvent e = reviewEvent("review.action-item-created.v1", Map.of("actionItemId", actionItem, "meetingId", meeting,
                "groupId", Demo.ST_GROUP, "title", "会议交办：整治坑塘", "dueDate", LocalDate.now().plusDays(7).toString()));
        try (EventCapture tasks = EventCapture.on(Topics.TASK_EVENTS)) {
            TestRecords.send(Topics.REVIEW_EVENTS, e);
            TestRecords.send(Topics.REVIEW_EVENTS, reviewEvent("review.action-item-created.v1", Map.of("actionItemId", actionItem, "meetingId", meeting,
                    "groupId", Demo.ST_GROUP, "title", "会议交办：整治坑塘", "dueDate", LocalDate.now().plusDays(7).toString())));
            CloudEvent assigned = await().atMost(Duration.ofSeconds(20)).until(() -> tasks.events().stream()
                    .filter(x -> actionItem.toString().equals(x.text("actionItemId"))).findFirst(), Optional::isPresent).get();
            assertEquals(meeting.toString(), assigned.text("meetingId"));
            assertEquals(List.of(), ContractValidator.problems(assigned));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> count(actionItem) == 1);
            given().auth().oauth2(Demo.token("st-lead")).get("/api/v1/tasks/" + assigned.subject()).then().statusCode(200)
                    .body("meetingId", equalTo(meeting.toString())).body("status", equalTo("ASSIGNED"));
        }
    }

    @Test
    void anActionItemsTaskIsFiledUnderTheWeekOfTheMeetingNotOfItsDueDate() {
        UUID actionItem = UUID.randomUUID();
        LocalDate meetingDay = LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
        LocalDate due = meetingDay.plusDays(21);
        try (EventCapture tasks = EventCapture.on(Topics.TASK_EVENTS)) {
            TestRecords.send(Topics.REVIEW_EVENTS, reviewEvent("review.action-item-created.v1", Map.of("actionItemId", actionItem,
                    "meetingId", UUID.randomUUID(), "meetingDate", meetingDay.toString(), "groupId", Demo.ST_GROUP, "title", "会议交办：三周后完成",
                    "dueDate", due.toString())));
            CloudEvent assigned = await().atMost(Duration.ofSeconds(20)).until(() -> tasks.events().stream()
                    .filter(x -> actionItem.toString().equals(x.text("actionItemId"))).findFirst(), Optional::isPresent).get();
            given().auth().oauth2(Demo.token("st-lead")).get("/api/v1/tasks/" + assigned.subject()).then().statusCode(200)
                    .body("week", equalTo(Weeks.of(meetingDay)))
                    .body("dueDate", equalTo(due.toString()));
        }
    }

    @Test
    void aLookBackReboundReopensAVerifiedTask() {
        String id = LifecycleTest.dispatchOne("ST-23");
        String p1 = LifecycleTest.upload(id, LifecycleTest.PNG, "a.png");
        String p2 = LifecycleTest.upload(id, LifecycleTest.PNG, "b.png");
        LifecycleTest.move("st-cadre", id, "accept", null, LifecycleTest.etag(id)).statusCode(200);
        LifecycleTest.move("st-cadre", id, "submit", Map.of("evidenceIds", List.of(p1, p2)), LifecycleTest.etag(id)).statusCode(200);
        LifecycleTest.move("office", id, "verify", null, LifecycleTest.etag(id)).statusCode(200);
        try (EventCapture tasks = EventCapture.on(Topics.TASK_EVENTS)) {
            TestRecords.send(Topics.REVIEW_EVENTS, reviewEvent("review.task-reopened.v1", Map.of("taskId", id, "note", "坑塘垃圾反弹")));
            CloudEvent returned = await().atMost(Duration.ofSeconds(20)).until(() -> tasks.events().stream()
                    .filter(x -> id.equals(x.subject()) && x.type().equals("task.returned.v1")).findFirst(), Optional::isPresent).get();
            assertEquals(true, returned.data().get("reopened").asBoolean());
            given().auth().oauth2(Demo.token("office")).get("/api/v1/tasks/" + id).then().body("status", equalTo("RETURNED"));
            given().auth().oauth2(Demo.token("office")).get("/api/v1/tasks/" + id + "/history").then().body("action", hasItem("reopen"));
        }
    }

    @Test
    void townsArePublishedOnDirectoryEvents() {
        String file = "townCode,townName,townKind,villageCode,villageName,villageKind\nT77,新设镇,TOWN,T77-V01,新村,VILLAGE\n";
        try (EventCapture directory = EventCapture.on(Topics.DIRECTORY_EVENTS)) {
            given().auth().oauth2(Demo.token("office")).contentType("text/csv").body(file.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .post("/api/v1/directory/places/import").then().statusCode(200);
            CloudEvent town = await().atMost(Duration.ofSeconds(20)).until(() -> directory.events().stream()
                    .filter(x -> "T77".equals(x.text("code"))).findFirst(), Optional::isPresent).get();
            assertEquals("directory.town-upserted.v1", town.type());
            assertEquals(1, town.data().get("villageCount").asInt());
            assertEquals(List.of(), ContractValidator.problems(town));
        }
    }

    static long count(UUID actionItem) {
        return QuarkusTransaction.requiringNew().call(() -> Task.count("actionItemId", actionItem));
    }
}
