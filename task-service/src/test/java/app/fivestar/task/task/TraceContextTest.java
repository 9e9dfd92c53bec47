package app.fivestar.task.task;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.EventCodec;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.EventCapture;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestRecords;
import app.fivestar.task.Demo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One trace follows a change: from a caller's request, or from a consumed event, to the events it publishes. */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class TraceContextTest {

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static ConsumerRecord<String, byte[]> published(EventCapture capture, Predicate<CloudEvent> wanted) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> capture.records().stream()
                .filter(r -> wanted.test(decode(r))).findFirst(), Optional::isPresent).get();
    }

    static CloudEvent decode(ConsumerRecord<String, byte[]> record) {
        try {
            return EventCodec.decode(record.value());
        } catch (EventCodec.MalformedEventException e) {
            throw new AssertionError("the service published a malformed event", e);
        }
    }

    @Test
    void theEventOfARequestCarriesTheCallersTraceInItsHeader() {
        String traceId = hex(16);
        String callerSpan = hex(8);
        try (EventCapture tasks = EventCapture.on(Topics.TASK_EVENTS)) {
            String id = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON)
                    .header("traceparent", "00-" + traceId + "-" + callerSpan + "-00")
                    .body(Map.of("title", "追踪任务", "groupId", Demo.ST_GROUP, "assigneeId", Demo.ST_CADRE,
                            "dueDate", LocalDate.now().plusDays(3).toString()))
                    .when().post("/api/v1/tasks").then().statusCode(201).extract().path("id");
            String header = TestRecords.traceparent(published(tasks, e -> id.equals(e.subject())));
            assertNotNull(header, "the record has a traceparent header");
            String[] parts = header.split("-");
            assertEquals(4, parts.length, header);
            assertEquals(traceId, parts[1], "same trace as the caller");
            assertNotEquals(callerSpan, parts[2], "the parent is the service's own request span");
        }
    }

    @Test
    void aRequestWithoutATraceStillStartsOneThatItsEventCarries() {
        try (EventCapture tasks = EventCapture.on(Topics.TASK_EVENTS)) {
            String id = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON)
                    .body(Map.of("title", "新追踪任务", "groupId", Demo.ST_GROUP, "dueDate", LocalDate.now().plusDays(3).toString()))
                    .when().post("/api/v1/tasks").then().statusCode(201).extract().path("id");
            String header = TestRecords.traceparent(published(tasks, e -> id.equals(e.subject())));
            assertNotNull(header);
            assertTrue(header.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"), header);
        }
    }

    @Test
    void anEventPublishedWhileHandlingAConsumedEventContinuesThatEventsTrace() {
        String traceId = hex(16);
        UUID actionItem = UUID.randomUUID();
        CloudEvent decision = ReviewDecisionsTest.reviewEvent("review.action-item-created.v1", Map.of("actionItemId", actionItem,
                "meetingId", UUID.randomUUID(), "groupId", Demo.ST_GROUP, "title", "会议交办：追踪", "dueDate", LocalDate.now().plusDays(7).toString()));
        try (EventCapture tasks = EventCapture.on(Topics.TASK_EVENTS)) {
            TestRecords.send(Topics.REVIEW_EVENTS, decision, Map.of("traceparent", "00-" + traceId + "-" + hex(8) + "-00"));
            String header = TestRecords.traceparent(published(tasks, e -> actionItem.toString().equals(e.text("actionItemId"))));
            assertNotNull(header, "the task event has a traceparent header");
            assertEquals(traceId, header.split("-")[1], "same trace as the review event");
        }
    }
}
