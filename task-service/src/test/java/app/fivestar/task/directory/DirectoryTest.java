package app.fivestar.task.directory;

import app.fivestar.platform.events.CloudEvent;
import app.fivestar.platform.events.ContractValidator;
import app.fivestar.platform.events.Topics;
import app.fivestar.platform.testing.EventCapture;
import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.List;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class DirectoryTest {

    @Test
    void theDemoDistrictHasTenTownsTwoHundredVillagesTheOfficeAndSevenGroups() {
        String token = Demo.token("leader");
        given().auth().oauth2(token).when().get("/api/v1/towns").then().statusCode(200).body("", hasSize(10));
        given().auth().oauth2(token).when().get("/api/v1/villages").then().statusCode(200).body("size()", equalTo(200));
        given().auth().oauth2(token).when().get("/api/v1/villages?townId=" + Demo.townId("T03")).then().statusCode(200).body("", hasSize(20));
        given().auth().oauth2(token).when().get("/api/v1/groups").then().statusCode(200)
                .body("findAll { it.kind == 'GROUP' }.size()", equalTo(7))
                .body("findAll { it.kind == 'OFFICE' }.size()", equalTo(1));
    }

    @Test
    void aTownSecretarySeesTheirTownsPeopleAndContactsGoOnlyToTheOfficeAndTheOwnLead() {
        UUID t01 = Demo.townId("T01");
        given().auth().oauth2(Demo.token("sec-t01")).when().get("/api/v1/people?size=200")
                .then().statusCode(200).body("items.townId", everyItem(equalTo(t01.toString()))).body("total", equalTo(1))
                .body("items.email", everyItem(nullValue()));
        given().auth().oauth2(Demo.token("sec-t01")).when().get("/api/v1/people?groupId=" + Demo.ST_GROUP)
                .then().statusCode(200).body("items", hasSize(0));
        UUID cy = Demo.groupId("G-CY");
        given().auth().oauth2(Demo.token("st-lead")).when().get("/api/v1/people?groupId=" + Demo.ST_GROUP)
                .then().statusCode(200).body("items.find { it.username == 'st-cadre' }.email", equalTo("st-cadre@fivestar.example"));
        given().auth().oauth2(Demo.token("st-lead")).when().get("/api/v1/people?groupId=" + cy)
                .then().statusCode(200).body("items.username", hasItem("cy-cadre")).body("items.email", everyItem(nullValue()));
        given().auth().oauth2(Demo.token("leader")).when().get("/api/v1/people?groupId=" + cy)
                .then().statusCode(200).body("items.email", everyItem(nullValue()));
        given().auth().oauth2(Demo.token("office")).when().get("/api/v1/people?groupId=" + cy)
                .then().statusCode(200).body("items.find { it.username == 'cy-cadre' }.email", equalTo("cy-cadre@fivestar.example"));
    }

    @Test
    void peopleArePagedAndFiltered() {
        String token = Demo.token("office");
        given().auth().oauth2(token).when().get("/api/v1/people?role=TOWN_SECRETARY&size=4&page=0")
                .then().statusCode(200).body("items", hasSize(4)).body("total", equalTo(10));
        given().auth().oauth2(token).when().get("/api/v1/people?groupId=" + Demo.ST_GROUP)
                .then().statusCode(200).body("items.username", hasItem("st-cadre"));
        given().auth().oauth2(token).when().get("/api/v1/people?size=500").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(Demo.token("st-cadre")).when().get("/api/v1/people").then().statusCode(403);
    }

    @Test
    void importedPeopleArePublishedOnDirectoryEvents() {
        String file = "username,displayName,roles,groupCode,townCode,phone,email,active,villageCodes\n"
                + "new-cadre-7,新来的干部（测试）,CADRE,G-ST,,13800000000,new7@fivestar.example,true,T01-V01|T01-V02\n";
        try (EventCapture capture = EventCapture.on(Topics.DIRECTORY_EVENTS)) {
            given().auth().oauth2(Demo.token("office")).contentType("text/csv").body(file.getBytes(StandardCharsets.UTF_8))
                    .when().post("/api/v1/directory/people/import").then().statusCode(200).body("created", equalTo(1));
            CloudEvent event = await().atMost(Duration.ofSeconds(20)).until(() -> capture.events().stream()
                    .filter(e -> "new-cadre-7".equals(e.text("username"))).findFirst(), Optional::isPresent).get();
            assertEquals("directory.person-upserted.v1", event.type());
            assertEquals(2, event.data().get("villageIds").size());
            assertEquals(List.of(), ContractValidator.problems(event));
        }
    }

    @Test
    void aBadPeopleFileNamesEveryProblemAndChangesNothing() {
        String file = "username,displayName,roles,groupCode,townCode,phone,email,active,villageCodes\n"
                + "ok-person-8,应不被导入,CADRE,G-ST,,,,true,\n"
                + "Bad Name,,KING,G-NOPE,T99,,not-mail,true,T01-V99\n";
        given().auth().oauth2(Demo.token("office")).contentType("text/csv").body(file.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/directory/people/import").then().statusCode(422)
                .body("errors.findAll { it.row == 3 }.column", org.hamcrest.Matchers.hasItems("username", "displayName", "roles", "groupCode",
                        "townCode", "email", "villageCodes"));
        given().auth().oauth2(Demo.token("office")).when().get("/api/v1/people?q=ok-person-8").then().body("total", equalTo(0));
    }

    @Test
    void placesAndPeopleExportsImportBack() {
        for (String what : new String[] {"places", "people"}) {
            byte[] xlsx = given().auth().oauth2(Demo.token("office")).when().get("/api/v1/directory/" + what + "/export?format=xlsx")
                    .then().statusCode(200).extract().asByteArray();
            given().auth().oauth2(Demo.token("office")).contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").body(xlsx)
                    .when().post("/api/v1/directory/" + what + "/import").then().statusCode(200).body("created", equalTo(0));
        }
    }
}
