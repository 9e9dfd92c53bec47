package app.fivestar.task.overdue;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.ContractValidator;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.EventCapture;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import app.fivestar.task.TestClock;
import app.fivestar.task.task.LifecycleTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The overdue watch with a controllable clock, across a week boundary in Asia/Shanghai time. */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class OverdueWatchTest {

    /** Sunday 2026-11-29 is the last day of ISO week 48. */
    static final LocalDate SUNDAY = LocalDate.of(2026, 11, 29);

    @Inject
    OverdueWatch watch;

    @AfterEach
    void realTime() {
        TestClock.reset();
    }

    static String dispatch(LocalDate due) {
        TestClock.set(shanghai("2026-11-25T10:00:00"));   // "today" for the dispatch, whatever day the tests run
        return given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", "2026-W48", "lines", List.of(Map.of("title", "周日到期的任务", "groupId", Demo.ST_GROUP,
                        "dueDate", due.toString(), "assigneeId", Demo.ST_CADRE))))
                .post("/api/v1/dispatches").then().statusCode(201).extract().path("tasks[0].id");
    }

    static Instant shanghai(String localDateTime) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(java.time.ZoneId.of("Asia/Shanghai")).toInstant();
    }

    List<CloudEvent> of(EventCapture capture, String taskId) {
        return capture.events().stream().filter(e -> taskId.equals(e.subject()) && !e.type().equals("task.assigned.v1")).toList();
    }

    @Test
    void aTaskDueSundayIsRemindedThenOverdueAtMondayMidnightOnceAndClimbsTheLadder() {
        String id = dispatch(SUNDAY);
        try (EventCapture capture = EventCapture.on(Topics.TASK_EVENTS)) {
            watch.scan(shanghai("2026-11-29T23:59:59"));
            watch.scan(shanghai("2026-11-29T23:59:59"));
            await().atMost(Duration.ofSeconds(20)).until(() -> of(capture, id).size() == 1);
            assertEquals("task.due-soon.v1", of(capture, id).get(0).type());

            watch.scan(shanghai("2026-11-30T00:00:00"));
            watch.scan(shanghai("2026-11-30T00:00:00"));   // a restart, or a second instance, announces nothing more
            watch.scan(shanghai("2026-11-30T09:00:00"));
            await().atMost(Duration.ofSeconds(20)).until(() -> of(capture, id).size() == 3);
            List<CloudEvent> events = of(capture, id);
            assertEquals(List.of("task.due-soon.v1", "task.overdue.v1", "task.escalated.v1"), events.stream().map(CloudEvent::type).toList());
            assertEquals(1, events.get(1).data().get("daysOverdue").asInt());
            assertEquals(1, events.get(2).data().get("level").asInt());
            assertEquals(Demo.ST_LEAD.toString(), events.get(2).text("targetPersonId"));

            watch.scan(shanghai("2026-12-02T08:00:00"));    // three days overdue: the standing-committee member of the star
            watch.scan(shanghai("2026-12-06T08:00:00"));    // seven: the district secretary
            await().atMost(Duration.ofSeconds(20)).until(() -> of(capture, id).size() == 5);
            events = of(capture, id);
            assertEquals(Demo.person("cm-st").id.toString(), events.get(3).text("targetPersonId"));
            assertEquals(Demo.person("leader").id.toString(), events.get(4).text("targetPersonId"));
            assertEquals(3, events.get(4).data().get("level").asInt());
            events.forEach(e -> assertEquals(List.of(), ContractValidator.problems(e)));
            watch.scan(shanghai("2026-12-09T08:00:00"));
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> of(capture, id).size() == 5);
        }
    }

    @Test
    void aSubmittedTaskIsNeverOverdueAndAnExtensionStartsTheLadderAfresh() {
        String submitted = dispatch(SUNDAY);
        String extended = dispatch(SUNDAY);
        LifecycleTest.move("st-cadre", submitted, "accept", null, LifecycleTest.etag(submitted)).statusCode(200);
        LifecycleTest.move("st-cadre", submitted, "submit", Map.of("note", "已完成"), LifecycleTest.etag(submitted)).statusCode(200);
        String request = LifecycleTest.move("st-cadre", extended, "extension", Map.of("dueDate", "2026-12-10", "reason", "雨天"), LifecycleTest.etag(extended))
                .statusCode(201).extract().path("id");
        LifecycleTest.move("office", extended, "extension/" + request + "/approve", Map.of(), LifecycleTest.etag(extended)).statusCode(200);
        try (EventCapture capture = EventCapture.on(Topics.TASK_EVENTS)) {
            watch.scan(shanghai("2026-12-02T08:00:00"));
            watch.scan(shanghai("2026-12-11T08:00:00"));
            await().atMost(Duration.ofSeconds(20)).until(() -> of(capture, extended).stream().anyMatch(e -> e.type().equals("task.overdue.v1")));
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> of(capture, submitted).stream()
                    .noneMatch(e -> e.type().equals("task.overdue.v1") || e.type().equals("task.escalated.v1")));
            CloudEvent overdue = of(capture, extended).stream().filter(e -> e.type().equals("task.overdue.v1")).findFirst().orElseThrow();
            assertEquals("2026-12-10", overdue.text("dueDate"));
            assertEquals(1, of(capture, extended).stream().filter(e -> e.type().equals("task.overdue.v1")).count());
        }
    }
    @Test
    void aBacklogIsAnnouncedBatchByBatchAndOnlyOnce() {
        List<String> ids = java.util.stream.IntStream.range(0, 5).mapToObj(i -> dispatch(SUNDAY)).toList();   // batches of 2 in tests
        try (EventCapture capture = EventCapture.on(Topics.TASK_EVENTS)) {
            OverdueWatch.Result first = watch.scan(shanghai("2026-11-30T09:00:00"));
            OverdueWatch.Result again = watch.scan(shanghai("2026-11-30T09:00:00"));
            org.junit.jupiter.api.Assertions.assertTrue(first.overdue() >= ids.size(), "announced " + first);
            assertEquals(new OverdueWatch.Result(0, 0, 0), again);
            await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().allMatch(id -> of(capture, id).stream()
                    .filter(e -> e.type().equals("task.overdue.v1")).count() == 1));
            // one scan is one trace, across its batches
            java.util.Set<String> traces = new java.util.HashSet<>();
            for (var record : capture.records()) {
                String body = new String(record.value(), java.nio.charset.StandardCharsets.UTF_8);
                if (ids.contains(record.key()) && body.contains("task.overdue.v1")) {
                    String traceId = app.fivestar.platform.testing.TestRecords.traceId(record);
                    traces.add(traceId == null ? "none" : traceId);
                }
            }
            assertEquals(1, traces.size(), "trace ids of the scan's events: " + traces);
            org.junit.jupiter.api.Assertions.assertFalse(traces.contains("none"), "every event carries the scan's trace");
        }
    }
    @Test
    void laterScansTheSameDayStillSeeTasksCreatedThatDay() {
        watch.scan(shanghai("2026-12-14T08:00:00"));                 // the day's first scan looks at every open task
        String dueToday = dispatch(LocalDate.of(2026, 12, 14));
        try (EventCapture capture = EventCapture.on(Topics.TASK_EVENTS)) {
            OverdueWatch.Result later = watch.scan(shanghai("2026-12-14T08:01:00"));   // only what changed since
            assertEquals(1, later.dueSoon(), "announced " + later);
            await().atMost(Duration.ofSeconds(20)).until(() -> of(capture, dueToday).stream().anyMatch(e -> e.type().equals("task.due-soon.v1")));
        }
    }
}
