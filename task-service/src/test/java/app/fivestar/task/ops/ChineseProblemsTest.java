package app.fivestar.task.ops;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.platform.testing.TestTokens;
import app.fivestar.task.Demo;
import app.fivestar.task.task.LifecycleTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * People read Chinese: every kind of problem this service answers has a Chinese title and detail, and the
 * violations' messages are Chinese too (Hibernate Validator's zh_CN bundle, ours for the rest), whatever the
 * request's Accept-Language. Type slugs and field names stay English for programs.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class ChineseProblemsTest {

    static final Pattern CHINESE = Pattern.compile("\\p{IsHan}");

    static io.restassured.specification.RequestSpecification as(String who) {
        return given().auth().oauth2(Demo.token(who)).header("Accept-Language", "en-US,en;q=0.9");
    }

    @Test
    void everyProblemKindSpeaksChinese() {
        String task = LifecycleTest.dispatchOne("ST-21");
        Map<String, Supplier<ExtractableResponse<Response>>> kinds = new LinkedHashMap<>();
        kinds.put("validation", () -> as("office").contentType(ContentType.JSON)
                .body(Map.of("title", "", "groupId", Demo.ST_GROUP, "dueDate", LocalDate.now().plusDays(3).toString()))
                .post("/api/v1/tasks").then().extract());
        kinds.put("malformed-body", () -> as("office").contentType(ContentType.JSON).body("{\"title\": 12, \"groupId\": \"x\"}")
                .post("/api/v1/tasks").then().extract());
        kinds.put("bad-request", () -> as("office").get("/api/v1/tasks?sort=oldest").then().extract());
        kinds.put("unauthorized", () -> given().get("/api/v1/tasks").then().extract());
        kinds.put("forbidden", () -> as("st-cadre").contentType("text/csv").body("code,title\n").post("/api/v1/catalogue/import").then().extract());
        kinds.put("unknown-person", () -> given().auth().oauth2(TestTokens.token(UUID.randomUUID(), "stranger", Set.of("OFFICE"), null, null))
                .get("/api/v1/tasks").then().extract());
        kinds.put("not-found", () -> as("office").get("/api/v1/tasks/" + UUID.randomUUID()).then().extract());
        kinds.put("not-found (no such address)", () -> as("office").get("/api/v1/no-such-thing").then().extract());
        kinds.put("method-not-allowed", () -> as("office").delete("/api/v1/catalogue").then().extract());
        kinds.put("precondition-required", () -> as("st-cadre").post("/api/v1/tasks/" + task + "/accept").then().extract());
        kinds.put("precondition-failed", () -> as("st-cadre").header("If-Match", "\"v999\"").post("/api/v1/tasks/" + task + "/accept").then().extract());
        kinds.put("conflict", () -> as("office").header("If-Match", "*").post("/api/v1/tasks/" + task + "/verify").then().extract());
        kinds.put("unprocessable", () -> as("office").contentType(ContentType.JSON)
                .body(Map.of("title", "昨天的任务", "groupId", Demo.ST_GROUP, "dueDate", LocalDate.now().minusDays(3).toString()))
                .post("/api/v1/tasks").then().extract());
        kinds.put("unsupported-media-type", () -> as("office").contentType("application/pdf").body(new byte[] {1, 2, 3})
                .post("/api/v1/catalogue/import").then().extract());
        kinds.put("payload-too-large", () -> as("st-cadre").multiPart("file", "big.jpg", new byte[6 * 1024 * 1024], "image/jpeg")
                .post("/api/v1/tasks/" + task + "/evidence").then().extract());
        List<String> english = new java.util.ArrayList<>();
        kinds.forEach((kind, call) -> {
            ExtractableResponse<Response> r = call.get();
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, kind + ": " + r.statusCode() + " " + r.asString());
            assertTrue(r.contentType().startsWith("application/problem+json"), kind + ": " + r.contentType());
            String title = r.path("title");
            String detail = r.path("detail");
            if (title == null || !CHINESE.matcher(title).find() || detail == null || !CHINESE.matcher(detail).find()) {
                english.add(kind + " → " + r.statusCode() + " " + r.path("type") + ": " + title + " / " + detail);
            }
            List<String> messages = r.path("violations.message");
            if (messages != null) {
                messages.stream().filter(m -> !CHINESE.matcher(m).find()).forEach(m -> english.add(kind + " violation → " + m));
            }
        });
        assertEquals(List.of(), english);
    }

    @Test
    void aBlankTitleIsNamedInChineseByTheValidatorsOwnWords() {
        as("office").contentType(ContentType.JSON).body(Map.of("title", " ", "groupId", Demo.ST_GROUP, "dueDate", LocalDate.now().plusDays(3).toString()))
                .post("/api/v1/tasks").then().statusCode(400)
                .body("violations.find { it.field == 'title' }.message", org.hamcrest.Matchers.equalTo("不能为空"));
    }
}
