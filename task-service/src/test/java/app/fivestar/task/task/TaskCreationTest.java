package app.fivestar.task.task;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.ContractValidator;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.EventCapture;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestTokens;
import app.fivestar.task.Fixtures;
import app.fivestar.task.directory.Person;
import app.fivestar.task.directory.WorkingGroup;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @io.quarkus.test.common.ResourceArg(name = "database", value = "task"))
class TaskCreationTest {

    static EventCapture taskEvents;

    @Inject
    EntityManager em;

    WorkingGroup group;
    Person office;
    Person cadre;

    @BeforeAll
    static void listen() {
        taskEvents = EventCapture.on(Topics.TASK_EVENTS);
    }

    @AfterAll
    static void stopListening() {
        taskEvents.close();
    }

    @BeforeEach
    void directory() {
        group = Fixtures.group("生态宜居专班", "ST");
        office = Fixtures.person("office", null, "OFFICE");
        cadre = Fixtures.person("cadre", group, "CADRE");
        Person lead = Fixtures.person("lead", group, "GROUP_LEAD");
        Fixtures.lead(group, lead);
    }

    @Test
    void officeHandsATaskToAPersonAndTheAssignedEventFollowsTheContract() {
        String id = given().auth().oauth2(Fixtures.tokenOf(office)).contentType(ContentType.JSON)
                .body(Map.of("title", "清理坑塘垃圾", "groupId", group.id, "assigneeId", cadre.id, "dueDate", LocalDate.now().plusDays(3).toString()))
                .when().post("/api/v1/tasks")
                .then().statusCode(201)
                .header("ETag", notNullValue())
                .header("Location", containsString("/api/v1/tasks/"))
                .body("status", equalTo("ASSIGNED"))
                .body("assigneeId", equalTo(cadre.id.toString()))
                .extract().path("id");

        CloudEvent event = await().atMost(Duration.ofSeconds(20)).until(() -> find(id), Optional::isPresent).get();
        assertEquals("task.assigned.v1", event.type());
        assertEquals("/task-service", event.source());
        assertEquals(group.leadId.toString(), event.text("groupLeadId"));
        assertEquals("ST", event.text("star"));
        assertEquals(List.of(), ContractValidator.problems(event));
        assertTrue(taskEvents.records().stream().anyMatch(r -> id.equals(r.key())), "record key is the task id");

        given().auth().oauth2(app.fivestar.task.Demo.token("leader")).when().get("/api/v1/tasks/" + id)
                .then().statusCode(200).body("title", equalTo("清理坑塘垃圾")).header("ETag", notNullValue());
    }

    @Test
    void aNulCharacterInATextIsABadRequestNamingTheFieldNotAServerError() {
        given().auth().oauth2(Fixtures.tokenOf(office)).contentType(ContentType.JSON)
                .body("{\"title\":\"清理\\u0000坑塘\",\"groupId\":\"" + group.id + "\",\"dueDate\":\"" + LocalDate.now().plusDays(3) + "\"}")
                .when().post("/api/v1/tasks")
                .then().statusCode(400).contentType("application/problem+json").body("violations[0].field", equalTo("title"));
    }

    @Test
    void aRejectedTaskLeavesNeitherTaskNorEvent() {
        long tasksBefore = count("task");
        long outboxBefore = count("outbox_event");
        Person stranger = Fixtures.person("stranger", Fixtures.group("其他专班", "ZB"), "CADRE");

        given().auth().oauth2(Fixtures.tokenOf(office)).contentType(ContentType.JSON)
                .body(Map.of("title", "不该存在的任务", "groupId", group.id, "assigneeId", stranger.id, "dueDate", LocalDate.now().plusDays(3).toString()))
                .when().post("/api/v1/tasks")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://fivestar.app/problems/unprocessable"))
                .body("violations.field", hasItem("assigneeId"));

        assertEquals(tasksBefore, count("task"));
        assertEquals(outboxBefore, count("outbox_event"));
    }

    @Test
    void withoutATokenTheAnswerIsAnUnauthorizedProblem() {
        given().contentType(ContentType.JSON).body(Map.of("title", "x"))
                .when().post("/api/v1/tasks")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", equalTo("https://fivestar.app/problems/unauthorized"));
    }

    @Test
    void aForgedTokenIsRejected() {
        String forged = TestTokens.token("OFFICE");
        String[] parts = forged.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        given().auth().oauth2(tampered).when().get("/api/v1/tasks/" + java.util.UUID.randomUUID())
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aCadreMayNotDispatch() {
        given().auth().oauth2(Fixtures.tokenOf(cadre)).contentType(ContentType.JSON)
                .body(Map.of("title", "越权", "groupId", group.id, "dueDate", LocalDate.now().plusDays(3).toString()))
                .when().post("/api/v1/tasks")
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://fivestar.app/problems/forbidden"));
    }

    @Test
    void invalidFieldsAreNamedInAValidationProblem() {
        given().auth().oauth2(Fixtures.tokenOf(office)).contentType(ContentType.JSON)
                .body(Map.of("title", " ", "dueDate", "2001-01-01"))
                .when().post("/api/v1/tasks")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://fivestar.app/problems/validation"))
                .body("violations.field", hasItems("title", "groupId"))
                .body("stackTrace", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(Fixtures.tokenOf(office)).contentType(ContentType.JSON)
                .body(Map.of("title", "过去的任务", "groupId", group.id, "dueDate", "2001-01-01"))
                .when().post("/api/v1/tasks")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("dueDate"));
    }

    @Test
    void malformedJsonIsABadRequestProblemWithoutAStackTrace() {
        given().auth().oauth2(Fixtures.tokenOf(office)).contentType(ContentType.JSON)
                .body("{\"title\": \"x\", \"groupId\": \"not-a-uuid\", \"dueDate\": \"2099-01-01\"}")
                .when().post("/api/v1/tasks")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://fivestar.app/problems/malformed-body"))
                .body(org.hamcrest.Matchers.not(containsString("Exception")));
        given().auth().oauth2(Fixtures.tokenOf(office)).contentType(ContentType.JSON)
                .body("{\"title\": ")
                .when().post("/api/v1/tasks")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void unknownTasksAndPathsAreNotFoundProblems() {
        given().auth().oauth2(app.fivestar.task.Demo.token("leader")).when().get("/api/v1/tasks/" + java.util.UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://fivestar.app/problems/not-found"));
        given().auth().oauth2(app.fivestar.task.Demo.token("leader")).when().get("/api/v1/tasks/not-a-uuid")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aWrongMediaTypeIsAnUnsupportedMediaTypeProblem() {
        given().auth().oauth2(Fixtures.tokenOf(office)).contentType(ContentType.TEXT).body("hello")
                .when().post("/api/v1/tasks")
                .then().statusCode(415).contentType("application/problem+json")
                .body("type", equalTo("https://fivestar.app/problems/unsupported-media-type"));
    }

    private Optional<CloudEvent> find(String taskId) {
        return taskEvents.events().stream().filter(e -> taskId.equals(e.subject())).findFirst();
    }

    private long count(String table) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> ((Number) em.createNativeQuery("select count(*) from " + table).getSingleResult()).longValue());
    }
}
