package app.fivestar.task.catalogue;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class CatalogueTest {

    static final String HEADER = "code,title,description,star,groupCode,level,minPhotos,noteRequired,defaultDays,active\n";

    @Test
    void theIllustrativeCatalogueHas126ItemsOverTheFiveStars() {
        // other tests add items of their own (codes 9x); the shipped ones are the illustrative 126
        java.util.List<String> shipped = given().auth().oauth2(Demo.token("st-cadre")).when().get("/api/v1/catalogue")
                .then().statusCode(200).extract().jsonPath().getList("findAll { it.description.endsWith('（示例）') }.star", String.class);
        assertEquals(126, shipped.size());
        assertEquals(java.util.Set.of("ZB", "CY", "ST", "PA", "WM", "GEN"), new java.util.HashSet<>(shipped));
        given().auth().oauth2(Demo.token("leader")).when().get("/api/v1/catalogue?star=ST")
                .then().statusCode(200).body("code", hasItems("ST-01", "ST-27"));
        given().auth().oauth2(Demo.token("leader")).when().get("/api/v1/catalogue/ST-01")
                .then().statusCode(200).body("minPhotos", equalTo(3)).body("noteRequired", equalTo(true));
    }

    @Test
    void aFileWithABadRowIsReportedRowByRowAndChangesNothing() {
        String file = HEADER
                + "ST-90,新任务（应被拒绝）,说明,ST,G-ST,VILLAGE,1,true,7,true\n"
                + "ST-91,,说明,ST,G-NOPE,PLANET,-1,maybe,0,true\n"
                + "CY-92,错星,说明,ST,G-CY,TOWN,1,true,7,true\n";
        given().auth().oauth2(Demo.token("office")).contentType("text/csv").body(file.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/catalogue/import")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.findAll { it.row == 3 }.column", hasItems("title", "groupCode", "level", "minPhotos", "noteRequired", "defaultDays"))
                .body("errors.findAll { it.row == 4 }.column", hasItems("star"));
        given().auth().oauth2(Demo.token("office")).when().get("/api/v1/catalogue/ST-90").then().statusCode(404);
    }

    @Test
    void aGoodFileIsAppliedAsUpsertsByCode() {
        String file = HEADER
                + "WM-95,新增文明实践任务（测试）,说明,WM,G-WM,VILLAGE,0,false,10,true\n"
                + "WM-96,另一个新增任务（测试）,说明,WM,G-WM,TOWN,2,true,20,false\n";
        given().auth().oauth2(Demo.token("office")).contentType("text/csv").body(file.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/catalogue/import")
                .then().statusCode(200).body("created", equalTo(2));
        String changed = HEADER + "WM-95,改过的标题（测试）,说明,WM,G-WM,VILLAGE,0,false,10,true\n";
        given().auth().oauth2(Demo.token("office")).contentType("text/csv").body(changed.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/catalogue/import")
                .then().statusCode(200).body("created", equalTo(0)).body("updated", equalTo(1));
        given().auth().oauth2(Demo.token("office")).when().get("/api/v1/catalogue/WM-95").then().body("title", equalTo("改过的标题（测试）"));
    }

    @Test
    void csvAndExcelExportsImportBackUnchanged() {
        for (String format : new String[] {"csv", "xlsx"}) {
            byte[] exported = given().auth().oauth2(Demo.token("office")).when().get("/api/v1/catalogue/export?format=" + format)
                    .then().statusCode(200).extract().asByteArray();
            String type = format.equals("csv") ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            int total = given().auth().oauth2(Demo.token("office")).contentType(type).body(exported)
                    .when().post("/api/v1/catalogue/import")
                    .then().statusCode(200).body("created", equalTo(0)).body("updated", equalTo(0))
                    .extract().path("unchanged");
            assertEquals(true, total >= 126, format);
        }
    }

    @Test
    void onlyTheOfficeImportsAndOtherFormatsAreRefused() {
        given().auth().oauth2(Demo.token("st-cadre")).contentType("text/csv").body(HEADER.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/catalogue/import").then().statusCode(403);
        given().auth().oauth2(Demo.token("office")).contentType("application/json").body("{}")
                .when().post("/api/v1/catalogue/import").then().statusCode(415).contentType("application/problem+json");
        given().auth().oauth2(Demo.token("office")).contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .body("not a workbook".getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/catalogue/import").then().statusCode(422).contentType("application/problem+json");
    }
}
