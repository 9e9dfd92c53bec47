package app.fivestar.local;

import app.fivestar.platform.events.Topics;
import app.fivestar.platform.servers.FreePorts;
import app.fivestar.platform.testing.EventCapture;
import app.fivestar.platform.testing.TestRecords;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The walking skeleton through the real stack, started the way run.sh starts it: embedded PostgreSQL and
 * Kafka, and the three packaged services as separate processes in the local profile with demo data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonTest {

    static final String GROUP = "00000000-0000-4000-8000-000000000013";
    static final String CADRE = "00000000-0000-4000-8000-000000000104";

    static LocalStack stack;
    static String task;
    static String review;
    static String notification;

    @BeforeAll
    static void startTheStack() throws IOException {
        Path data = Files.createTempDirectory("fivestar-e2e");
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("task-service", FreePorts.pick());
        ports.put("review-service", FreePorts.pick());
        ports.put("notification-service", FreePorts.pick());
        stack = LocalStack.start(new LocalStack.Options(Path.of("../..").toAbsolutePath().normalize(), data, FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), ports),
                System.out);
        task = stack.service("task-service").url();
        review = stack.service("review-service").url();
        notification = stack.service("notification-service").url();
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void aTaskCreatedByTheOfficeReachesTheAssigneesInboxAndTheReviewProjection() {
        String taskId = createTask("清理村内坑塘（端到端）");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().auth().oauth2(token("st-cadre")).when().get(notification + "/api/v1/inbox")
                        .then().statusCode(200).body("items.find { it.link.endsWith('" + taskId + "') }.title", equalTo("新任务：清理村内坑塘（端到端）")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().auth().oauth2(token("leader")).when().get(review + "/api/v1/task-progress/" + taskId)
                        .then().statusCode(200).body("status", equalTo("ASSIGNED")));
    }

    @Test
    @Order(2)
    void theSameEventDeliveredTwiceGivesOneInboxEntry() {
        String taskId = createTask("重复投递检查");
        try (EventCapture capture = new EventCapture(stack.kafka().bootstrapServers(), Topics.TASK_EVENTS)) {
            ConsumerRecord<String, byte[]> original = await().atMost(Duration.ofSeconds(30))
                    .until(() -> capture.records().stream().filter(r -> taskId.equals(r.key())).findFirst(), Optional::isPresent).get();
            TestRecords.send(stack.kafka().bootstrapServers(), Topics.TASK_EVENTS, original.key(), original.value());
        }
        String marker = createTask("重复投递之后");
        awaitInbox(marker);
        assertEquals(1, inboxEntriesFor(taskId));
    }

    @Test
    @Order(3)
    void aMalformedRecordLandsInTheDeadLetterTopicAndTheNextRecordStillArrives() {
        String key = "garbage-" + System.nanoTime();
        try (EventCapture dlt = new EventCapture(stack.kafka().bootstrapServers(), Topics.deadLetter(Topics.TASK_EVENTS))) {
            TestRecords.send(stack.kafka().bootstrapServers(), Topics.TASK_EVENTS, key, "<<not an event>>".getBytes(StandardCharsets.UTF_8));
            String next = createTask("坏记录之后");
            awaitInbox(next);
            await().atMost(Duration.ofSeconds(30)).until(() -> dlt.records().stream().anyMatch(r -> key.equals(r.key())));
        }
    }

    @Test
    @Order(4)
    void tasksCreatedWhileTheBrokerIsDownArriveAfterItComesBack() {
        stack.kafka().stop();
        List<String> created = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            created.add(createTask("断网期间的任务 " + i));
        }
        stack.kafka().restart();
        for (String id : created) {
            awaitInbox(id);
        }
        for (String id : created) {
            assertEquals(1, inboxEntriesFor(id));
        }
    }

    @Test
    @Order(5)
    void aDispatchOfFiftyTasksGivesFiftyInboxEntriesAndOneDigestToACadreWhoChoseIt() throws Exception {
        String cadre2 = token("st-cadre2");
        String etag = given().auth().oauth2(cadre2).get(notification + "/api/v1/preferences").then().statusCode(200).extract().header("ETag");
        given().auth().oauth2(cadre2).contentType(ContentType.JSON).header("If-Match", etag)
                .body(Map.of("channels", Map.of("TASK_ASSIGNED", List.of("EMAIL")), "digest", true))
                .put(notification + "/api/v1/preferences").then().statusCode(200);
        String cadre2Id = stack.personId("st-cadre2");
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add(Map.of("catalogCode", "ST-11", "groupId", GROUP, "dueDate", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(5).toString(), "assigneeId", cadre2Id));
        }
        given().auth().oauth2(token("office")).contentType(ContentType.JSON).header("Idempotency-Key", "fifty-" + System.nanoTime())
                .body(Map.of("week", "2026-W49", "lines", lines)).post(task + "/api/v1/dispatches").then().statusCode(201);
        await().atMost(Duration.ofSeconds(90)).until(() -> given().auth().oauth2(cadre2).get(notification + "/api/v1/inbox?limit=200")
                .then().extract().jsonPath().getList("items").size() == 50);
        String address = "st-cadre2@fivestar.example";
        assertEquals(0, mailsTo(address), "no e-mail per task");
        given().auth().oauth2(token("admin")).post(notification + "/api/v1/digests/send-now").then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> mailsTo(address) == 1);
    }

    @Test
    @Order(6)
    void killingNotificationServiceMidStreamLosesAndDuplicatesNothing() {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add(Map.of("title", "中断测试 " + i, "groupId", GROUP, "dueDate", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(5).toString(), "assigneeId", CADRE));
        }
        List<String> ids = given().auth().oauth2(token("office")).contentType(ContentType.JSON).header("Idempotency-Key", "crash-" + System.nanoTime())
                .body(Map.of("week", "2026-W49", "lines", lines)).post(task + "/api/v1/dispatches").then().statusCode(201)
                .extract().jsonPath().getList("tasks.id", String.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().anyMatch(id -> inboxEntriesFor(id) == 1));
        stack.service("notification-service").kill();                 // SIGKILL in the middle of the stream
        stack.service("notification-service").start();
        stack.service("notification-service").awaitReady(Duration.ofSeconds(120));
        await().atMost(Duration.ofSeconds(90)).until(() -> ids.stream().allMatch(id -> inboxEntriesFor(id) >= 1));
        List<String> links = given().auth().oauth2(token("st-cadre")).get(notification + "/api/v1/inbox?limit=200")
                .then().extract().jsonPath().getList("items.link", String.class);
        for (String id : ids) {
            assertEquals(1, links.stream().filter(l -> l.endsWith(id)).count(), "exactly one message for " + id);
        }
    }

    static String etagOf(String url, String who) {
        return given().auth().oauth2(token(who)).get(url).then().statusCode(200).extract().header("ETag");
    }

    static void meetingMove(String id, String action) {
        String url = review + "/api/v1/meetings/" + id;
        given().auth().oauth2(token("leader")).header("If-Match", etagOf(url, "leader")).post(url + "/" + action).then().statusCode(200);
    }

    static String meeting(String title, String type, String star, LocalDate date) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("title", title, "type", type, "date", date.toString()));
        if (star != null) {
            body.put("star", star);
        }
        return given().auth().oauth2(token("leader")).contentType(ContentType.JSON).body(body).post(review + "/api/v1/meetings")
                .then().statusCode(201).extract().path("id");
    }

    static String decidedTask;

    @Test
    @Order(7)
    void aMeetingsDecisionBecomesATaskThatIsClosedAndTheNextBriefingShowsItCarriedOut() {
        String first = meeting("十一月例会（端到端）", "REGULAR", null, LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(10));
        meetingMove(first, "open");
        meetingMove(first, "start");
        given().auth().oauth2(token("leader")).contentType(ContentType.JSON)
                .body(Map.of("text", "加快坑塘整治", "actionItems", List.of(Map.of("title", "会议交办：坑塘整治", "groupId", GROUP,
                        "assigneeId", CADRE, "dueDate", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(5).toString()))))
                .post(review + "/api/v1/meetings/" + first + "/decisions").then().statusCode(201);
        decidedTask = await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(token("leader"))
                .get(review + "/api/v1/meetings/" + first + "/decisions").then().extract().jsonPath()
                .<String>getString("[0].actionItems[0].taskId"), java.util.Objects::nonNull);
        given().auth().oauth2(token("st-cadre")).get(task + "/api/v1/tasks/" + decidedTask).then().statusCode(200)
                .body("meetingId", equalTo(first));
        String url = task + "/api/v1/tasks/" + decidedTask;
        given().auth().oauth2(token("st-cadre")).header("If-Match", etagOf(url, "st-cadre")).post(url + "/accept").then().statusCode(200);
        given().auth().oauth2(token("st-cadre")).header("If-Match", etagOf(url, "st-cadre")).contentType(ContentType.JSON)
                .body(Map.of("note", "已整治完毕")).post(url + "/submit").then().statusCode(200);
        given().auth().oauth2(token("office")).header("If-Match", etagOf(url, "office")).post(url + "/verify").then().statusCode(200);
        meetingMove(first, "close");

        String next = meeting("十二月例会（端到端）", "REGULAR", null, LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(token("leader"))
                .get(review + "/api/v1/meetings/" + next + "/briefing").then().statusCode(200)
                .body("previousActionItems[0].outcome", equalTo("CARRIED_OUT")));
    }

    @Test
    @Order(8)
    void anObservationIsScoredPublishedAndTheLowestTownsSecretariesAreToldToMakeAStatement() {
        List<Map<String, Object>> towns = given().auth().oauth2(token("leader")).get(task + "/api/v1/towns").then().extract().jsonPath().getList("");
        String leaderId = stack.personId("leader");
        String id = meeting("生态宜居星观摩（端到端）", "OBSERVATION", "ST", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")));
        given().auth().oauth2(token("leader")).contentType(ContentType.JSON)
                .header("If-Match", etagOf(review + "/api/v1/meetings/" + id + "/score-sheet", "leader"))
                .body(Map.of("criteria", List.of(Map.of("code", "SITE", "name", "现场观摩", "weight", 1)), "scorers", List.of(leaderId)))
                .put(review + "/api/v1/meetings/" + id + "/score-sheet").then().statusCode(200);
        List<Map<String, Object>> scores = new ArrayList<>();
        for (int i = 0; i < towns.size(); i++) {
            scores.add(Map.of("townId", towns.get(i).get("id"), "criterion", "SITE", "value", 100 - i * 5));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(token("leader")).contentType(ContentType.JSON).body(scores)
                .post(review + "/api/v1/meetings/" + id + "/scores").then().statusCode(200));
        given().auth().oauth2(token("leader")).post(review + "/api/v1/meetings/" + id + "/ranking/publish").then().statusCode(200)
                .body("lines[0].rank", equalTo(1));
        String lowest = "sec-" + ((String) towns.get(towns.size() - 1).get("code")).toLowerCase();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(token(lowest)).get(notification + "/api/v1/inbox")
                .then().statusCode(200).body("items.kind", org.hamcrest.Matchers.hasItems("STATEMENT_REQUIRED", "RANKING_PUBLISHED")));
        given().auth().oauth2(token("sec-t01")).get(notification + "/api/v1/inbox").then()
                .body("items.kind", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("STATEMENT_REQUIRED")));
    }

    @Test
    @Order(9)
    void aLookBackReboundReopensTheTaskAndTellsTheCadreInOneTrace() {
        String id = meeting("回头看（端到端）", "LOOK_BACK", null, LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")));
        meetingMove(id, "open");
        meetingMove(id, "start");
        String traceId = java.util.UUID.randomUUID().toString().replace("-", "");
        try (EventCapture events = new EventCapture(stack.kafka().bootstrapServers(), Topics.REVIEW_EVENTS, Topics.TASK_EVENTS)) {
            given().auth().oauth2(token("leader")).contentType(ContentType.JSON)
                    .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-00")
                    .body(Map.of("taskId", decidedTask, "result", "REBOUNDED", "note", "坑塘垃圾反弹"))
                    .post(review + "/api/v1/meetings/" + id + "/findings").then().statusCode(201);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(token("office")).get(task + "/api/v1/tasks/" + decidedTask)
                    .then().body("status", equalTo("RETURNED")));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(token("st-cadre")).get(notification + "/api/v1/inbox")
                    .then().body("items.title", hasItem(org.hamcrest.Matchers.startsWith("回头看反弹"))));
            // the finding's request → review-service's event → task-service's reopening → its event: one trace
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<String> traces = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : events.records()) {
                    String body = new String(r.value(), StandardCharsets.UTF_8);
                    boolean reopening = r.topic().equals(Topics.REVIEW_EVENTS) ? body.contains("review.task-reopened.v1")
                            : body.contains("task.returned.v1") && decidedTask.equals(r.key());
                    if (reopening && TestRecords.traceId(r) != null) {
                        traces.add(r.topic() + " " + TestRecords.traceId(r));
                    }
                }
                assertEquals(List.of(Topics.REVIEW_EVENTS + " " + traceId, Topics.TASK_EVENTS + " " + traceId),
                        traces.stream().sorted().toList());
            });
        }
    }

    @Test
    @Order(9)
    void aBriefingAgreesWithTaskServiceForTheSameWindow() throws Exception {
        java.time.ZoneId beijing = java.time.ZoneId.of("Asia/Shanghai");
        LocalDate today = LocalDate.now(beijing);
        LocalDate from = today.minusDays(4);
        meeting("讲评会（上次，端到端）", "REVIEW", "ZB", from);
        String next = meeting("讲评会（本次，端到端）", "REVIEW", "ZB", today);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(createTask("简报核对任务" + i));
        }
        // time passes for one of them: its due date is now in the past (as if set days ago), and the overdue watch
        // (every minute on the local stack) publishes it overdue with that date, as it would have
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(stack.postgres().jdbcUrl("task"), "postgres", "postgres");
             java.sql.PreparedStatement st = c.prepareStatement("update task set due_date = ? where id = ?")) {
            st.setObject(1, today.minusDays(1));
            st.setObject(2, java.util.UUID.fromString(ids.get(0)));
            assertEquals(1, st.executeUpdate());
        }
        await().atMost(Duration.ofSeconds(150)).untilAsserted(() -> {
            // task-service's answer for the window, from its own task list
            List<Map<String, Object>> tasks = new ArrayList<>();
            String cursor = null;
            do {
                var request = given().auth().oauth2(token("office")).queryParam("groupId", GROUP).queryParam("limit", 200);
                if (cursor != null) {
                    request = request.queryParam("cursor", cursor);
                }
                var page = request.get(task + "/api/v1/tasks").then().statusCode(200).extract().jsonPath();
                tasks.addAll(page.getList("items"));
                cursor = page.getString("nextCursor");
            } while (cursor != null);
            java.util.function.Predicate<Object> inWindow = at -> {
                if (at == null) {
                    return false;
                }
                LocalDate d = java.time.Instant.parse(at.toString()).atZone(beijing).toLocalDate();
                return !d.isBefore(from) && !d.isAfter(today);
            };
            long dispatched = tasks.stream().filter(t -> inWindow.test(t.get("createdAt"))).count();
            long verified = tasks.stream().filter(t -> inWindow.test(t.get("verifiedAt"))).count();
            long overdue = tasks.stream().filter(t -> Boolean.TRUE.equals(t.get("overdue"))
                    && !LocalDate.parse((String) t.get("dueDate")).isBefore(from) && !LocalDate.parse((String) t.get("dueDate")).isAfter(today)).count();
            org.junit.jupiter.api.Assertions.assertTrue(overdue >= 1, "the backdated task is overdue in task-service");
            given().auth().oauth2(token("leader")).get(review + "/api/v1/meetings/" + next + "/briefing").then().statusCode(200)
                    .body("from", equalTo(from.toString()))
                    .body("byGroup.生态宜居专班.dispatched", equalTo((int) dispatched))
                    .body("byGroup.生态宜居专班.verified", equalTo((int) verified))
                    .body("byGroup.生态宜居专班.overdue", equalTo((int) overdue));
        });
    }

    @Test
    @Order(10)
    void aServiceInTheProductionProfileLogsJsonLinesAndEachRequestWithItsTraceId() throws Exception {
        ServiceProcess prod = stack.startExtra("review-service", "review-service-prod", Map.of("QUARKUS_PROFILE", "prod"));
        try {
            prod.awaitReady(Duration.ofSeconds(180));
            String traceId = java.util.UUID.randomUUID().toString().replace("-", "");
            given().auth().oauth2(token("leader")).header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-00")
                    .get(prod.url() + "/api/v1/meetings").then().statusCode(200);
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<String> lines = Files.readAllLines(prod.log(), StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
                List<com.fasterxml.jackson.databind.JsonNode> entries = new ArrayList<>();
                for (String line : lines) {
                    try {
                        entries.add(json.readTree(line));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new AssertionError("not a JSON line: " + line, e);
                    }
                }
                for (var entry : entries) {
                    org.junit.jupiter.api.Assertions.assertTrue(entry.isObject() && entry.has("timestamp") && entry.has("level")
                            && entry.has("loggerName") && entry.has("message"), entry.toString());
                }
                // the access log has the request, with the caller's trace id in the logging context
                assertEquals(List.of(traceId), entries.stream().filter(e -> e.path("loggerName").asText().equals("io.quarkus.http.access-log")
                                && e.path("message").asText().contains("GET /api/v1/meetings"))
                        .map(e -> e.path("mdc").path("traceId").asText()).toList());
            });
        } finally {
            prod.stop();
        }
    }

    private static long mailsTo(String address) throws Exception {
        long n = 0;
        for (jakarta.mail.internet.MimeMessage m : stack.mail().received()) {
            if (java.util.Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(address))) {
                n++;
            }
        }
        return n;
    }

    private static String createTask(String title) {
        return given().auth().oauth2(token("office")).contentType(ContentType.JSON)
                .body(Map.of("title", title, "groupId", GROUP, "assigneeId", CADRE, "dueDate", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(5).toString()))
                .when().post(task + "/api/v1/tasks")
                .then().statusCode(201).extract().path("id");
    }

    private static void awaitInbox(String taskId) {
        await().atMost(Duration.ofSeconds(90)).until(() -> inboxEntriesFor(taskId) >= 1);
    }

    private static int inboxEntriesFor(String taskId) {
        List<String> links = given().auth().oauth2(token("st-cadre")).when().get(notification + "/api/v1/inbox?limit=200")
                .then().statusCode(200).extract().jsonPath().getList("items.link", String.class);
        return (int) links.stream().filter(l -> l.endsWith(taskId)).count();
    }

        private static String token(String username) {
        return stack.token(username);
    }

}
