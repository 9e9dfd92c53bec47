package app.fivestar.task.signin;

import app.fivestar.platform.testing.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/** The production build has no token endpoint of its own: people sign in at the OpenID Connect provider. */
@QuarkusTest
@TestProfile(ProductionProfileTest.Production.class)
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class ProductionProfileTest {

    public static class Production implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // prod has no demo fallback for the ladder's last step (RequiredSettings)
            // and an identity provider that is not there (yet): the service starts all the same and finds it later
            return Map.of("fivestar.overdue.district-secretary", "leader",
                    "quarkus.oidc.auth-server-url", "http://127.0.0.1:1/realms/fivestar", "quarkus.oidc.token.issuer", "http://127.0.0.1:1/realms/fivestar",
                    "quarkus.oidc.token.audience", "fivestar-api", "quarkus.oidc.public-key", "");
        }
    }

    @Test
    void thereIsNoDemoSignIn() {
        given().contentType(ContentType.JSON).body(Map.of("username", "office"))
                .when().post("/api/v1/dev/token").then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/v1/dev/users").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void whileTheIdentityProviderCannotBeReachedARequestIsToldToComeBackNotToSignInAgain() {
        given().auth().oauth2(app.fivestar.platform.testing.TestTokens.token("OFFICE")).when().get("/api/v1/groups")
                .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5");
        given().when().get("/api/v1/groups").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void healthMetricsAndOpenApiStayOpen() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200).body(not(containsString("/api/v1/dev/token")));
    }
}
