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
        String token = TestTokens.signed(Map.of("personId", java.util.UUID.randomUUID().toString(), "groups", List.of("LEADER")));
        long before = verifiedTokens.answered();
        for (int i = 0; i < 2; i++) { // verified in full, then answered from memory: the person check runs on both
            given().auth().oauth2(token)
                    .get("/api/v1/groups").then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo("https://fivestar.app/problems/unknown-person"));
        }
        org.junit.jupiter.api.Assertions.assertEquals(before + 1, verifiedTokens.answered(), "the second request is answered from memory");
    }

    @jakarta.inject.Inject
    app.fivestar.platform.security.VerifiedTokens verifiedTokens;

    private static String fresh(Map<String, Object> claims) {
        Map<String, Object> all = new java.util.HashMap<>(claims);
        all.put("jti", java.util.UUID.randomUUID().toString()); // a token no other test has sent
        return TestTokens.signed(all);
    }

    @Test
    void aTokenIsVerifiedOnceThenAnsweredFromMemory() {
        String token = fresh(Map.of("personId", CADRE, "groups", List.of("CADRE")));
        long before = verifiedTokens.answered();
        given().auth().oauth2(token).get("/api/v1/groups").then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals(before, verifiedTokens.answered(), "the first request verifies the token");
        given().auth().oauth2(token).get("/api/v1/groups").then().statusCode(200);
        given().auth().oauth2(token).get("/api/v1/groups").then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals(before + 2, verifiedTokens.answered(),
                "the next ones are answered from memory, before OIDC's mechanism parses the token");
    }

    @Test
    void eachRequestGetsTheRolesOfItsOwnToken() {
        String leader = fresh(Map.of("personId", Demo.ST_LEAD.toString(), "groups", List.of("LEADER")));
        String cadre = fresh(Map.of("personId", CADRE, "groups", List.of("CADRE")));
        for (int round = 0; round < 3; round++) { // both remembered after the first round: never one for the other
            given().auth().oauth2(leader).get("/api/v1/dashboard/summary").then().statusCode(200);
            given().auth().oauth2(cadre).get("/api/v1/dashboard/summary").then().statusCode(403);
        }
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() {
        String token = fresh(Map.of("personId", CADRE, "groups", List.of("CADRE"), "exp", Instant.now().plusSeconds(3).getEpochSecond()));
        long before = verifiedTokens.answered();
        given().auth().oauth2(token).get("/api/v1/groups").then().statusCode(200);
        given().auth().oauth2(token).get("/api/v1/groups").then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals(before + 1, verifiedTokens.answered());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).pollInterval(java.time.Duration.ofMillis(250))
                .until(() -> given().auth().oauth2(token).get("/api/v1/groups").statusCode() == 401);
        refused(token);
    }

    @Test
    void aPersonClaimThatIsNoUuidIsRefused() {
        refused(TestTokens.signed(Map.of("personId", "not-a-uuid", "groups", List.of("CADRE"))));
        refused(TestTokens.signed(Map.of("personId", CADRE, "groupId", "x'; drop table task;--", "groups", List.of("CADRE"))));
    }
}
