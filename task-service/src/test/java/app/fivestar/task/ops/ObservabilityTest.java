package app.fivestar.task.ops;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Fixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class ObservabilityTest {

    @Test
    void readinessIsTheDatabaseNotTheBroker() {
        // a broker outage must not take the API out of service: the outbox rides it out (its backlog is a metric)
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check"))
                .body("checks.name", not(hasItems("Kafka connection health check")));
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsCountPublishedEventsAndTheOutboxBacklog() {
        var group = Fixtures.group("产业兴旺专班", "CY");
        var office = Fixtures.person("metrics-office", null, "OFFICE");
        given().auth().oauth2(Fixtures.tokenOf(office)).contentType(ContentType.JSON)
                .body(Map.of("title", "统计任务", "groupId", group.id, "dueDate", LocalDate.now().plusDays(1).toString()))
                .when().post("/api/v1/tasks").then().statusCode(201);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().when().get("/q/metrics").then().statusCode(200)
                        .body(containsString("fivestar_events_published_total{"))
                        .body(containsString("fivestar_outbox_backlog")));
        // how far the consumer is behind its topics, from the Kafka client's own metrics
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().when().get("/q/metrics").then().statusCode(200)
                        .body(containsString("kafka_consumer_fetch_manager_records_lag_max")));
    }

    @Test
    void everyOperationIsDescribedAndTheMainRequestsCarryExamples() {
        io.restassured.path.json.JsonPath doc = given().accept("application/json").when().get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
        java.util.Map<String, java.util.Map<String, Object>> paths = doc.getMap("paths");
        java.util.List<String> undocumented = new java.util.ArrayList<>();
        paths.forEach((path, operations) -> operations.forEach((method, op) -> {
            if (op instanceof java.util.Map<?, ?> m && (m.get("summary") == null || m.get("summary").toString().isBlank())) {
                undocumented.add(method.toUpperCase() + " " + path);
            }
        }));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), undocumented);
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(doc.prettify());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        com.fasterxml.jackson.databind.JsonNode schemas = tree.path("components").path("schemas");
        org.hamcrest.MatcherAssert.assertThat(schemas.path("DispatchRequest").toString(), containsString("2026-W48"));
        org.hamcrest.MatcherAssert.assertThat(schemas.path("NewTask").toString(), containsString("2026-11-29"));
        org.hamcrest.MatcherAssert.assertThat(schemas.path("Submission").toString(), containsString("坑塘已清理完毕"));
    }

    @Test
    void theOpenApiDocumentAndSwaggerUiNeedNoToken() {
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/tasks"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }
}
