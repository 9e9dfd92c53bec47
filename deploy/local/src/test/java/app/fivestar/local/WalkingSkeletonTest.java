package app.fivestar.local;

import app.fivestar.platform.events.Topics;
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
import java.net.ServerSocket;
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
        ports.put("task-service", freePort());
        ports.put("review-service", freePort());
        ports.put("notification-service", freePort());
        stack = LocalStack.start(new LocalStack.Options(Path.of("../..").toAbsolutePath().normalize(), data, freePort(), freePort(), freePort(), ports),
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
        String cadre2Id = given().get(task + "/api/v1/dev/users").then().extract().jsonPath().getString("find { it.username == 'st-cadre2' }.id");
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add(Map.of("catalogCode", "ST-11", "groupId", GROUP, "dueDate", LocalDate.now().plusDays(5).toString(), "assigneeId", cadre2Id));
        }
        given().auth().oauth2(token("office")).contentType(ContentType.JSON).header("Idempotency-Key", "fifty-" + System.nanoTime())
                .body(Map.of("week", "2026-W49", "lines", lines)).post(task + "/api/v1/dispatches").then().statusCode(201);
        await().atMost(Duration.ofSeconds(90)).until(() -> given().auth().oauth2(cadre2).get(notification + "/api/v1/inbox?limit=200")
                .then().extract().jsonPath().getList("items").size() == 50);
        String address = "st-cadre2@fivestar.example";
        assertEquals(0, mailsTo(address), "no e-mail per task");
        given().auth().oauth2(token("admin")).post(notification + "/api/v1/digests/send-now").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> mailsTo(address) == 1);
    }

    @Test
    @Order(6)
    void killingNotificationServiceMidStreamLosesAndDuplicatesNothing() {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add(Map.of("title", "中断测试 " + i, "groupId", GROUP, "dueDate", LocalDate.now().plusDays(5).toString(), "assigneeId", CADRE));
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
                .body(Map.of("title", title, "groupId", GROUP, "assigneeId", CADRE, "dueDate", LocalDate.now().plusDays(5).toString()))
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

    private static final Map<String, String> TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String token(String username) {
        return TOKENS.computeIfAbsent(username, u -> given().contentType(ContentType.JSON).body(Map.of("username", u))
                .when().post(task + "/api/v1/dev/token").then().statusCode(200).extract().path("token"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
