package app.fivestar.local;

import app.fivestar.platform.servers.FreePorts;
import app.fivestar.web.Routes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The front door, where people meet the system: one origin, sign-in through Keycloak's login page in a real
 * (headless) browser, the leaders' dashboard, the Chinese "no permission" page, sign-out; /api forwarded to the owner
 * of every operation, 401 problem details (never a redirect) without a session, headers both ways, events streamed.
 */
@org.junit.jupiter.api.Timeout(180)
class FrontDoorTest {

    static final String GROUP = "00000000-0000-4000-8000-000000000013";
    static final List<String> SERVICES = List.of("task-service", "review-service", "notification-service");
    static LocalStack stack;
    static String door;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        SERVICES.forEach(s -> ports.put(s, FreePorts.pick()));
        stack = LocalStack.start(new LocalStack.Options(Path.of("../..").toAbsolutePath().normalize(), Files.createTempDirectory("fivestar-door"),
                FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), ports), System.out);
        door = stack.service("web").url();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(door + path)).timeout(Duration.ofSeconds(20));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, Map<String, String> headers, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(door + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void isProblem(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.uri() + " answered " + r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.uri() + " is no problem details");
        assertTrue(r.body().contains("\"status\":" + status), r.body());
    }

    @Test
    void everyOperationOfEveryServiceIsRoutedToItsOwner() throws Exception {
        Routes routes = Routes.load();
        List<String> unrouted = new ArrayList<>();
        int operations = 0;
        for (String service : SERVICES) {
            JsonNode paths = new ObjectMapper().readTree(given().accept("application/json").get(stack.service(service).url() + "/q/openapi?format=json")
                    .then().statusCode(200).extract().asString()).path("paths");
            for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
                String path = it.next();
                operations++;
                Optional<String> front = routes.frontPath(service, path);
                if (front.isEmpty() || !routes.resolve(front.get()).orElseThrow().service().equals(service)) {
                    unrouted.add(service + " " + path);
                }
            }
        }
        assertTrue(operations > 40, "the services' documents were read: " + operations);
        assertEquals(List.of(), unrouted, "operations the front door does not route to their owner");
    }

    @Test
    void withoutASessionApiAnswersProblemDetailsPagesGoToTheLoginPageAndAssetsAreServed() throws Exception {
        isProblem(get("/api/v1/groups", Map.of()), 401);
        isProblem(post("/api/v1/tasks", Map.of("X-Client", "test"), "{}"), 401);
        isProblem(get("/api/v1/no-such-thing", Map.of()), 404);
        for (String page : List.of("/", "/dashboard/", "/m/")) {
            HttpResponse<String> r = get(page, Map.of("Accept", "text/html"));
            assertEquals(302, r.statusCode(), page);
            String location = r.headers().firstValue("Location").orElse("");
            assertTrue(location.startsWith(stack.keycloak().issuer(LocalStack.REALM) + "/protocol/openid-connect/auth"), page + " → " + location);
            assertTrue(location.contains("code_challenge_method=S256"), "PKCE: " + location);
        }
        Path assets = Path.of("../../web/target/classes/META-INF/resources/assets");
        try (var files = Files.list(assets)) {
            for (Path asset : files.toList()) {
                HttpResponse<String> r = get("/assets/" + asset.getFileName(), Map.of());
                assertEquals(200, r.statusCode(), "asset " + asset.getFileName() + " is served without a session");
            }
        }
    }

    @Test
    void anApiClientsBearerTokenPassesThroughAndHeadersTravelBothWays() throws Exception {
        String office = "Bearer " + stack.token("office");
        assertEquals(200, get("/api/v1/groups", Map.of("Authorization", office)).statusCode());
        HttpResponse<String> export = get("/api/v1/catalogue/export?format=csv", Map.of("Authorization", office));
        assertEquals(200, export.statusCode());
        assertTrue(export.headers().firstValue("Content-Disposition").orElse("").contains("attachment"), export.headers().map().toString());
        String body = new ObjectMapper().writeValueAsString(Map.of("title", "经前门交办的任务", "groupId", GROUP,
                "assigneeId", stack.personId("st-cadre"), "dueDate", LocalDate.now().plusDays(3).toString()));
        String key = "door-" + System.nanoTime();
        HttpResponse<String> created = post("/api/v1/tasks", Map.of("Authorization", office, "Idempotency-Key", key), body);
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = new ObjectMapper().readTree(created.body()).path("id").asText();
        assertTrue(location.endsWith("/api/v1/tasks/" + id), location);
        HttpResponse<String> replayed = post("/api/v1/tasks", Map.of("Authorization", office, "Idempotency-Key", key), body);
        assertEquals(created.body(), replayed.body());
        assertEquals("true", replayed.headers().firstValue("Idempotent-Replayed").orElse(""));

        String cadre = "Bearer " + stack.token("st-cadre");
        HttpResponse<String> task = get("/api/v1/tasks/" + id, Map.of("Authorization", cadre));
        String etag = task.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> stale = post("/api/v1/tasks/" + id + "/accept", Map.of("Authorization", cadre, "If-Match", "\"0\""), "{}");
        isProblem(stale, 412);
        HttpResponse<String> accepted = post("/api/v1/tasks/" + id + "/accept", Map.of("Authorization", cadre, "If-Match", etag, "X-Client", "mobile/door-test"), "{}");
        assertEquals(200, accepted.statusCode(), accepted.body());
        assertFalse(accepted.headers().firstValue("ETag").orElseThrow().equals(etag));
    }

    /** Malformed bodies every POST, PUT and PATCH gets: cut short, wrong types, NUL bytes, huge or deep values, wrong media types. */
    static List<Map.Entry<String, byte[]>> malformedBodies() {
        List<Map.Entry<String, byte[]>> bodies = new ArrayList<>();
        java.util.function.BiConsumer<String, String> json = (type, text) -> bodies.add(Map.entry(type, text.getBytes(StandardCharsets.UTF_8)));
        for (String text : List.of("", "{", "}", "[", "null", "true", "0", "-1", "\"text\"", "[]", "[{}]", "{}", "{\"a\":", "{\"a\":1,}",
                "{\"title\":\"\\u0000\"}", "{\"title\":\"x\\u0000y\",\"text\":\"\\u0000\"}", "{\"id\":\"not-a-uuid\"}",
                "{\"dueDate\":\"2026-02-30\"}", "{\"date\":\"yesterday\"}", "{\"week\":\"2026-W99\"}", "{\"limit\":1e999}",
                "{\"value\":99999999999999999999999999999999}", "{\"lines\":\"x\"}", "{\"lines\":[null]}", "{\"actionItems\":[{}]}",
                "[{\"townId\":null,\"criterion\":null,\"value\":null}]", "{\"channels\":{\"X\":[\"Y\"]}}",
                "{\"criteria\":[{\"weight\":-1}],\"scorers\":[\"x\"]}", "[".repeat(5000) + "]".repeat(5000),
                "{\"title\":\"" + "长".repeat(100_000) + "\"}", "{\"title\":" + "1".repeat(5000) + "}")) {
            json.accept("application/json", text);
        }
        bodies.add(Map.entry("application/json", new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}));   // invalid UTF-8
        bodies.add(Map.entry("application/json", new byte[] {0, 0, 0, 0}));
        bodies.add(Map.entry("text/plain", "hello".getBytes(StandardCharsets.UTF_8)));
        bodies.add(Map.entry("application/xml", "<a/>".getBytes(StandardCharsets.UTF_8)));
        bodies.add(Map.entry("text/csv", "code,title\n\"ST-01,unterminated\n".getBytes(StandardCharsets.UTF_8)));
        bodies.add(Map.entry("multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n\u00ff\u00d8"
                .getBytes(StandardCharsets.ISO_8859_1)));
        bodies.add(Map.entry("multipart/form-data", "no boundary".getBytes(StandardCharsets.UTF_8)));
        return bodies;
    }

    @Test
    void everyWriteOfEveryServiceAnswersMalformedInputWithProblemDetailsNeverAServerError() throws Exception {
        List<String> who = List.of("office", "leader", "st-cadre", "st-lead", "admin", "sec-t01");
        Map<String, String> tokens = new LinkedHashMap<>();
        who.forEach(u -> tokens.put(u, stack.token(u)));
        List<Map.Entry<String, byte[]>> bodies = malformedBodies();
        List<String> wrong = new ArrayList<>();
        int requests = 0;
        java.util.Random random = new java.util.Random(16);
        for (String service : SERVICES) {
            JsonNode paths = new ObjectMapper().readTree(given().accept("application/json").get(stack.service(service).url() + "/q/openapi?format=json")
                    .then().statusCode(200).extract().asString()).path("paths");
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                for (String method : List.of("post", "put", "patch")) {
                    if (!path.getValue().has(method)) {
                        continue;
                    }
                    String front = Routes.load().frontPath(service, path.getKey()).orElseThrow();
                    for (Map.Entry<String, byte[]> body : bodies) {
                        for (String user : who) {
                            // path parameters: a random id, or junk now and then
                            String url = front.replaceAll("\\{[^}]+}", random.nextInt(5) == 0 ? "%00x" : java.util.UUID.randomUUID().toString());
                            HttpRequest request = HttpRequest.newBuilder(URI.create(door + url)).timeout(Duration.ofSeconds(30))
                                    .header("Authorization", "Bearer " + tokens.get(user)).header("Content-Type", body.getKey())
                                    .header("If-Match", "*").header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                                    .method(method.toUpperCase(), HttpRequest.BodyPublishers.ofByteArray(body.getValue())).build();
                            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                            requests++;
                            String type = r.headers().firstValue("Content-Type").orElse("");
                            if (r.statusCode() >= 500 || (r.statusCode() >= 400 && !type.startsWith("application/problem+json"))) {
                                wrong.add(method.toUpperCase() + " " + url + " as " + user + " with " + body.getKey() + " "
                                        + new String(body.getValue(), 0, Math.min(40, body.getValue().length), StandardCharsets.UTF_8)
                                        + " → " + r.statusCode() + " " + type + " " + r.body().substring(0, Math.min(200, r.body().length())));
                            }
                        }
                    }
                }
            }
        }
        System.out.printf("malformed-input sweep: %d requests, %d wrong%n", requests, wrong.size());
        assertTrue(requests >= 5000, "a sweep of at least 5,000 requests: " + requests);
        assertEquals(List.of(), wrong.subList(0, Math.min(30, wrong.size())), wrong.size() + " wrong answers");
    }

    /** The newest inbox message of this person whose title contains the words, once it is there. */
    static Map<String, Object> awaitMessage(String username, String words) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(stack.token(username))
                .get(door + "/api/v1/inbox").then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("items").stream()
                .filter(m -> String.valueOf(m.get("title")).contains(words)).findFirst().orElse(null), java.util.Objects::nonNull);
    }

    @Test
    void everyKindOfLinkInAMessageOpensThePageAPersonUsesThroughSignIn() {
        String task = stack.service("task-service").url();
        String review = stack.service("review-service").url();
        String title = "链接测试任务";
        String taskId = given().auth().oauth2(stack.token("office")).contentType(ContentType.JSON)
                .body(Map.of("title", title, "groupId", GROUP, "assigneeId", stack.personId("st-cadre"), "dueDate", LocalDate.now().plusDays(3).toString()))
                .post(task + "/api/v1/tasks").then().statusCode(201).extract().path("id");
        // a meeting's action item: its group lead is told, with a link to the meeting
        String meeting = given().auth().oauth2(stack.token("leader")).contentType(ContentType.JSON)
                .body(Map.of("title", "链接测试例会", "type", "REGULAR", "date", LocalDate.now().toString())).post(review + "/api/v1/meetings")
                .then().statusCode(201).extract().path("id");
        for (String move : List.of("open", "start")) {
            String etag = given().auth().oauth2(stack.token("leader")).get(review + "/api/v1/meetings/" + meeting).then().extract().header("ETag");
            given().auth().oauth2(stack.token("leader")).header("If-Match", etag).post(review + "/api/v1/meetings/" + meeting + "/" + move).then().statusCode(200);
        }
        given().auth().oauth2(stack.token("leader")).contentType(ContentType.JSON).body(Map.of("text", "链接测试决定", "actionItems",
                        List.of(Map.of("title", "链接测试交办事项", "groupId", GROUP, "dueDate", LocalDate.now().plusDays(5).toString()))))
                .post(review + "/api/v1/meetings/" + meeting + "/decisions").then().statusCode(201);

        String cadreLink = (String) awaitMessage("st-cadre", title).get("link");
        assertEquals("/m/tasks/" + taskId, cadreLink, "a cadre's link opens the phone's task page");
        String leadLink = (String) awaitMessage("st-lead", "会议交办事项：链接测试交办事项").get("link");
        assertEquals("/meetings/" + meeting, leadLink);
        // the office hears of the submitted task, with the console's task page
        String etag = given().auth().oauth2(stack.token("st-cadre")).get(task + "/api/v1/tasks/" + taskId).then().extract().header("ETag");
        etag = given().auth().oauth2(stack.token("st-cadre")).header("If-Match", etag).post(task + "/api/v1/tasks/" + taskId + "/accept")
                .then().statusCode(200).extract().header("ETag");
        given().auth().oauth2(stack.token("st-cadre")).header("If-Match", etag).contentType(ContentType.JSON).body(Map.of("note", "已清理"))
                .post(task + "/api/v1/tasks/" + taskId + "/submit").then().statusCode(200);
        String officeLink = (String) awaitMessage("office", "待销号：" + title).get("link");
        assertEquals("/tasks/" + taskId, officeLink);

        record Visit(String user, String link, String element, String expected) {
        }
        for (Visit v : List.of(new Visit("st-cadre", cadreLink, "task-title", title), new Visit("office", officeLink, "task-title", title),
                new Visit("st-lead", leadLink, "meeting-title", "链接测试例会"))) {
            try (Browser browser = Browser.start()) {
                browser.open(door + v.link());
                browser.signIn(v.user(), LocalStack.DEMO_PASSWORD);
                browser.await(d -> d.getCurrentUrl().equals(door + v.link()) && v.expected().equals(browser.text(v.element())));
                assertEquals(List.of(), browser.errors(), v.link() + " logged errors");
                browser.screenshot(Path.of("target", "link" + v.link().replace('/', '-') .replaceAll("-[0-9a-f-]{36}$", "") + ".png"));
            }
        }
    }

    @Test
    void anInboxMessageArrivesThroughTheFrontDoorsEventStreamWithinTwoSeconds() throws Exception {
        // the first one after the stack's start also waits for the consumers to join their groups: measured, not judged
        System.out.printf("inbox message through the front door (first after start): %.2f s after the task was created%n",
                secondsUntilPushed("前门推送预热"));
        double seconds = secondsUntilPushed("前门推送测试");
        System.out.printf("inbox message through the front door: %.2f s after the task was created%n", seconds);
        assertTrue(seconds < 2.0, "arrived after " + seconds + " s");
    }

    /** Opens st-cadre2's inbox stream through the front door, gives them a task, and times the message's arrival. */
    private static double secondsUntilPushed(String title) throws Exception {
        String cadre = stack.token("st-cadre2");
        HttpRequest request = HttpRequest.newBuilder(URI.create(door + "/api/v1/inbox/stream")).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + cadre).build();
        HttpResponse<InputStream> stream = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .get(10, TimeUnit.SECONDS);
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (InputStream body = stream.body()) {
            CompletableFuture<Long> arrived = CompletableFuture.supplyAsync(() -> {
                try {
                    BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (line.startsWith("data:") && line.contains(title)) {
                            return System.nanoTime();
                        }
                    }
                    return -1L;
                } catch (IOException e) {
                    return -1L;
                }
            });
            long sent = System.nanoTime();
            given().auth().oauth2(stack.token("office")).contentType(ContentType.JSON)
                    .body(Map.of("title", title, "groupId", GROUP, "assigneeId", stack.personId("st-cadre2"),
                            "dueDate", LocalDate.now().plusDays(2).toString()))
                    .post(stack.service("task-service").url() + "/api/v1/tasks").then().statusCode(201);
            long at = arrived.get(20, TimeUnit.SECONDS);
            assertTrue(at > 0, "the stream ended before the message came");
            return (at - sent) / 1e9;
        }
    }

    @Test
    void theLeaderSignsInSeesTheDashboardLiveAndSignsOut() throws Exception {
        try (Browser browser = Browser.start()) {
            browser.open(door + "/dashboard");
            browser.signIn("leader", LocalStack.DEMO_PASSWORD);
            browser.await(d -> d.getCurrentUrl().startsWith(door + "/dashboard") && browser.text("total") != null
                    && browser.driver().findElement(By.id("board")).isDisplayed());
            browser.await(d -> "实时更新中".equals(browser.text("live")));
            Map<String, Object> summary = given().auth().oauth2(stack.token("leader"))
                    .get(stack.service("task-service").url() + "/api/v1/dashboard/summary").then().extract().jsonPath().getMap("");
            assertEquals(String.valueOf(summary.get("total")), browser.text("total"));
            assertTrue(browser.text("who").contains("区委书记"), browser.text("who"));

            // the session calls /api through the front door: reads yes, a change without the client marker no
            Cookie[] session = browser.cookies().stream().filter(c -> c.getName().startsWith("q_session")).toArray(Cookie[]::new);
            assertTrue(session.length > 0, "a session cookie: " + browser.cookies());
            for (Cookie c : session) {
                assertTrue(c.isHttpOnly(), c.getName() + " is HttpOnly");
                assertEquals("Lax", c.getSameSite(), c.getName());
            }
            String cookieHeader = java.util.Arrays.stream(session).map(c -> c.getName() + "=" + c.getValue()).collect(Collectors.joining("; "));
            assertEquals(200, get("/api/v1/dashboard/summary", Map.of("Cookie", cookieHeader)).statusCode());
            isProblem(post("/api/v1/tasks", Map.of("Cookie", cookieHeader), "{}"), 403);
            String me = get("/api/session", Map.of("Cookie", cookieHeader)).body();
            assertTrue(me.contains("\"username\":\"leader\"") && me.contains("LEADER"), me);

            // a task created elsewhere changes the page by itself
            int before = Integer.parseInt(browser.text("total"));
            given().auth().oauth2(stack.token("office")).contentType(ContentType.JSON)
                    .body(Map.of("title", "看板实时更新", "groupId", GROUP, "assigneeId", stack.personId("st-cadre"),
                            "dueDate", LocalDate.now().plusDays(4).toString()))
                    .post(stack.service("task-service").url() + "/api/v1/tasks").then().statusCode(201);
            browser.await(Duration.ofSeconds(15), d -> Integer.parseInt(browser.text("total")) == before + 1);
            browser.screenshot(Path.of("target", "dashboard.png"));
            assertEquals(List.of(), browser.errors(), "the page logged errors");

            // a tampered session cookie: /api says 401, a page goes to the login page again
            String tampered = java.util.Arrays.stream(session).map(c -> c.getName() + "=" + c.getValue().substring(0, c.getValue().length() - 6) + "AAAAAA")
                    .collect(Collectors.joining("; "));
            isProblem(get("/api/v1/dashboard/summary", Map.of("Cookie", tampered)), 401);
            HttpResponse<String> page = get("/dashboard/", Map.of("Cookie", tampered, "Accept", "text/html"));
            assertEquals(302, page.statusCode());
            assertTrue(page.headers().firstValue("Location").orElse("").contains("/protocol/openid-connect/auth"));

            // sign-out ends the Keycloak session too: back at the login page, and a page asks to sign in again
            browser.driver().findElement(By.id("logout")).click();
            browser.await(d -> browser.onLoginPage());
            browser.open(door + "/dashboard/");
            browser.await(d -> browser.onLoginPage());
        }
    }

    @Test
    void aPersonAddedByDirectoryImportGetsAnAccountAndSignsInChangingTheOneTimePassword() {
        String file = "username,displayName,roles,groupCode,townCode,phone,email,active,villageCodes\n"
                + "zhao-new,赵新来（导入）,CADRE,G-ST,,,zhao-new@fivestar.example,true,\n";
        io.restassured.response.Response imported = given().auth().oauth2(stack.token("office")).contentType("text/csv")
                .body(file.getBytes(StandardCharsets.UTF_8)).post(stack.service("task-service").url() + "/api/v1/directory/people/import");
        assertEquals(200, imported.statusCode(), imported.asString());
        assertEquals(1, imported.jsonPath().getInt("created"));
        assertEquals(List.of(), imported.jsonPath().getList("accountErrors"));
        String oneTime = imported.jsonPath().getString("accounts.find { it.username == 'zhao-new' }.oneTimePassword");
        assertNotNull(oneTime, imported.asString());

        try (Browser browser = Browser.start()) {
            browser.open(door + "/m/");
            browser.signIn("zhao-new", oneTime);
            // Keycloak asks for a new password at the first sign-in
            browser.await(d -> !d.findElements(By.id("password-new")).isEmpty());
            browser.driver().findElement(By.id("password-new")).sendKeys("Zhao-new-2026");
            browser.driver().findElement(By.id("password-confirm")).sendKeys("Zhao-new-2026");
            browser.driver().findElement(By.cssSelector("input[type=submit],button[type=submit]")).click();
            browser.await(d -> d.getCurrentUrl().startsWith(door + "/m/") && browser.text("who") != null && browser.text("who").contains("赵新来"));
        }
        // the account carries the directory's id for the person, and their role opens the API
        String token = Tokens.passwordGrant(stack.keycloak().issuer(LocalStack.REALM), "fivestar-cli", "zhao-new", "Zhao-new-2026");
        String id = given().auth().oauth2(stack.token("office")).get(stack.service("task-service").url() + "/api/v1/people?q=zhao-new")
                .then().statusCode(200).extract().jsonPath().getString("items.find { it.username == 'zhao-new' }.id");
        assertEquals(id, Tokens.claim(token, "personId"));
        given().auth().oauth2(token).get(stack.service("task-service").url() + "/api/v1/me/tasks").then().statusCode(200);
        // the office can issue a new one-time password (a forgotten password, a lost handover)
        given().auth().oauth2(stack.token("office")).post(stack.service("task-service").url() + "/api/v1/people/" + id + "/account")
                .then().statusCode(200).body("username", org.hamcrest.Matchers.equalTo("zhao-new"));
    }

    @Test
    @org.junit.jupiter.api.Timeout(360)
    void aLiveStreamOutlivesItsOneMinuteTokensByReconnectingMissesNothingAndEndsWithThePage() throws Exception {
        // in this test the front door's sessions carry 60 s access tokens
        new SignInTest.KeycloakAdmin(stack.keycloak().url(), stack.keycloakAdminPassword())
                .setClientAttribute("fivestar-web", "access.token.lifespan", "60");
        int notificationPort = stack.service("notification-service").port();
        try (Browser browser = Browser.start()) {
            browser.open(door + "/m/");
            browser.signIn("st-cadre2", LocalStack.DEMO_PASSWORD);
            browser.await(d -> browser.text("who") != null && !browser.text("who").isBlank());
            browser.driver().executeScript("""
                    window.__ids = []; window.__opens = 0;
                    const es = new EventSource('/api/v1/inbox/stream');
                    es.onopen = () => window.__opens++;
                    es.addEventListener('TASK_ASSIGNED', e => window.__ids.push(JSON.parse(e.data).title));""");
            browser.await(d -> ((Number) d.executeScript("return window.__opens")).intValue() >= 1);
            long start = System.nanoTime();
            List<String> sent = new ArrayList<>();
            for (int i = 0; System.nanoTime() - start < Duration.ofSeconds(190).toNanos(); i++) {
                String title = "长连接消息 " + i;
                given().auth().oauth2(stack.token("office")).contentType(ContentType.JSON)
                        .body(Map.of("title", title, "groupId", GROUP, "assigneeId", stack.personId("st-cadre2"),
                                "dueDate", LocalDate.now().plusDays(3).toString()))
                        .post(stack.service("task-service").url() + "/api/v1/tasks").then().statusCode(201);
                sent.add(title);
                browser.await(Duration.ofSeconds(30), d -> ((List<?>) d.executeScript("return window.__ids")).stream()
                        .filter(t -> String.valueOf(t).endsWith(title)).count() == 1);
                org.awaitility.Awaitility.await().pollDelay(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(21)).until(() -> true);
            }
            @SuppressWarnings("unchecked")
            List<String> received = ((List<String>) browser.driver().executeScript("return window.__ids.filter(t => t.includes('长连接消息'))"))
                    .stream().map(t -> t.substring(t.indexOf("长连接消息"))).toList();
            int opens = ((Number) browser.driver().executeScript("return window.__opens")).intValue();
            System.out.printf("stream through the front door: %d messages over %d s, %d (re)connections%n", received.size(),
                    Duration.ofNanos(System.nanoTime() - start).toSeconds(), opens);
            assertEquals(sent, received, "every message once, in order");
            assertTrue(opens >= 3, "the stream was reopened at each token's expiry: " + opens);

            // closing the page closes the front door's connection to notification-service's stream
            int open = establishedTo(notificationPort);
            assertTrue(open >= 1, "the stream's upstream connection is open");
            browser.close();   // the browser goes away, the page with it
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> establishedTo(notificationPort) < open);
        }
    }

    /** Established TCP connections to a local port (iproute2's ss): the front door's to a service. */
    static int establishedTo(int port) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-tnH", "state", "established", "( dport = :" + port + " )").redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ss.waitFor(10, TimeUnit.SECONDS);
        return (int) out.lines().filter(l -> !l.isBlank()).count();
    }

    @Test
    void aCadreWhoOpensTheDashboardGetsAChineseNoPermissionPage() {
        try (Browser browser = Browser.start()) {
            browser.open(door + "/dashboard/");
            browser.signIn("st-cadre", LocalStack.DEMO_PASSWORD);
            browser.await(d -> browser.text("forbidden") != null);
            assertTrue(browser.text("forbidden").contains("没有权限"), browser.text("forbidden"));
            browser.open(door + "/m/");
            browser.await(d -> browser.text("who") != null && !browser.text("who").isBlank());
            assertTrue(browser.text("who").contains("干部"), browser.text("who"));
        }
    }
}
