package app.fivestar.task.outbox;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.Topics;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class OutboxRelayTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    /** An ad-hoc task made by the office (its event goes out through the relay); answers its id. */
    static String task(app.fivestar.task.directory.Person office, app.fivestar.task.directory.WorkingGroup group, String title) {
        return given().auth().oauth2(Fixtures.tokenOf(office)).contentType(ContentType.JSON)
                .body(Map.of("title", title, "groupId", group.id, "dueDate", LocalDate.now().plusDays(1).toString()))
                .when().post("/api/v1/tasks").then().statusCode(201).extract().path("id");
    }

    @Test
    void whileAnotherInstancesRelayHoldsTheLeaseThisOneWaitsAndThenPublishesEachEventOnce() throws Exception {
        var group = Fixtures.group("文明幸福专班", "WM");
        var office = Fixtures.person("relay-office", null, "OFFICE");
        try (EventCapture capture = EventCapture.on(Topics.TASK_EVENTS);
             Connection otherInstance = DriverManager.getConnection(jdbcUrl, user, password)) {
            // another instance's relay is busy publishing: it holds the relay lease
            otherInstance.createStatement().execute("insert into outbox_relay_lease (id, holder, until) values (1, 'another-instance', now() + "
                    + "interval '1 hour') on conflict (id) do update set holder = excluded.holder, until = excluded.until");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(task(office, group, "顺序 " + i));
            }
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> capture.events().stream().noneMatch(e -> ids.contains(e.subject())));

            // it stops cleanly: its lease ends, this instance takes over
            otherInstance.createStatement().execute("update outbox_relay_lease set until = now() where holder = 'another-instance'");

            List<String> published = await().atMost(Duration.ofSeconds(20)).until(() -> capture.events().stream()
                    .map(CloudEvent::subject).filter(ids::contains).toList(), l -> l.size() >= ids.size());
            assertEquals(ids.stream().sorted().toList(), published.stream().sorted().toList(), "each event exactly once");
        }
    }

    /**
     * The relay writes its lease row when a third of the lease has passed, not with every batch: six events made one
     * after another, each relayed in a batch of its own, leave the lease row written at most twice (it was six times).
     */
    @Test
    void theLeaseIsNotWrittenWithEveryBatch() throws Exception {
        var group = Fixtures.group("清洁卫生专班", "WM");
        var office = Fixtures.person("relay-lease-office", null, "OFFICE");
        try (EventCapture capture = EventCapture.on(Topics.TASK_EVENTS);
             Connection look = DriverManager.getConnection(jdbcUrl, user, password)) {
            java.util.Set<String> writes = new java.util.HashSet<>();
            for (int i = 0; i < 6; i++) {
                String id = task(office, group, "租约 " + i);
                await().atMost(Duration.ofSeconds(20)).until(() -> capture.events().stream().anyMatch(e -> id.equals(e.subject())));
                try (var rs = look.createStatement().executeQuery("select cast(xmin as text) from outbox_relay_lease where id = 1")) {
                    rs.next();
                    writes.add(rs.getString(1)); // the transaction that last wrote the row
                }
            }
            assertTrue(writes.size() <= 2, "lease row written by " + writes.size() + " transactions during six batches");
        }
    }

    /**
     * A batch Kafka acknowledged is marked published by the relay's next read, which runs at once: the last event
     * before a quiet spell is marked within moments, and is not sent again.
     */
    @Test
    void theLastBatchBeforeAQuietSpellIsMarkedAndNotSentAgain() throws Exception {
        var group = Fixtures.group("平安法治专班", "ST");
        var office = Fixtures.person("relay-quiet-office", null, "OFFICE");
        try (EventCapture capture = EventCapture.on(Topics.TASK_EVENTS);
             Connection look = DriverManager.getConnection(jdbcUrl, user, password)) {
            String id = task(office, group, "安静之前");
            await().atMost(Duration.ofSeconds(20)).until(() -> capture.events().stream().anyMatch(e -> id.equals(e.subject())));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
                try (var s = look.prepareStatement("select count(*) filter (where published_at is null), count(*) from outbox_event where record_key = ?")) {
                    s.setString(1, id);
                    try (var rs = s.executeQuery()) {
                        rs.next();
                        return rs.getLong(1) == 0 && rs.getLong(2) > 0;
                    }
                }
            });
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> capture.events().stream().filter(e -> id.equals(e.subject())).count() == 1);
        }
    }

    @Test
    void noTransactionStaysOpenWhileTheBrokerIsAskedAndTheEventGoesOutOnceItIsBack() throws Exception {
        var kafka = app.fivestar.platform.testing.TestServers.get().embeddedKafka();
        org.junit.jupiter.api.Assumptions.assumeTrue(kafka.isPresent(), "needs the broker this JVM runs (the default)");
        var group = Fixtures.group("生态宜居专班", "ST");
        var office = Fixtures.person("relay-office2", null, "OFFICE");
        try (EventCapture capture = EventCapture.on(Topics.TASK_EVENTS);
             Connection watcher = DriverManager.getConnection(jdbcUrl, user, password)) {
            kafka.get().stop();
            String id;
            List<String> open = new ArrayList<>();
            try {
                id = task(office, group, "停机期间");
                // the relay is waiting for the broker now: no session of this database may sit in an open transaction meanwhile
                long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                while (System.nanoTime() < until) {
                    try (var rs = watcher.createStatement().executeQuery("select state, query from pg_stat_activity where datname = current_database() "
                            + "and pid <> pg_backend_pid() and xact_start < now() - interval '500 milliseconds'")) {
                        while (rs.next()) {
                            open.add(rs.getString(1) + ": " + rs.getString(2));
                        }
                    }
                    await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> true);
                }
            } finally {
                kafka.get().restart();
            }
            assertEquals(List.of(), open, "transactions open while the relay waited for the broker");
            String published = id;
            await().atMost(Duration.ofSeconds(90)).until(() -> capture.events().stream().anyMatch(e -> published.equals(e.subject())));
        }
    }
}
