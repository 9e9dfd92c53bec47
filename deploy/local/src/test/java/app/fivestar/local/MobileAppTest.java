package app.fivestar.local;

import app.fivestar.platform.servers.FreePorts;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cadres' phone app at /m/, in headless Chromium with a phone's window (360×740), on the real stack, signed in
 * through Keycloak. The browser reaches the front door only through a loopback proxy ({@link LoopbackProxy}) that
 * these tests stop and start: the network is cut for real, the service worker's own requests included, and the
 * front door's access log shows no request while it is cut. Screenshots of each step: target/mobile-*.png.
 */
@org.junit.jupiter.api.Timeout(300)
class MobileAppTest {

    static LocalStack stack;
    static Path data;
    static LoopbackProxy proxy;
    static String base;
    static String tasks;
    static final Map<String, String> GROUPS = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        List.of("task-service", "review-service", "notification-service").forEach(s -> ports.put(s, FreePorts.pick()));
        data = Files.createTempDirectory("fivestar-mobile");
        stack = LocalStack.start(new LocalStack.Options(Path.of("../..").toAbsolutePath().normalize(), data,
                FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), ports), System.out);
        proxy = new LoopbackProxy(stack.service("web").port());
        base = proxy.url();
        tasks = stack.service("task-service").url();
        // sign-in sends the browser back to the address it came from: the proxy's
        new SignInTest.KeycloakAdmin(stack.keycloak().url(), stack.keycloakAdminPassword()).addRedirectUri("fivestar-web", base + "/*");
        JsonPath groups = given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/groups").then().statusCode(200).extract().jsonPath();
        groups.getList("", Map.class)
                .forEach(g -> GROUPS.put((String) g.get("code"), (String) g.get("id")));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    // ---- the office's side, through the services' APIs ----------------------------------------------------------

    /** A free-title task for a cadre (their group's), due in {@code days}. */
    static String task(String cadre, String title, int days) {
        String group = GROUPS.get("G-" + cadre.substring(0, 2).toUpperCase());
        return given().auth().oauth2(stack.token("office")).contentType(ContentType.JSON)
                .body(Map.of("title", title, "groupId", group, "assigneeId", stack.personId(cadre), "dueDate", LocalDate.now().plusDays(days).toString()))
                .post(tasks + "/api/v1/tasks").then().statusCode(201).extract().path("id");
    }

    /** A catalogue item's task for a cadre (its evidence rule applies). */
    static String catalogueTask(String cadre, String code) {
        String group = GROUPS.get("G-" + cadre.substring(0, 2).toUpperCase());
        LocalDate due = LocalDate.now().plusDays(5);
        String week = String.format("%d-W%02d", due.get(IsoFields.WEEK_BASED_YEAR), due.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        return given().auth().oauth2(stack.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("week", week, "lines", List.of(Map.of("catalogCode", code, "groupId", group, "dueDate", due.toString(),
                        "assigneeId", stack.personId(cadre))))).post(tasks + "/api/v1/dispatches").then().statusCode(201).extract().path("tasks[0].id");
    }

    static String etag(String id) {
        return given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/tasks/" + id).then().statusCode(200).extract().header("ETag");
    }

    static String status(String id) {
        return given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/tasks/" + id).then().statusCode(200).extract().path("status");
    }

    static void move(String user, String id, String action, Map<String, Object> body) {
        var r = given().auth().oauth2(stack.token(user)).header("If-Match", etag(id));
        if (body != null) {
            r = r.contentType(ContentType.JSON).body(body);
        }
        r.post(tasks + "/api/v1/tasks/" + id + "/" + action).then().statusCode(200);
    }

    static List<Map<String, Object>> history(String id) {
        return given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/tasks/" + id + "/history").then().statusCode(200)
                .extract().jsonPath().getList("", Map.class).stream().map(m -> (Map<String, Object>) m).toList();
    }

    static List<String> actions(String id) {
        return history(id).stream().map(h -> (String) h.get("action")).toList();
    }

    static JsonPath evidence(String id) {
        return given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/tasks/" + id + "/evidence").then().statusCode(200).extract().jsonPath();
    }

    /** Requests the front door has logged so far (its access log). */
    static long frontDoorRequests() throws IOException {
        try (var lines = Files.lines(data.resolve("logs/web.log"), StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.matches(".*\"(GET|POST|PUT|DELETE|HEAD|OPTIONS) /.*")).count();
        }
    }

    // ---- the phone's side ---------------------------------------------------------------------------------------

    static Browser phone() {
        try {
            return Browser.phone(Files.createTempDirectory("phone-profile"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Signs in at /m/ and waits until the list is synced and the service worker controls the page. */
    static void signIn(Browser b, String user) {
        b.open(base + "/m/");
        if (b.onLoginPage() || b.driver().getCurrentUrl().contains("/protocol/openid-connect/")) {
            b.signIn(user, LocalStack.DEMO_PASSWORD);
        }
        b.await(d -> d.getCurrentUrl().startsWith(base + "/m/") && b.text("who") != null && !b.text("who").isBlank());
        b.await(d -> Boolean.TRUE.equals(d.executeScript("return !!navigator.serviceWorker.controller")));
        synced(b);
    }

    /** Waits until the app has synced at least once since the page opened (its last sync time is shown). */
    static void synced(Browser b) {
        b.await(d -> Boolean.TRUE.equals(d.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const open = indexedDB.open('fivestar-m');
                open.onsuccess = () => { const r = open.result.transaction('meta').objectStore('meta').get('lastSync');
                  r.onsuccess = () => done(!!r.result); r.onerror = () => done(false); };
                open.onerror = () => done(false);""")));
    }

    /** Goes to a page of the app the way a cadre does (its own links, no reload). */
    static void go(Browser b, String path) {
        b.driver().executeScript("history.pushState(null, '', arguments[0]); dispatchEvent(new PopStateEvent('popstate'));", path);
    }

    static void click(Browser b, String id) {
        b.await(d -> d.findElement(By.id(id))).click();
    }

    static void openTask(Browser b, String id, String title) {
        go(b, "/m/tasks/" + id);
        b.await(d -> title.equals(b.text("task-title")));
    }

    static int queued(Browser b) {
        go(b, "/m/me");
        return Integer.parseInt(b.await(d -> d.findElement(By.id("queue-size"))).getText());
    }

    static void shot(Browser b, String name) {
        b.screenshot(Path.of("target", "mobile-" + name + ".png"));
    }

    /** The ids of the rows the list shows, over its four tabs. */
    static Set<String> listed(Browser b) {
        go(b, "/m/");
        b.await(d -> !d.findElements(By.cssSelector("[data-tab]")).isEmpty());
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) b.driver().executeScript("""
                const ids = [];
                for (const key of ['todo', 'doing', 'returned', 'done']) {
                  document.querySelector(`[data-tab='${key}']`).click();
                  document.querySelectorAll('#tasks li.row').forEach(r => ids.push(r.dataset.id));
                }
                document.querySelector("[data-tab='todo']").click();
                return ids;""");
        return new HashSet<>(ids);
    }

    static String closeWithNote(Browser b, String note, List<Path> photos) {
        click(b, "do-close");
        b.await(d -> d.findElement(By.id("close-note"))).sendKeys(note);
        if (!photos.isEmpty()) {
            b.driver().findElement(By.id("gallery")).sendKeys(String.join("\n", photos.stream().map(Path::toString).toList()));
            b.await(d -> d.findElements(By.cssSelector("#photos li")).size() == photos.size());
        }
        click(b, "close-send");
        return note;
    }

    // ---- 1. the list ---------------------------------------------------------------------------------------------

    @Test
    void theListShowsExactlyTheCadresOwnTasksOverdueFirst() {
        String cadre = "zb-cadre";
        String late = task(cadre, "逾期任务（手机测试）", 0);
        task(cadre, "本周任务（手机测试）", 2);
        task(cadre, "下月任务（手机测试）", 30);
        // someone else's, and the group's unassigned one, are not on this phone
        String other = task("zb-cadre2", "别人的任务（手机测试）", 3);
        String unassigned = given().auth().oauth2(stack.token("office")).contentType(ContentType.JSON)
                .body(Map.of("title", "待认领任务（手机测试）", "groupId", GROUPS.get("G-ZB"), "dueDate", LocalDate.now().plusDays(3).toString()))
                .post(tasks + "/api/v1/tasks").then().statusCode(201).extract().path("id");
        try (Browser b = phone()) {
            signIn(b, cadre);
            Set<String> api = new HashSet<>(given().auth().oauth2(stack.token(cadre)).get(tasks + "/api/v1/me/tasks").then().statusCode(200)
                    .extract().jsonPath().getList("changed.id", String.class));
            assertEquals(api, listed(b), "the phone lists what the API says is the cadre's");
            assertTrue(!api.contains(other) && !api.contains(unassigned));
            go(b, "/m/");
            b.driver().findElement(By.cssSelector("[data-tab='todo']")).click();
            List<WebElement> rows = b.driver().findElements(By.cssSelector("#tasks li.row"));
            assertTrue(rows.get(0).getAttribute("class").contains("yellow") || rows.get(0).getAttribute("class").contains("red"));
            shot(b, "1-list");
            // 待认领: the group's unassigned task, claimed from the phone
            go(b, "/m/claim");
            b.await(d -> !d.findElements(By.cssSelector("#claimable li[data-id='" + unassigned + "'] button.claim")).isEmpty());
            shot(b, "1-claimable");
            b.driver().findElement(By.cssSelector("#claimable li[data-id='" + unassigned + "'] button.claim")).click();
            b.await(d -> "待认领任务（手机测试）".equals(b.text("task-title")));
            assertEquals(stack.personId(cadre), given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/tasks/" + unassigned)
                    .then().extract().path("assigneeId"));
            assertTrue(late != null);
            assertEquals(List.of(), b.errors());
        }
    }
}
