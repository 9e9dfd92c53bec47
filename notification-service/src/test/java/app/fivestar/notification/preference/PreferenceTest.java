package app.fivestar.notification.preference;

import app.fivestar.notification.People;
import app.fivestar.notification.People.Person;
import app.fivestar.platform.testing.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** Quiet hours are a start and an end, or neither: half of them is refused and nothing is stored. */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class PreferenceTest {

    @Test
    void halfSetQuietHoursAreRefusedAndNothingIsWritten() {
        Person cadre = People.known("CADRE", java.util.UUID.randomUUID(), null);
        var before = given().auth().oauth2(cadre.token()).get("/api/v1/preferences").then().statusCode(200).extract();
        String etag = before.header("ETag");
        for (String half : new String[] {"quietStart", "quietEnd"}) {
            Map<String, Object> body = new HashMap<>(Map.of("channels", Map.of(), "digest", false));
            body.put(half, "22:00");
            given().auth().oauth2(cadre.token()).contentType(ContentType.JSON).header("If-Match", etag).body(body)
                    .put("/api/v1/preferences").then().statusCode(422).contentType("application/problem+json")
                    .body("violations[0].field", equalTo(half.equals("quietStart") ? "quietEnd" : "quietStart"));   // the missing one
        }
        var after = given().auth().oauth2(cadre.token()).get("/api/v1/preferences").then().statusCode(200).extract();
        org.junit.jupiter.api.Assertions.assertEquals(etag, after.header("ETag"), "nothing was written");
        org.junit.jupiter.api.Assertions.assertEquals(before.asString(), after.asString());
        given().auth().oauth2(cadre.token()).contentType(ContentType.JSON).header("If-Match", etag)
                .body(Map.of("channels", Map.of(), "digest", false, "quietStart", "22:00", "quietEnd", "07:00"))
                .put("/api/v1/preferences").then().statusCode(200).body("quietStart", org.hamcrest.Matchers.startsWith("22:00"));
    }
}
