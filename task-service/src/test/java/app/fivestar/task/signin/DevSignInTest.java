package app.fivestar.task.signin;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Fixtures;
import app.fivestar.task.directory.Person;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class DevSignInTest {

    @Test
    void aDemoPersonSignsInAndTheTokenCarriesTheirRoles() {
        var group = Fixtures.group("平安法治专班", "PA");
        Person office = Fixtures.person("demo-office", null, "OFFICE");

        given().when().get("/api/v1/dev/users").then().statusCode(200)
                .body("username", hasItem(office.username));

        String token = given().contentType(ContentType.JSON).body(Map.of("username", office.username))
                .when().post("/api/v1/dev/token")
                .then().statusCode(200)
                .body("user.roles", hasItem("OFFICE"))
                .extract().path("token");

        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("title", "演示任务", "groupId", group.id, "dueDate", LocalDate.now().plusDays(1).toString()))
                .when().post("/api/v1/tasks")
                .then().statusCode(201);
    }

    @Test
    void anUnknownUsernameIsNotFound() {
        given().contentType(ContentType.JSON).body(Map.of("username", "nobody-here"))
                .when().post("/api/v1/dev/token")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://fivestar.app/problems/not-found"));
    }
}
