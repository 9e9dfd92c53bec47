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

/** In the prod profile the demo sign-in does not exist, even with a signing key lying around. */
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
            return Map.of("fivestar.overdue.district-secretary", "leader");
        }
    }

    @Test
    void thereIsNoDemoSignIn() {
        given().contentType(ContentType.JSON).body(Map.of("username", "office"))
                .when().post("/api/v1/dev/token").then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/v1/dev/users").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void healthMetricsAndOpenApiStayOpen() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200).body(not(containsString("/api/v1/dev/token")));
    }
}
