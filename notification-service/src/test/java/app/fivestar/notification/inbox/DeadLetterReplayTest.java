package app.fivestar.notification.inbox;

import app.fivestar.notification.People;
import app.fivestar.notification.People.Person;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.EventCodec;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestRecords;
import app.fivestar.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An administrator sees a dead letter with why it died and replays a fixed copy, which is delivered once however
 * often it is replayed; nobody else may.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class DeadLetterReplayTest {

    @Test
    void anAdministratorSeesADeadLetterAndReplaysAFixedCopyOnce() {
        UUID group = UUID.randomUUID();
        Person cadre = People.person("CADRE", group, null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(cadre::inbox);
        CloudEvent good = People.taskEvent("task.assigned.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "title", "死信重放"));
        ObjectNode broken = good.data().deepCopy();
        broken.put("assigneeId", "not-a-uuid");
        TestRecords.send(Topics.TASK_EVENTS, new CloudEvent(good.specversion(), good.id(), good.source(), good.type(), good.time(),
                good.subject(), good.datacontenttype(), broken));
        String admin = app.fivestar.notification.People.known("ADMIN", null, null).token();
        given().auth().oauth2(admin).get("/api/v1/admin/dead-letters").then().statusCode(200).body("$", hasItem(Topics.TASK_EVENTS));
        JsonPath letter = await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(admin)
                .get("/api/v1/admin/dead-letters/" + Topics.TASK_EVENTS).then().statusCode(200).extract().jsonPath(),
                j -> j.getList("findAll { it.key == '" + good.subject() + "' }").size() == 1);
        Map<String, Object> it = letter.getMap("find { it.key == '" + good.subject() + "' }");
        assertEquals("app.fivestar.platform.consumer.Failure$ContractBreach", it.get("errorClass"));
        assertEquals(Topics.TASK_EVENTS, it.get("originalTopic"));
        String replay = "/api/v1/admin/dead-letters/" + Topics.TASK_EVENTS + "/" + it.get("partition") + "/" + it.get("offset") + "/replay";
        byte[] fixed = EventCodec.encode(good).getBytes(StandardCharsets.UTF_8);
        given().auth().oauth2(cadre.token()).contentType("application/json").body(fixed).post(replay).then().statusCode(403);
        given().auth().oauth2(admin).contentType("application/json").body(fixed).post(replay).then().statusCode(200)
                .body("errorMessage", containsString("assigneeId"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> cadre.inbox().body("items.title", hasItem(containsString("死信重放"))));
        given().auth().oauth2(admin).contentType("application/json").body(fixed).post(replay).then().statusCode(200);
        CloudEvent marker = People.taskEvent("task.assigned.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "title", "之后的标记"));
        TestRecords.send(Topics.TASK_EVENTS, new CloudEvent(marker.specversion(), marker.id(), marker.source(), marker.type(), marker.time(),
                good.subject(), marker.datacontenttype(), marker.data()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> cadre.inbox().body("items.title", hasItem(containsString("之后的标记"))));
        assertEquals(1, cadre.inbox().extract().jsonPath().getList("items.findAll { it.title.contains('死信重放') }").size(),
                "a second replay of the same event is harmless");
        // replaying every letter again (the broken original among them) changes nothing for the cadre
        int replayed = given().auth().oauth2(admin).post("/api/v1/admin/dead-letters/" + Topics.TASK_EVENTS + "/replay-all")
                .then().statusCode(200).extract().path("replayed");
        org.junit.jupiter.api.Assertions.assertTrue(replayed >= 1);
        CloudEvent last = People.taskEvent("task.assigned.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "title", "最后的标记"));
        TestRecords.send(Topics.TASK_EVENTS, new CloudEvent(last.specversion(), last.id(), last.source(), last.type(), last.time(),
                good.subject(), last.datacontenttype(), last.data()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> cadre.inbox().body("items.title", hasItem(containsString("最后的标记"))));
        assertEquals(1, cadre.inbox().extract().jsonPath().getList("items.findAll { it.title.contains('死信重放') }").size());
        given().auth().oauth2(admin).get("/api/v1/admin/dead-letters/no-such-topic").then().statusCode(404);
    }
}
