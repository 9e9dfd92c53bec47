package app.fivestar.review.progress;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.ContractValidator;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestRecords;
import app.fivestar.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "review"))
class TaskProgressProjectionTest {

    @Test
    void anAssignedTaskAppearsInTheBriefingProjection() {
        ObjectNode data = ContractValidator.examples("task.assigned.v1").get(0).deepCopy();
        String taskId = UUID.randomUUID().toString();
        data.put("taskId", taskId);
        CloudEvent event = TestRecords.event("/task-service", "task.assigned.v1", taskId, data);
        assertEquals(List.of(), ContractValidator.problems(event));

        TestRecords.send(Topics.TASK_EVENTS, event);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().auth().oauth2(TestTokens.token("LEADER")).when().get("/api/v1/task-progress/" + taskId)
                        .then().statusCode(200).body("status", equalTo("ASSIGNED")).body("star", equalTo("ST")));
    }

    @Test
    void onlyLeadersAndTheOfficeReadIt() {
        given().auth().oauth2(TestTokens.token("CADRE")).when().get("/api/v1/task-progress/" + UUID.randomUUID())
                .then().statusCode(403).contentType("application/problem+json");
        given().when().get("/api/v1/task-progress/" + UUID.randomUUID())
                .then().statusCode(401).contentType("application/problem+json");
    }
}
