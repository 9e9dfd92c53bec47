package app.fivestar.local;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.servers.FreePorts;
import app.fivestar.platform.testing.EventCapture;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances of every service against one database per service and one broker, as replicas run in production:
 * the outbox relays neither double-publish nor drop, the consumers share partitions, and the digest job runs once.
 */
class MultiInstanceTest {

    static final String GROUP = "00000000-0000-4000-8000-000000000013";
    static final String CADRE = "00000000-0000-4000-8000-000000000104";
    static LocalStack stack;
        @BeforeAll
    static void start() throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("task-service", FreePorts.pick());
        ports.put("review-service", FreePorts.pick());
        ports.put("notification-service", FreePorts.pick());
        stack = LocalStack.start(new LocalStack.Options(Path.of("../..").toAbsolutePath().normalize(), Files.createTempDirectory("fivestar-replicas"),
                FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), ports).withReplicas(2), System.out);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static String url(String service) {
        return stack.service(service).url();
    }

    static String token(String username) {
        return stack.token(username);
    }

    @Test
    void replicasPublishEachEventOnceDeliverEachMessageOnceAndRunTheDigestOnce() throws Exception {
        assertTrue(stack.service("task-service-2").isAlive() && stack.service("notification-service-2").isAlive());
        try (EventCapture capture = new EventCapture(stack.kafka().bootstrapServers(), Topics.TASK_EVENTS)) {
            List<String> ids = new ArrayList<>();
            List<CompletableFuture<String>> creating = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String instance = i % 2 == 0 ? "task-service" : "task-service-2";
                int n = i;
                creating.add(CompletableFuture.supplyAsync(() -> given().auth().oauth2(token("office")).contentType(ContentType.JSON)
                        .body(Map.of("title", "双实例任务 " + n, "groupId", GROUP, "assigneeId", CADRE, "dueDate", LocalDate.now().plusDays(3).toString()))
                        .post(url(instance) + "/api/v1/tasks").then().statusCode(201).extract().<String>path("id")));
            }
            for (CompletableFuture<String> f : creating) {
                ids.add(f.get());
            }
            List<CloudEvent> assigned = await().atMost(Duration.ofSeconds(60)).until(() -> capture.events().stream()
                    .filter(e -> e.type().equals("task.assigned.v1") && ids.contains(e.subject())).toList(), l -> l.size() >= 30);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> capture.events().stream()
                    .filter(e -> e.type().equals("task.assigned.v1") && ids.contains(e.subject())).count() == 30);
            Map<String, Long> perTask = assigned.stream().collect(Collectors.groupingBy(CloudEvent::subject, Collectors.counting()));
            assertEquals(30, perTask.size());
            assertTrue(perTask.values().stream().allMatch(c -> c == 1), "each task's event published once: " + perTask);

            await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> inbox(id) >= 1));
            for (String id : ids) {
                assertEquals(1, inbox(id), "one message for " + id);
            }
        }

        String cadre2 = token("st-cadre2");
        String etag = given().auth().oauth2(cadre2).get(url("notification-service") + "/api/v1/preferences").then().extract().header("ETag");
        given().auth().oauth2(cadre2).contentType(ContentType.JSON).header("If-Match", etag)
                .body(Map.of("channels", Map.of("TASK_ASSIGNED", List.of("EMAIL")), "digest", true))
                .put(url("notification-service") + "/api/v1/preferences").then().statusCode(200);
        String cadre2Id = stack.personId("st-cadre2");
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(token("office")).contentType(ContentType.JSON)
                    .body(Map.of("title", "摘要任务 " + i, "groupId", GROUP, "assigneeId", cadre2Id, "dueDate", LocalDate.now().plusDays(3).toString()))
                    .post(url("task-service-2") + "/api/v1/tasks").then().statusCode(201);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(cadre2).get(url("notification-service-2") + "/api/v1/inbox")
                .then().extract().jsonPath().getList("items").size() == 5);
        // each instance's run answers 202 at once and counts what it mailed: together, one e-mail
        Function<String, CompletableFuture<Integer>> sendNow = instance -> CompletableFuture.supplyAsync(() -> {
            String run = given().auth().oauth2(token("admin")).post(url(instance) + "/api/v1/digests/send-now").then().statusCode(202)
                    .extract().header("Location");
            return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(token("admin")).get(run)
                    .then().statusCode(200).extract().jsonPath(), j -> "DONE".equals(j.getString("status"))).getInt("sent");
        });
        CompletableFuture<Integer> a = sendNow.apply("notification-service");
        CompletableFuture<Integer> b = sendNow.apply("notification-service-2");
        assertEquals(1, a.get() + b.get(), "the digest goes out from one instance");
        assertEquals(1, stack.mail().received().stream().filter(m -> {
            try {
                return java.util.Arrays.stream(m.getAllRecipients()).anyMatch(x -> x.toString().equals("st-cadre2@fivestar.example"));
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).count());
    }

    static int inbox(String taskId) {
        List<String> links = given().auth().oauth2(token("st-cadre")).get(url("notification-service-2") + "/api/v1/inbox?limit=200")
                .then().statusCode(200).extract().jsonPath().getList("items.link", String.class);
        return (int) links.stream().filter(l -> l.endsWith(taskId)).count();
    }

}
