package app.fivestar.notification.inbox;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.ContractValidator;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.EventCapture;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestRecords;
import app.fivestar.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class InboxDeliveryTest {

    static final String TYPE = "task.assigned.v1";

    @Test
    void everyContractSampleOfAConsumedTypeIsValidAndLandsInTheAssigneesInbox() {
        List<JsonNode> samples = ContractValidator.examples(TYPE);
        assertEquals(1, samples.size());
        UUID person = UUID.randomUUID();
        CloudEvent event = assigned(person, "示例任务", samples.get(0));
        assertEquals(List.of(), ContractValidator.problems(event));

        TestRecords.send(Topics.TASK_EVENTS, event);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> inboxOf(person).body("", hasSize(1)));
        inboxOf(person).body("[0].kind", equalTo("TASK_ASSIGNED"))
                .body("[0].title", startsWith("新任务"))
                .body("[0].read", equalTo(false));
        inboxOf(UUID.randomUUID()).body("", hasSize(0));
    }

    @Test
    void aRedeliveredEventGivesOneMessage() {
        UUID person = UUID.randomUUID();
        CloudEvent event = assigned(person, "重复投递", sample());
        TestRecords.send(Topics.TASK_EVENTS, event);
        TestRecords.send(Topics.TASK_EVENTS, event);
        // same key → same partition → processed in order: once the marker is in, both copies were seen
        CloudEvent marker = new CloudEvent(event.specversion(), UUID.randomUUID(), event.source(), TYPE, event.time(),
                event.subject(), event.datacontenttype(), withTitle(event.data(), "标记"));
        TestRecords.send(Topics.TASK_EVENTS, marker);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> inboxOf(person).body("", hasSize(2)));
        inboxOf(person).body("title", org.hamcrest.Matchers.containsInAnyOrder("新任务：重复投递", "新任务：标记"));
    }

    @Test
    void aMalformedRecordGoesToTheDeadLetterTopicAndTheNextOneStillArrives() {
        UUID person = UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        try (EventCapture dlt = EventCapture.on(Topics.deadLetter(Topics.TASK_EVENTS))) {
            TestRecords.send(Topics.TASK_EVENTS, key, "{not json".getBytes(StandardCharsets.UTF_8));
            CloudEvent next = assigned(person, "坏消息之后", sample());
            TestRecords.send(Topics.TASK_EVENTS, new CloudEvent(next.specversion(), next.id(), next.source(), next.type(),
                    next.time(), key, next.datacontenttype(), next.data()));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> inboxOf(person).body("", hasSize(1)));
            ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(20))
                    .until(() -> dlt.records().stream().filter(r -> key.equals(r.key())).findFirst(), java.util.Optional::isPresent).get();
            assertEquals(Topics.TASK_EVENTS, header(dead, "dlt.original.topic"));
            assertEquals("notification-service", header(dead, "dlt.consumer.group"));
            assertEquals("{not json", new String(dead.value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aRecordItsHandlerKeepsRejectingIsDeadLetteredWithTheError() {
        CloudEvent poison = assigned(UUID.randomUUID(), "无法处理", sample());
        ((ObjectNode) poison.data()).put("assigneeId", "not-a-uuid");
        try (EventCapture dlt = EventCapture.on(Topics.deadLetter(Topics.TASK_EVENTS))) {
            TestRecords.send(Topics.TASK_EVENTS, poison);
            ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(30))
                    .until(() -> dlt.records().stream().filter(r -> poison.subject().equals(r.key())).findFirst(),
                            java.util.Optional::isPresent).get();
            assertEquals(IllegalArgumentException.class.getName(), header(dead, "dlt.error.class"));
            assertEquals("2", header(dead, "dlt.attempts"));
        }
    }

    private static io.restassured.response.ValidatableResponse inboxOf(UUID person) {
        return given().auth().oauth2(TestTokens.token(person, "p-" + person, Set.of("CADRE"), null, null))
                .when().get("/api/v1/inbox").then().statusCode(200);
    }

    private static JsonNode sample() {
        return ContractValidator.examples(TYPE).get(0);
    }

    private static CloudEvent assigned(UUID assignee, String title, JsonNode sample) {
        ObjectNode data = sample.deepCopy();
        String taskId = UUID.randomUUID().toString();
        data.put("taskId", taskId);
        data.put("assigneeId", assignee.toString());
        data.put("title", title);
        return TestRecords.event("/task-service", TYPE, taskId, data);
    }

    private static JsonNode withTitle(JsonNode data, String title) {
        return ((ObjectNode) data.deepCopy()).put("title", title);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
