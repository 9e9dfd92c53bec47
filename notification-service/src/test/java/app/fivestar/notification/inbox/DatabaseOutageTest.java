package app.fivestar.notification.inbox;

import app.fivestar.notification.People;
import app.fivestar.notification.People.Person;
import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.EventCapture;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestRecords;
import app.fivestar.platform.testing.TestServers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Infrastructure failure is not poison: while notification-service's database refuses connections (its sessions
 * terminated, new ones refused, as an operator's restart or a failover does), the events it consumes wait and then
 * all arrive; none is dead-lettered. (Before: 2 attempts in tests, then the DLT.)
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class DatabaseOutageTest {

    static final int EVENTS = 30;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void eventsConsumedDuringADatabaseOutageAllArriveAndNoneIsDeadLettered() throws Exception {
        UUID group = UUID.randomUUID();
        Person cadre = People.person("CADRE", group, null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(cadre::inbox);
        String database = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        List<UUID> ids = new ArrayList<>();
        try (EventCapture deadLetters = EventCapture.on(Topics.deadLetter(Topics.TASK_EVENTS));
             Connection admin = TestServers.get().adminConnection()) {
            outage(admin, database, true);
            try {
                for (int i = 0; i < EVENTS; i++) {
                    CloudEvent e = People.taskEvent("task.assigned.v1", Map.of("assigneeId", cadre.id(), "groupId", group, "title", "停库期间 " + i));
                    ids.add(e.id());
                    TestRecords.send(Topics.TASK_EVENTS, e);
                }
                // the outage lasts well past the old retry budget (2 attempts, 50 ms apart in tests); meanwhile the
                // workers say they cannot make progress (readiness DOWN) but keep beating (liveness UP: no restart loop)
                long t0 = System.nanoTime();
                await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                        .body("checks.find { it.name == 'background workers make progress' }.status", equalTo("DOWN")));
                given().get("/q/health/live").then().statusCode(200)
                        .body("checks.find { it.name == 'background workers beat' }.status", equalTo("UP"));
                await().pollDelay(Duration.ofNanos(Math.max(1, Duration.ofSeconds(8).toNanos() - (System.nanoTime() - t0))))
                        .atMost(Duration.ofSeconds(9)).until(() -> true);
                given().get("/q/health/live").then().statusCode(200);
            } finally {
                outage(admin, database, false);
            }
            // UP again by itself once the database is back
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .body("checks.find { it.name == 'background workers make progress' }.status", equalTo("UP")));
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertEquals(EVENTS, QuarkusTransaction.requiringNew().call(
                    () -> Notification.count("recipientId = ?1 and title like ?2", cadre.id(), "%停库期间%"))));
            Set<String> ours = ids.stream().map(UUID::toString).collect(Collectors.toSet());
            long dead = deadLetters.events().stream().filter(e -> ours.contains(e.id().toString())).count();
            assertEquals(0, dead, "events dead-lettered during the outage");
        }
    }

    /** Refuses new connections to the database and ends its sessions; or lets them in again. */
    static void outage(Connection admin, String database, boolean on) throws SQLException {
        try (Statement s = admin.createStatement()) {
            if (on) {
                s.execute("alter database " + database + " allow_connections false");
                s.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + database + "' and pid <> pg_backend_pid()");
            } else {
                s.execute("alter database " + database + " allow_connections true");
            }
        }
    }
}
