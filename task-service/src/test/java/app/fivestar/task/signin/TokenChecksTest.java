package app.fivestar.task.signin;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestTokens;
import app.fivestar.task.Demo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * What the service refuses of a correctly signed token (quickly, with the test key; deploy/local's SignInTest goes
 * through Keycloak): another audience, expired, another issuer, no person claim, a person claim that is no UUID —
 * each 401 problem details, never a 500 or a 200; a person the directory does not know: 403.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class TokenChecksTest {

    static final String CADRE = Demo.ST_CADRE.toString();

    private static void refused(String token) {
        given().auth().oauth2(token).get("/api/v1/groups").then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401));
    }

    @Test
    void aWellFormedTokenIsAccepted() {
        given().auth().oauth2(TestTokens.signed(Map.of("personId", CADRE, "groups", List.of("CADRE"))))
                .get("/api/v1/groups").then().statusCode(200);
    }

    @Test
    void anotherAudienceIsRefused() {
        refused(TestTokens.signed(Map.of("personId", CADRE, "groups", List.of("CADRE"), "aud", "some-other-api")));
    }

    @Test
    void anExpiredTokenIsRefused() {
        refused(TestTokens.signed(Map.of("personId", CADRE, "groups", List.of("CADRE"), "exp", Instant.now().minusSeconds(600).getEpochSecond())));
    }

    @Test
    void anotherIssuerIsRefused() {
        refused(TestTokens.signed(Map.of("personId", CADRE, "groups", List.of("CADRE"), "iss", "https://elsewhere.test/issuer")));
    }

    @Test
    void aTokenWithoutAPersonIsRefused() {
        refused(TestTokens.signed(Map.of("groups", List.of("CADRE"), "sub", CADRE)));
        refused(TestTokens.signed(Map.of("personId", " ", "groups", List.of("CADRE"))));
    }

    @Test
    void aPersonTheDirectoryDoesNotKnowGetsNoRoleHere() {
        given().auth().oauth2(TestTokens.signed(Map.of("personId", java.util.UUID.randomUUID().toString(), "groups", List.of("LEADER"))))
                .get("/api/v1/groups").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://fivestar.app/problems/unknown-person"));
    }

    @Test
    void aPersonClaimThatIsNoUuidIsRefused() {
        refused(TestTokens.signed(Map.of("personId", "not-a-uuid", "groups", List.of("CADRE"))));
        refused(TestTokens.signed(Map.of("personId", CADRE, "groupId", "x'; drop table task;--", "groups", List.of("CADRE"))));
    }
}
