package app.fivestar.task.task;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Fixtures;
import app.fivestar.task.directory.Person;
import app.fivestar.task.directory.WorkingGroup;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The phones' delta sync never misses a change although task writes take no global lock: changes stamped in one order
 * and committed in another, while a phone syncs throughout, and a long transaction that holds back nothing but itself.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class ChangeOrderTest {

    static final int WRITERS = 8;
    static final int TASKS_PER_WRITER = 25;

    @Inject
    TaskChanges changes;

    /** A cadre of their own group, so their list holds only this test's tasks. */
    record Cadre(Person person, String token) {
    }

    static Cadre cadre(String name) {
        WorkingGroup group = Fixtures.group(name, "ST");
        Person p = Fixtures.person(name, group, "CADRE");
        return new Cadre(p, Fixtures.tokenOf(p));
    }

    static List<UUID> dispatch(Cadre cadre, int n) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(Map.of("title", "同步检查 " + i, "groupId", cadre.person().groupId, "assigneeId", cadre.person().id,
                    "dueDate", LocalDate.now().plusDays(5).toString()));
        }
        return given().auth().oauth2(app.fivestar.task.Demo.token("office")).contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", "2030-W20", "lines", lines)).when().post("/api/v1/dispatches")
                .then().statusCode(201).extract().jsonPath().getList("tasks.id", String.class).stream().map(UUID::fromString).toList();
    }

    /** A phone: the versions it holds and the token it syncs from; {@link #sync} applies every page of one sync. */
    static final class Phone {
        final Map<UUID, Long> versions = new ConcurrentHashMap<>();
        final String token;
        String since;
        volatile int answers;

        Phone(String token) {
            this.token = token;
        }

        /** One sync (all its pages); answers the ids it received. */
        List<UUID> sync(int limit) {
            List<UUID> received = new ArrayList<>();
            boolean more;
            do {
                JsonPath page = given().auth().oauth2(token).queryParam("limit", limit)
                        .queryParams(since == null ? Map.of() : Map.of("since", since))
                        .when().get("/api/v1/me/tasks").then().statusCode(200).extract().jsonPath();
                for (Map<String, Object> t : page.<Map<String, Object>>getList("changed")) {
                    UUID id = UUID.fromString((String) t.get("id"));
                    versions.merge(id, ((Number) t.get("version")).longValue(), Math::max);
                    received.add(id);
                }
                since = page.getString("syncToken");
                more = page.getBoolean("more");
                answers++;
            } while (more);
            return received;
        }
    }

    /** Changes a task the way every write does (TaskChanges.record in its transaction), keeping the transaction open a while. */
    void change(UUID id, long holdMillis) {
        QuarkusTransaction.requiringNew().run(() -> {
            Task t = Task.findById(id);
            t.note = "changed " + System.nanoTime();
            changes.record(t, t.createdBy, "note", null, null, t.note);
            if (holdMillis > 0) {
                // a transaction still running after it stamped: later stamps commit before it
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(holdMillis));
            }
        });
    }

    static Map<UUID, Long> versionsInDatabase(List<UUID> ids) {
        Map<UUID, Long> out = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> Task.<Task>list("id in ?1", ids).forEach(t -> out.put(t.id, t.version)));
        return out;
    }

    @Test
    void eightWritersCommittingOutOfStampOrderAndAPhoneSyncingThroughoutMissNothing() throws Exception {
        Cadre cadre = cadre("sync-writers");
        List<UUID> ids = dispatch(cadre, WRITERS * TASKS_PER_WRITER);
        Phone phone = new Phone(cadre.token());
        phone.sync(500);
        assertEquals(versionsInDatabase(ids), phone.versions, "the first sync is the list");
        Map<UUID, Long> before = Map.copyOf(phone.versions);

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
        AtomicBoolean writing = new AtomicBoolean(true);
        int first = phone.answers;
        try {
            Future<?> reader = pool.submit(() -> {
                while (writing.get()) {
                    phone.sync(40);
                }
                return null;
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                List<UUID> mine = ids.subList(w * TASKS_PER_WRITER, (w + 1) * TASKS_PER_WRITER);
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < mine.size(); i++) {
                        // the writes span several of the phone's syncs however fast they are: the i-th waits for i / 4 answers
                        int answered = i / 4;
                        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> phone.answers - first >= answered);
                        // every third write of the even writers stays open 20-150 ms after stamping
                        boolean hold = writer % 2 == 0 && i % 3 == 0;
                        change(mine.get(i), hold ? ThreadLocalRandom.current().nextLong(20, 150) : 0);
                    }
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get(2, TimeUnit.MINUTES);
            }
            writing.set(false);
            reader.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        int during = phone.answers;
        phone.sync(40);
        Map<UUID, Long> now = versionsInDatabase(ids);
        for (UUID id : ids) {
            assertEquals(before.get(id) + 1, now.get(id), "each task changed once");
        }
        assertEquals(now, phone.versions, "the union of the phone's syncs is every change");
        assertTrue(during > 5, "the phone synced while the writers wrote: " + during + " answers");
    }

    @Test
    void aSyncDuringALongTransactionStillAnswersTheOtherChanges() throws Exception {
        Cadre cadre = cadre("sync-long");
        List<UUID> ids = dispatch(cadre, 2);
        Phone phone = new Phone(cadre.token());
        phone.sync(500);

        CountDownLatch stamped = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> longOne = pool.submit(() -> {
                QuarkusTransaction.requiringNew().timeout(60).run(() -> {
                    Task t = Task.findById(ids.get(0));
                    t.note = "long";
                    changes.record(t, t.createdBy, "note", null, null, t.note);
                    stamped.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                return null;
            });
            assertTrue(stamped.await(10, TimeUnit.SECONDS));
            change(ids.get(1), 0);
            long start = System.nanoTime();
            List<UUID> received = phone.sync(500);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(List.of(ids.get(1)), received, "the other change comes while the long transaction runs");
            assertTrue(millis < 2000, "answered in " + millis + " ms");
            release.countDown();
            longOne.get(30, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertEquals(List.of(ids.get(0)), phone.sync(500), "the long transaction's change comes once it commits");
        assertFalse(phone.sync(500).contains(ids.get(0)), "and only once");
        assertEquals(versionsInDatabase(ids), phone.versions);
    }
}
