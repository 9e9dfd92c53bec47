package app.fivestar.task.outbox;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.locks.ClusterLock;
import app.fivestar.platform.testing.EventCapture;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Fixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class OutboxRelayTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void whileAnotherInstancesRelayHoldsTheLockThisOneWaitsAndThenPublishesEachEventOnce() throws Exception {
        var group = Fixtures.group("文明幸福专班", "WM");
        var office = Fixtures.person("relay-office", null, "OFFICE");
        try (EventCapture capture = EventCapture.on(Topics.TASK_EVENTS);
             Connection otherInstance = DriverManager.getConnection(jdbcUrl, user, password)) {
            // another instance's relay is busy publishing: it holds the relay lock
            otherInstance.createStatement().execute("select pg_advisory_lock(" + ClusterLock.OUTBOX_RELAY.id + ")");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(given().auth().oauth2(Fixtures.tokenOf(office)).contentType(ContentType.JSON)
                        .body(Map.of("title", "顺序 " + i, "groupId", group.id, "dueDate", LocalDate.now().plusDays(1).toString()))
                        .when().post("/api/v1/tasks").then().statusCode(201).extract().<String>path("id"));
            }
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> capture.events().stream().noneMatch(e -> ids.contains(e.subject())));

            otherInstance.createStatement().execute("select pg_advisory_unlock(" + ClusterLock.OUTBOX_RELAY.id + ")");

            List<String> published = await().atMost(Duration.ofSeconds(20)).until(() -> capture.events().stream()
                    .map(CloudEvent::subject).filter(ids::contains).toList(), l -> l.size() >= ids.size());
            assertEquals(ids.stream().sorted().toList(), published.stream().sorted().toList(), "each event exactly once");
        }
    }
}
