package app.fivestar.task.dashboard;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import app.fivestar.task.TestClock;
import app.fivestar.task.task.LifecycleTest;
import app.fivestar.task.task.Task;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** The dashboard's numbers for seeded data, as a town secretary of a town no other test touches sees them. */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class DashboardTest {

    @jakarta.inject.Inject
    DashboardFold fold;

    @io.quarkus.test.common.http.TestHTTPResource("/api/v1/dashboard/stream")
    java.net.URL stream;

    @Test
    void theLiveStreamIsPushedWhenATaskChangeIsCounted() throws Exception {
        // the stream's own look is once a minute in tests (%test.fivestar.dashboard.stream-recheck): an event within
        // seconds is the push of the fold that counted the change
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(stream.toURI()).header("Authorization", "Bearer " + Demo.token("leader"))
                .header("Accept", "text/event-stream").build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
        org.junit.jupiter.api.Assertions.assertEquals(200, response.statusCode());
        var changed = java.util.concurrent.CompletableFuture.supplyAsync(() -> response.body().anyMatch(line -> line.equals("event:changed")
                || line.equals("event: changed")));
        given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", "2026-W48", "lines", List.of(Map.of("title", "看板推送（测试）", "groupId", Demo.ST_GROUP,
                        "dueDate", LocalDate.now().plusDays(3).toString()))))
                .post("/api/v1/dispatches").then().statusCode(201);
        org.junit.jupiter.api.Assertions.assertTrue(changed.get(15, java.util.concurrent.TimeUnit.SECONDS));
    }

    @jakarta.inject.Inject
    jakarta.persistence.EntityManager em;

    @Test
    void aReaderNeverWaitsForAFold() throws Exception {
        given().auth().oauth2(Demo.token("leader")).get("/api/v1/dashboard/summary").then().statusCode(200); // today's day is set
        var held = new java.util.concurrent.CompletableFuture<Void>();
        var release = new java.util.concurrent.CountDownLatch(1);
        // a fold that takes its time (millions of changes, or on another replica) holds the fold lock meanwhile
        var fold = java.util.concurrent.CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("select 1 from pg_advisory_xact_lock(" + app.fivestar.platform.locks.ClusterLock.DASHBOARD_FOLD.id + ")").getSingleResult();
            held.complete(null);
            try {
                release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            held.get(10, java.util.concurrent.TimeUnit.SECONDS);
            var read = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    given().auth().oauth2(Demo.token("leader")).get("/api/v1/dashboard/summary").then().extract().statusCode());
            org.junit.jupiter.api.Assertions.assertEquals(200, read.get(10, java.util.concurrent.TimeUnit.SECONDS),
                    "the answer came while the fold held its lock");
        } finally {
            release.countDown();
            fold.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void realTime() {
        TestClock.reset();
    }

    @Test
    void summaryOverdueBucketsAndTrendCountWhatIsThere() {
        TestClock.set(LocalDateTime.parse("2026-11-25T10:00:00").atZone(ZoneId.of("Asia/Shanghai")).toInstant());
        UUID town = Demo.townId("T09");
        List<String> ids = given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", "2026-W48", "lines", List.of(Map.of("catalogCode", "ST-20", "groupId", Demo.ST_GROUP,
                        "dueDate", "2026-11-28", "fanOut", Map.of("townId", town)))))
                .post("/api/v1/dispatches").then().statusCode(201).extract().jsonPath().getList("tasks.id", String.class);
        QuarkusTransaction.requiringNew().run(() -> {
            Task.update("dueDate = ?1 where id in ?2", LocalDate.of(2026, 11, 20), List.of(UUID.fromString(ids.get(0)), UUID.fromString(ids.get(1))));
            Task.update("dueDate = ?1 where id = ?2", LocalDate.of(2026, 11, 25), UUID.fromString(ids.get(2)));
        });
        String done = ids.get(3);
        LifecycleTest.move("st-cadre", done, "accept", null, LifecycleTest.etag(done)).statusCode(200);
        LifecycleTest.move("st-cadre", done, "submit", Map.of("note", "规划已编制"), LifecycleTest.etag(done)).statusCode(200);
        LifecycleTest.move("office", done, "verify", null, LifecycleTest.etag(done)).statusCode(200);

        fold.fold(); // the counters are folded in the background (at most 500 ms behind): this test does not wait for it
        String secretary = Demo.token("sec-t09");
        given().auth().oauth2(secretary).get("/api/v1/dashboard/summary").then().statusCode(200)
                .body("total", equalTo(20))
                .body("byStatus.VERIFIED", equalTo(1))
                .body("byLight.RED", equalTo(2))
                .body("byLight.YELLOW", equalTo(1))
                .body("byLight.GREEN", equalTo(17))
                .body("completionPercent", equalTo(5.0f))
                .body("overdue", equalTo(2));
        given().auth().oauth2(secretary).get("/api/v1/dashboard/summary?week=2026-W48").then().body("total", equalTo(20));
        given().auth().oauth2(secretary).get("/api/v1/dashboard/overdue?by=village&sort=age").then().statusCode(200)
                .body("", hasSize(2)).body("[0].overdue", equalTo(1)).body("[0].oldestOverdueDays", equalTo(5))
                .body("[0].drillDown", org.hamcrest.Matchers.startsWith("/api/v1/tasks?overdue=true&sort=due&villageId="));
        given().auth().oauth2(secretary).get("/api/v1/dashboard/overdue?by=town").then()
                .body("", hasSize(1)).body("[0].label", equalTo("南河街道")).body("[0].overdue", equalTo(2));
        given().auth().oauth2(secretary).get("/api/v1/dashboard/trend?weeks=2").then().statusCode(200)
                .body("week", equalTo(List.of("2026-W47", "2026-W48")))
                .body("[1].dispatched", equalTo(20)).body("[1].verifiedOnTime", equalTo(1)).body("[1].overdue", equalTo(2))
                .body("[0].dispatched", equalTo(0));
        given().auth().oauth2(secretary).get("/api/v1/dashboard/lights?by=group").then().statusCode(200)
                .body("", hasSize(1)).body("[0].red", equalTo(2)).body("[0].yellow", equalTo(1)).body("[0].green", equalTo(17));
        given().auth().oauth2(secretary).get("/api/v1/dashboard/overdue?by=village&limit=1").then().statusCode(200).body("", hasSize(1));
        given().auth().oauth2(secretary).get("/api/v1/dashboard/overdue?by=village&limit=0").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(Demo.token("leader")).get("/api/v1/dashboard/overdue?by=star").then().statusCode(200);
        given().auth().oauth2(Demo.token("leader")).get("/api/v1/dashboard/overdue?by=planet").then().statusCode(400);
        given().auth().oauth2(Demo.token("st-cadre")).get("/api/v1/dashboard/summary").then().statusCode(403);
    }
}
