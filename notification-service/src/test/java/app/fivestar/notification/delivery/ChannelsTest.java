package app.fivestar.notification.delivery;

import app.fivestar.notification.People;
import app.fivestar.notification.People.Person;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestRecords;
import app.fivestar.platform.testing.TestTokens;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class ChannelsTest {

    /** A webhook endpoint on loopback that answers 500 to its first {@code failures} requests. */
    static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger requests = new AtomicInteger();
        final List<String[]> accepted = new CopyOnWriteArrayList<>();
        volatile int failures;

        Receiver(int failures) throws Exception {
            this.failures = failures;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int n = requests.incrementAndGet();
                int status = n <= this.failures ? 500 : 200;
                if (status == 200) {
                    accepted.add(new String[] {new String(body, StandardCharsets.UTF_8), exchange.getRequestHeaders().getFirst("X-Fivestar-Signature"),
                            exchange.getRequestURI().toString(), exchange.getRequestHeaders().getFirst("traceparent")});
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    Receiver receiver;

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    static Person known(String role) {
        return People.known(role, UUID.randomUUID(), null);
    }

    static String register(Person p, String url, String format) {
        return given().auth().oauth2(p.token()).contentType(ContentType.JSON).body(Map.of("url", url, "format", format, "secret", "s3cret"))
                .post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
    }

    static void escalate(Person target) {
        TestRecords.send(Topics.TASK_EVENTS, People.taskEvent("task.escalated.v1", Map.of("targetPersonId", target.id(), "level", 3, "title", "督办事项")));
    }

    static String admin() {
        return app.fivestar.notification.People.known("ADMIN", null, null).token();
    }

    @Test
    void aWebhookThatFailsTwiceThenSucceedsReceivesExactlyOneSignedDelivery() throws Exception {
        receiver = new Receiver(2);
        Person leader = known("LEADER");
        register(leader, receiver.url(), "GENERIC");
        escalate(leader);
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted.size() == 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(leader.token()).get("/api/v1/deliveries?status=DELIVERED")
                .then().body("findAll { it.channel == 'WEBHOOK' }", hasSize(1)).body("find { it.channel == 'WEBHOOK' }.attempts", equalTo(3)));
        assertEquals(3, receiver.requests.get());
        String[] delivery = receiver.accepted.get(0);
        assertTrue(delivery[0].contains("督办事项"));
        assertEquals("sha256=" + HexFormat.of().formatHex(WebhookSender.hmac("s3cret", delivery[0])), delivery[1]);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> receiver.accepted.size() == 1);
    }

    @Test
    void aWebhookRequestContinuesTheTraceOfTheEventItAnswers() throws Exception {
        receiver = new Receiver(0);
        Person leader = known("LEADER");
        register(leader, receiver.url(), "GENERIC");
        String traceId = UUID.randomUUID().toString().replace("-", "");
        TestRecords.send(Topics.TASK_EVENTS, People.taskEvent("task.escalated.v1", Map.of("targetPersonId", leader.id(), "level", 3, "title", "追踪督办")),
                Map.of("traceparent", "00-" + traceId + "-b7ad6b7169203331-00"));
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted.size() == 1);
        String traceparent = receiver.accepted.get(0)[3];
        assertTrue(traceparent != null && traceparent.startsWith("00-" + traceId + "-"), "traceparent " + traceparent);
    }

    @Test
    void aWebhookThatKeepsFailingEndsFailedAndAnAdminReplaysIt() throws Exception {
        receiver = new Receiver(Integer.MAX_VALUE);
        Person leader = known("LEADER");
        register(leader, receiver.url(), "DINGTALK");
        escalate(leader);
        String id = await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(admin()).get("/api/v1/deliveries?status=FAILED&size=200")
                .then().extract().jsonPath().<String>getList("findAll { it.recipientId == '" + leader.id() + "' }.id"), l -> l.size() == 1).get(0);
        assertEquals(3, receiver.requests.get(), "the retry limit");
        given().auth().oauth2(leader.token()).post("/api/v1/deliveries/" + id + "/replay").then().statusCode(403);
        receiver.failures = 0;
        given().auth().oauth2(admin()).post("/api/v1/deliveries/" + id + "/replay").then().statusCode(200).body("status", equalTo("PENDING"));
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted.size() == 1);
        assertTrue(receiver.accepted.get(0)[0].contains("\"msgtype\":\"markdown\""));
        assertTrue(receiver.accepted.get(0)[2].contains("sign="), "DingTalk's own signature in the URL");
    }

    @Test
    void aCadreGetsAnEmailPerTaskByDefaultAndOneDigestWhenTheyChooseIt() throws Exception {
        Person plain = known("CADRE");
        Person digest = known("CADRE");
        String etag = given().auth().oauth2(digest.token()).get("/api/v1/preferences").then().statusCode(200)
                .body("channels.TASK_ASSIGNED", equalTo(List.of("EMAIL", "WEBHOOK"))).extract().header("ETag");
        Map<String, Object> prefs = Map.of("channels", Map.of("TASK_ASSIGNED", List.of("EMAIL")), "digest", true);
        given().auth().oauth2(digest.token()).contentType(ContentType.JSON).body(prefs).put("/api/v1/preferences").then().statusCode(428);
        given().auth().oauth2(digest.token()).contentType(ContentType.JSON).header("If-Match", etag).body(prefs).put("/api/v1/preferences").then().statusCode(200);

        // the defaults' quiet hours (22:00–07:00) would hold the e-mail back when this runs in the evening
        String plainTag = given().auth().oauth2(plain.token()).get("/api/v1/preferences").then().extract().header("ETag");
        given().auth().oauth2(plain.token()).contentType(ContentType.JSON).header("If-Match", plainTag)
                .body(Map.of("channels", Map.of("TASK_ASSIGNED", List.of("EMAIL")), "digest", false))
                .put("/api/v1/preferences").then().statusCode(200);
        TestRecords.send(Topics.TASK_EVENTS, People.taskEvent("task.assigned.v1", Map.of("assigneeId", plain.id(), "groupId", plain.groupId(), "title", "单封邮件")));
        for (int i = 0; i < 50; i++) {
            TestRecords.send(Topics.TASK_EVENTS, People.taskEvent("task.assigned.v1", Map.of("assigneeId", digest.id(), "groupId", digest.groupId(), "title", "摘要任务" + i)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> People.mailsTo(plain.email()).size() == 1);
        assertTrue(People.mailsTo(plain.email()).get(0).getSubject().contains("单封邮件"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> digest.inbox().body("items", hasSize(50)));
        assertEquals(0, People.mailsTo(digest.email()).size(), "no e-mail per task for a digest reader");

        // a long operation: 202 at once, its progress at the Location (every digest recipient of the shared test database is mailed)
        String run = given().auth().oauth2(admin()).post("/api/v1/digests/send-now").then().statusCode(202)
                .body("status", org.hamcrest.Matchers.oneOf("RUNNING", "DONE")).extract().header("Location");
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().auth().oauth2(admin()).get(run).then().statusCode(200)
                .body("status", equalTo("DONE")).body("failed", equalTo(0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> People.mailsTo(digest.email()).size() == 1);
        MimeMessage mail = People.mailsTo(digest.email()).get(0);
        assertTrue(mail.getSubject().contains("50"), mail.getSubject());
        String text = mail.getContent().toString();
        assertTrue(text.contains("摘要任务0") && text.contains("摘要任务49"));
    }

    @Test
    void quietHoursHoldBackWhatIsNotUrgentButNotAnEscalation() throws Exception {
        Person leader = known("LEADER");
        LocalTime now = LocalTime.now(ZoneId.of("Asia/Shanghai")).withSecond(0).withNano(0);
        String etag = given().auth().oauth2(leader.token()).get("/api/v1/preferences").then().extract().header("ETag");
        given().auth().oauth2(leader.token()).contentType(ContentType.JSON).header("If-Match", etag)
                .body(Map.of("channels", Map.of("RANKING_PUBLISHED", List.of("EMAIL"), "TASK_ESCALATED", List.of("EMAIL")),
                        "quietStart", now.minusHours(1).toString(), "quietEnd", now.plusHours(2).toString(), "digest", false))
                .put("/api/v1/preferences").then().statusCode(200);
        TestRecords.send(Topics.REVIEW_EVENTS, People.reviewEvent("review.ranking-published.v1", Map.of("meetingTitle", "夜间通报")));
        escalate(leader);
        await().atMost(Duration.ofSeconds(20)).until(() -> People.mailsTo(leader.email()).size() == 1);
        assertTrue(People.mailsTo(leader.email()).get(0).getSubject().contains("督办"));
        given().auth().oauth2(leader.token()).get("/api/v1/deliveries?status=PENDING").then().body("findAll { it.channel == 'EMAIL' }", hasSize(1));
    }

    @Test
    void deliveryAttemptsAndLatencyAreMetrics() {
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("fivestar_notification_latency_seconds_count"));
    }

}
