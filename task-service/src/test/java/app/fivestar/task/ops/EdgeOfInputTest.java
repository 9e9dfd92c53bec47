package app.fivestar.task.ops;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first and the last byte of input: a body over the limit, an overlong request line or header, a CSV cut
 * inside a quote, a multipart body cut short — each a clear answer, never a 500 or a Java class name.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class EdgeOfInputTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aBodyOverTheLimitIsA413ProblemDetail() throws Exception {
        byte[] body = new byte[21 * 1024 * 1024];
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(base.resolve("/api/v1/catalogue/import"))
                .header("Authorization", "Bearer " + Demo.token("office")).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        assertTrue(r.body().contains("\"status\":413"), r.body());
    }

    @Test
    void anOverlongRequestLineOrHeaderIsRefusedByTheHttpLayerNeverA500() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> uri = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/tasks/" + "a".repeat(5000))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(414, uri.statusCode());
        HttpResponse<String> header = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/tasks"))
                .header("Authorization", "Bearer " + "a".repeat(100_000)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(431, header.statusCode());
    }

    @Test
    void aCsvCutInsideAQuoteIsA4xxWithoutJavaNames() {
        String body = given().auth().oauth2(Demo.token("office")).contentType("text/csv")
                .body("code,title,star\nST-01,\"清理坑塘,ST\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/catalogue/import").then().extract().asString();
        int status = given().auth().oauth2(Demo.token("office")).contentType("text/csv")
                .body("code,title,star\nST-01,\"清理坑塘,ST\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/catalogue/import").then().extract().statusCode();
        assertTrue(status >= 400 && status < 500, status + " " + body);
        assertTrue(!body.contains("java.") && !body.contains("[Source:"), body);
    }

    @Test
    void aMultipartBodyCutShortIsA400ProblemDetail() throws Exception {
        String task = given().auth().oauth2(Demo.token("office")).contentType("application/json")
                .body(java.util.Map.of("title", "截断上传（测试）", "groupId", Demo.ST_GROUP, "assigneeId", Demo.ST_CADRE,
                        "dueDate", java.time.LocalDate.now().plusDays(3).toString()))
                .post("/api/v1/tasks").then().statusCode(201).extract().path("id");
        byte[] cut = ("--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
                + "\u00ff\u00d8\u00ff\u00e0partial").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                        base.resolve("/api/v1/tasks/" + task + "/evidence"))
                .header("Authorization", "Bearer " + Demo.token("st-cadre")).header("Content-Type", "multipart/form-data; boundary=XYZ")
                .POST(HttpRequest.BodyPublishers.ofByteArray(cut)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.statusCode() + " " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.statusCode() + " " + r.body());
    }

    @Test
    void aNulCharacterInThePathOrTheQueryIsA400ProblemNotAServerError() {
        for (String uri : java.util.List.of("/api/v1/catalogue/ST%00x/dispatch", "/api/v1/tasks?week=2026-W01%00", "/api/v1/tasks/%00",
                "/api/v1/people?q=%1b[31m")) {
            io.restassured.response.ExtractableResponse<io.restassured.response.Response> r = given().urlEncodingEnabled(false)
                    .auth().oauth2(Demo.token("office")).contentType("application/json").body("{}")
                    .request(uri.contains("dispatch") ? "POST" : "GET", uri).then().extract();
            assertEquals(400, r.statusCode(), uri + " → " + r.asString());
            assertTrue(r.contentType().startsWith("application/problem+json"), uri);
        }
    }
}
