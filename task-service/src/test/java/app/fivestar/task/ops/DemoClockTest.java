package app.fivestar.task.ops;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.time.DemoClock;
import app.fivestar.task.Demo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo clock exists only where it is enabled (the local profile): elsewhere its address is 404, and the clock is real. */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class DemoClockTest {

    @Test
    void withoutTheLocalProfileTheDemoClockIsAbsentAndOnlyAnAdministratorMayAsk() {
        given().auth().oauth2(Demo.token("admin")).contentType(ContentType.JSON).body(Map.of("at", "2026-01-05T01:00:00Z"))
                .put("/api/v1/admin/demo-clock").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Demo.token("admin")).get("/api/v1/admin/demo-clock").then().statusCode(404);
        given().auth().oauth2(Demo.token("office")).contentType(ContentType.JSON).body(Map.of("at", "2026-01-05T01:00:00Z"))
                .put("/api/v1/admin/demo-clock").then().statusCode(403);
    }

    @Test
    void aDemoClockShowsTheInstantItWasMovedToAndRunsOnFromThere() {
        DemoClock clock = new DemoClock(Clock.systemUTC());
        Instant monday = Instant.parse("2026-09-14T01:00:00Z");
        clock.moveTo(monday);
        Instant shown = clock.instant();
        assertTrue(!shown.isBefore(monday) && shown.isBefore(monday.plus(Duration.ofSeconds(5))), shown.toString());
        assertTrue(clock.withZone(java.time.ZoneId.of("Asia/Shanghai")).instant().isBefore(monday.plus(Duration.ofSeconds(5))), "a zoned view keeps the offset");
        clock.reset();
        assertTrue(Duration.between(clock.instant(), Instant.now()).abs().toSeconds() < 5, "back to real time");
    }
}
