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
                .body(Map.of("title", title, "groupId", group, "assigneeId", stack.personId(cadre), "dueDate", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(days).toString()))
                .post(tasks + "/api/v1/tasks").then().statusCode(201).extract().path("id");
    }

    /** A catalogue item's task for a cadre (its evidence rule applies). */
    static String catalogueTask(String cadre, String code) {
        String group = GROUPS.get("G-" + cadre.substring(0, 2).toUpperCase());
        LocalDate due = LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(5);
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

    /**
     * Cuts the network and answers how many requests the front door has logged once the cut settled (a stream the cut
     * ended is logged as it ends).
     */
    static long cutNetwork() {
        proxy.cut();
        java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong(-1);
        org.awaitility.Awaitility.await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    long now = frontDoorRequests();
                    return now == last.getAndSet(now);
                });
        return last.get();
    }

    /**
     * Requests the front door has logged so far (its access log), but live streams: a stream's line is written when it
     * ends, which the cut itself causes, at a moment of its own (1.4 s after the cut on a slow machine); a stream opened
     * during the cut would be a new connection, which {@code proxy.accepted()} counts.
     */
    static long frontDoorRequests() throws IOException {
        try (var lines = Files.lines(data.resolve("logs/web.log"), StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.matches(".*\"(GET|POST|PUT|DELETE|HEAD|OPTIONS) /.*") && !l.matches(".*\"GET /api/v1/[a-z/-]*stream[ ?].*")).count();
        }
    }

    // ---- the phone's side ---------------------------------------------------------------------------------------

    static Browser phone() {
        return Browser.phone();
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

    /** Clicks the element once it is there (found again if the page redrew it meanwhile). */
    static void click(Browser b, String id) {
        click(b, By.id(id));
    }

    static void click(Browser b, By element) {
        b.await(d -> {
            d.findElement(element).click();
            return true;
        });
    }

    static void openTask(Browser b, String id, String title) {
        go(b, "/m/tasks/" + id);
        b.await(d -> title.equals(b.text("task-title")));
    }

    static int queued(Browser b) {
        go(b, "/m/me");
        // read inside the wait: the page may render the count again between finding it and reading it (stale element)
        return b.await(d -> {
            String shown = d.findElement(By.id("queue-size")).getText().strip();
            return shown.matches("[0-9]+") ? Integer.valueOf(shown) : null;
        });
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
                for (const key of ['assigned', 'doing', 'returned', 'done']) {
                  document.querySelector(`[data-tab='${key}']`).click();
                  document.querySelectorAll('#tasks li.row').forEach(r => ids.push(r.dataset.id));
                }
                document.querySelector("[data-tab='assigned']").click();
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
                .body(Map.of("title", "待认领任务（手机测试）", "groupId", GROUPS.get("G-ZB"), "dueDate", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(3).toString()))
                .post(tasks + "/api/v1/tasks").then().statusCode(201).extract().path("id");
        try (Browser b = phone()) {
            signIn(b, cadre);
            Set<String> api = new HashSet<>(given().auth().oauth2(stack.token(cadre)).get(tasks + "/api/v1/me/tasks").then().statusCode(200)
                    .extract().jsonPath().getList("changed.id", String.class));
            assertEquals(api, listed(b), "the phone lists what the API says is the cadre's");
            assertTrue(!api.contains(other) && !api.contains(unassigned));
            go(b, "/m/");
            click(b, By.cssSelector("[data-tab='assigned']")); // the list may redraw between finding the tab and clicking it
            String first = b.await(d -> {
                List<WebElement> rows = d.findElements(By.cssSelector("#tasks li.row"));
                return rows.isEmpty() ? null : rows.get(0).getAttribute("class");
            });
            assertTrue(first.contains("yellow") || first.contains("red"), first);
            shot(b, "1-list");
            // 待认领: the group's unassigned task, claimed from the phone
            go(b, "/m/claim");
            b.await(d -> !d.findElements(By.cssSelector("#claimable li[data-id='" + unassigned + "'] button.claim")).isEmpty());
            shot(b, "1-claimable");
            click(b, By.cssSelector("#claimable li[data-id='" + unassigned + "'] button.claim"));
            b.await(d -> "待认领任务（手机测试）".equals(b.text("task-title")));
            assertEquals(stack.personId(cadre), given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/tasks/" + unassigned)
                    .then().extract().path("assigneeId"));
            assertTrue(late != null);
            assertEquals(List.of(), b.errors());
        }
    }

    // ---- 2. offline: accept one, close another with three photos, reload, reconnect ----------------------------

    @Test
    void actionsTakenWithNoNetworkSurviveAReloadAndReachTheServerExactlyOnce() throws Exception {
        String cadre = "cy-cadre";
        String accept = task(cadre, "离线签收（手机测试）", 4);
        String close = catalogueTask(cadre, "ST-13"); // 3 photos and a note required
        move(cadre, close, "start", null);
        String closeTitle = given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/tasks/" + close).then().extract().path("title");
        Path dir = Files.createTempDirectory("photos");
        List<Path> photos = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path p = dir.resolve("现场照片" + i + ".jpg");
            Files.write(p, app.fivestar.platform.testing.CameraPhotos.withExif(2400, 1800, "2026:11:30 09:1" + i + ":00", 34.123456, 113.654321));
            photos.add(p);
        }
        try (Browser b = phone()) {
            signIn(b, cadre);
            long before = cutNetwork();
            try {
                openTask(b, accept, "离线签收（手机测试）");
                click(b, "do-accept");
                b.await(d -> b.text("task-status").contains("待发送"));
                openTask(b, close, closeTitle);
                closeWithNote(b, "已补植补绿（离线办结）", photos);
                b.await(d -> b.text("task-status").contains("已办结待销号"));
                // each queued photo has its upload progress on the task page, at nothing while the network is away
                b.await(d -> d.findElements(By.cssSelector("#uploads progress")).size() == 3);
                assertEquals(List.of("0", "0", "0"), b.driver().findElements(By.cssSelector("#uploads progress")).stream()
                        .map(p -> p.getAttribute("value")).toList());
                shot(b, "2-closed-offline");
                // the app reloaded with no network: the shell from the service worker, the tasks and the queue from IndexedDB
                b.driver().navigate().refresh();
                b.await(d -> b.text("offline") != null && b.text("offline").startsWith("离线 · 上次同步"));
                openTask(b, accept, "离线签收（手机测试）");
                assertTrue(b.text("task-status").contains("已签收"), b.text("task-status"));
                openTask(b, close, closeTitle);
                assertTrue(b.text("task-rules").contains("至少上传 3 张照片"), b.text("task-rules"));
                assertTrue(b.text("task-history").contains("办结（待发送）"), b.text("task-history"));
                assertEquals(2, queued(b));
                shot(b, "2-queue-offline");
                assertEquals(before, frontDoorRequests(), "nothing reached the front door while the network was cut");
            } finally {
                proxy.restore();
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> "SUBMITTED".equals(status(close)));
            b.await(d -> queued(b) == 0);
        }
        assertEquals("ACCEPTED", status(accept));
        assertEquals(List.of("create", "accept"), actions(accept));
        assertEquals(List.of("create", "start", "submit"), actions(close));
        history(close).stream().filter(h -> "submit".equals(h.get("action")))
                .forEach(h -> assertEquals("web/mobile", h.get("client"), "the journal says the phone app closed it"));
        JsonPath ev = evidence(close);
        assertEquals(3, ev.getList("").size(), "three photos, once each");
        for (int i = 0; i < 3; i++) {
            assertTrue(ev.getInt("[" + i + "].width") <= 1600 && ev.getInt("[" + i + "].height") <= 1600, "resized on the phone");
            assertEquals(34.123456, ev.getDouble("[" + i + "].latitude"), 1e-6);
            assertEquals(113.654321, ev.getDouble("[" + i + "].longitude"), 1e-6);
            assertTrue(ev.getString("[" + i + "].takenAt") != null, "taken-at read on the phone");
        }
    }

    // ---- 3. accept → start → submit queued offline on one task ------------------------------------------------

    @Test
    void threeMovesQueuedOfflineOnOneTaskSucceedInOrder() {
        String cadre = "st-cadre";
        String id = task(cadre, "连续离线操作（手机测试）", 6);
        try (Browser b = phone()) {
            signIn(b, cadre);
            proxy.cut();
            try {
                openTask(b, id, "连续离线操作（手机测试）");
                click(b, "do-accept");
                b.await(d -> b.text("task-status").startsWith("已签收"));
                click(b, "do-start");
                b.await(d -> b.text("task-status").startsWith("办理中"));
                closeWithNote(b, "三步离线完成", List.of());
                b.await(d -> b.text("task-status").startsWith("已办结待销号"));
                assertEquals(3, queued(b));
            } finally {
                proxy.restore();
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> "SUBMITTED".equals(status(id)));
            b.await(d -> queued(b) == 0);
            shot(b, "3-drained");
        }
        assertEquals(List.of("create", "accept", "start", "submit"), actions(id));
    }

    // ---- 4. an answer lost on the way back; the browser closed while draining ---------------------------------

    @Test
    void aSubmitWhoseAnswerIsLostIsSentAgainAndChangesTheTaskOnce() throws Exception {
        String cadre = "pa-cadre";
        String id = task(cadre, "回执丢失（手机测试）", 5);
        move(cadre, id, "start", null);
        try (Browser b = phone()) {
            signIn(b, cadre);
            proxy.dropAnswerTo("POST /api/v1/tasks/" + id + "/submit");
            openTask(b, id, "回执丢失（手机测试）");
            closeWithNote(b, "回执丢失也只办结一次", List.of());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> proxy.dropped() == 1 && "SUBMITTED".equals(status(id)));
            b.await(d -> queued(b) == 0);
        }
        assertEquals(List.of("create", "start", "submit"), actions(id), "one state change");
        // one task.submitted.v1: the office's inbox says it once
        org.awaitility.Awaitility.await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20)).until(() -> inboxCount("office", "回执丢失（手机测试）") >= 1);
        assertEquals(1, inboxCount("office", "回执丢失（手机测试）"), "one event");
    }

    static long inboxCount(String user, String text) {
        return given().auth().oauth2(stack.token(user)).get(stack.service("notification-service").url() + "/api/v1/inbox?limit=200")
                .then().statusCode(200).extract().jsonPath().getList("items.title", String.class).stream().filter(t -> t.contains(text)).count();
    }

    @Test
    void aBrowserClosedWhileDrainingSendsTheRestOnceWhenOpenedAgain() throws Exception {
        String cadre = "pa-cadre2";
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            ids.add(task(cadre, "中途关闭" + i + "（手机测试）", 7));
        }
        Path profile = Browser.temporaryProfile("phone-profile");
        int sentBeforeClose;
        try (Browser b = Browser.phone(profile)) {
            signIn(b, cadre);
            proxy.cut();
            try {
                for (int i = 0; i < ids.size(); i++) {
                    openTask(b, ids.get(i), "中途关闭" + (i + 1) + "（手机测试）");
                    click(b, "do-accept");
                    b.await(d -> b.text("task-status").contains("待发送"));
                }
                assertEquals(6, queued(b));
            } finally {
                proxy.delay(700);
                proxy.restore();
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                    .until(() -> ids.stream().anyMatch(id -> "ACCEPTED".equals(status(id))));
            b.close();
            sentBeforeClose = (int) ids.stream().filter(id -> "ACCEPTED".equals(status(id))).count();
        } finally {
            proxy.delay(0);
        }
        System.out.printf("browser closed while draining: %d of 6 accepts had reached the server%n", sentBeforeClose);
        assertTrue(sentBeforeClose < 6, "closed in the middle: " + sentBeforeClose);
        try (Browser b = Browser.phone(profile)) {
            signIn(b, cadre);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> ids.stream().allMatch(id -> "ACCEPTED".equals(status(id))));
            b.await(d -> queued(b) == 0);
        } finally {
            Browser.deleteProfile(profile);
        }
        for (String id : ids) {
            assertEquals(List.of("create", "accept"), actions(id), "exactly one accept of " + id);
        }
    }

    // ---- 5. the office changed the task meanwhile --------------------------------------------------------------

    @Test
    void aQueuedSubmitOnATaskTheOfficeCancelledShowsTheConflictAndDiscardingSendsNothing() throws Exception {
        String cadre = "wm-cadre";
        String id = task(cadre, "已被取消（手机测试）", 5);
        move(cadre, id, "start", null);
        Path photo = Files.createTempDirectory("photos").resolve("现场.jpg");
        Files.write(photo, app.fivestar.platform.testing.CameraPhotos.withExif(800, 600, "2026:11:30 10:00:00", 34.5, 113.5));
        try (Browser b = phone()) {
            signIn(b, cadre);
            proxy.cut();
            try {
                openTask(b, id, "已被取消（手机测试）");
                closeWithNote(b, "离线办结", List.of(photo));
                b.await(d -> b.text("task-status").startsWith("已办结待销号"));
                given().auth().oauth2(stack.token("office")).header("If-Match", etag(id)).contentType(ContentType.JSON)
                        .body(Map.of("reason", "任务调整")).post(tasks + "/api/v1/tasks/" + id + "/cancel").then().statusCode(200);
            } finally {
                proxy.restore();
            }
            go(b, "/m/me");
            b.await(d -> !d.findElements(By.id("conflict-" + id)).isEmpty() && d.findElement(By.id("conflict-" + id)).getText().contains("已取消"));
            shot(b, "5-conflict");
            click(b, By.cssSelector("#conflict-" + id + " .discard"));
            b.await(d -> queued(b) == 0);
            assertTrue(!listed(b).contains(id), "a cancelled task leaves the phone's list");
        }
        assertEquals("CANCELLED", status(id));
        assertEquals(List.of("create", "start", "cancel"), actions(id), "the discarded submit never reached the server");
        assertEquals(0, evidence(id).getList("").size(), "nor its photo");
    }

    // ---- 6. live while online ----------------------------------------------------------------------------------

    @Test
    void aTaskTheOfficeAssignsAppearsWithABadgeWithinTwoSecondsWithoutAReload() {
        String cadre = "dc-cadre";
        try (Browser b = phone()) {
            signIn(b, cadre);
            b.driver().executeScript("window.__sameDocument = true");
            // the first message after the stack's start also waits for consumers to join: measured, not judged
            double first = secondsUntilShown(b, cadre, "实时推送预热（手机测试）");
            double seconds = secondsUntilShown(b, cadre, "实时推送（手机测试）");
            System.out.printf("a new task on the phone: %.2f s after the office created it (first after start %.2f s)%n", seconds, first);
            assertEquals(Boolean.TRUE, b.driver().executeScript("return window.__sameDocument === true"), "no reload");
            b.await(Duration.ofSeconds(5), d -> b.text("unread") != null && Integer.parseInt(b.text("unread")) >= 2);
            shot(b, "6-live");
            assertTrue(seconds < 2.0, "shown after " + seconds + " s");
        }
    }

    static double secondsUntilShown(Browser b, String cadre, String title) {
        go(b, "/m/");
        long start = System.nanoTime();
        String id = task(cadre, title, 3);
        b.await(Duration.ofSeconds(30), d -> !d.findElements(By.cssSelector("#tasks li.row[data-id='" + id + "'] .new")).isEmpty());
        return (System.nanoTime() - start) / 1e9;
    }

    // ---- 7. installable, and the shell from the cache ----------------------------------------------------------

    @Test
    void theAppIsInstallableAndOpensFromItsCacheWithTheNetworkCut() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> manifest = http.send(HttpRequest.newBuilder(URI.create(base + "/m/manifest.webmanifest")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, manifest.statusCode());
        JsonPath m = JsonPath.from(manifest.body());
        assertEquals("/m/", m.getString("start_url"));
        assertEquals("/m/", m.getString("scope"));
        assertEquals("standalone", m.getString("display"));
        assertTrue(m.getString("name").contains("五星"));
        for (Map<String, String> icon : m.getList("icons", Map.class).stream().map(x -> (Map<String, String>) x).toList()) {
            HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(URI.create(base + icon.get("src"))).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, png.statusCode(), icon.get("src"));
            ByteBuffer header = ByteBuffer.wrap(png.body());
            assertEquals(0x89504E47, header.getInt(0), "a PNG");
            assertEquals(icon.get("sizes"), header.getInt(16) + "x" + header.getInt(20));
        }
        String cadre = "xc-cadre";
        task(cadre, "离线打开（手机测试）", 3);
        try (Browser b = phone()) {
            signIn(b, cadre);
            assertEquals(Boolean.TRUE, b.driver().executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    navigator.serviceWorker.getRegistration('/m/').then(r => done(!!r && !!r.active
                      && r.active.scriptURL.endsWith('/m/sw.js') && r.scope.endsWith('/m/')));"""));
            long before = cutNetwork();
            int accepted = proxy.accepted();
            try {
                b.open(base + "/m/");
                b.await(d -> b.text("offline") != null && b.text("offline").startsWith("离线 · 上次同步"));
                b.await(d -> d.findElement(By.id("tasks")).getText().contains("离线打开（手机测试）"));
                shot(b, "7-offline-start");
                assertEquals(before, frontDoorRequests(), "the page came from the cache: the front door saw nothing");
                assertEquals(accepted, proxy.accepted());
            } finally {
                proxy.restore();
            }
        }
    }

    // ---- 8. a session that expires, a phone that is shared --------------------------------------------------------

    @Test
    void theQueueOutlivesAnExpiredSessionAndASignOutAndIsSentOnlyUnderItsAuthorsSession() throws Exception {
        String author = "xc-cadre2";
        String first = task(author, "会话过期（手机测试）", 4);
        String second = task(author, "共用手机（手机测试）", 4);
        try (Browser b = phone()) {
            signIn(b, author);
            // the session is gone (expired, revoked) while an action waits: the queue stays, the cadre is asked to sign in
            cutNetwork();
            try {
                openTask(b, first, "会话过期（手机测试）");
                click(b, "do-accept");
                b.await(d -> b.text("task-status").contains("待发送"));
            } finally {
                proxy.restore();
            }
            b.cookies().stream().filter(c -> c.getName().startsWith("q_session")).forEach(c -> b.driver().manage().deleteCookie(c));
            go(b, "/m/me");
            click(b, "retry");
            b.await(d -> b.text("signin-banner") != null && b.text("signin-banner").contains("登录已过期"));
            assertEquals(1, queued(b));
            assertEquals("ASSIGNED", status(first), "nothing sent without a session");
            shot(b, "8-session-expired");
            click(b, By.cssSelector("#signin-banner a"));
            // Keycloak's login page, or straight back when its own session still stands
            b.await(d -> b.onLoginPage() || d.getCurrentUrl().equals(base + "/m/"));
            if (b.onLoginPage()) {
                b.signIn(author, LocalStack.DEMO_PASSWORD);
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "ACCEPTED".equals(status(first)));

            // signing out with a waiting action warns and keeps it (its request cannot get through meanwhile);
            // another cadre on the same phone sees none of it
            proxy.refuse("POST /api/v1/tasks/" + second + "/accept");
            try {
                openTask(b, second, "共用手机（手机测试）");
                click(b, "do-accept");
                b.await(d -> b.text("task-status").contains("待发送"));
                go(b, "/m/me");
                click(b, "logout");
                b.await(d -> b.text("leave-warning") != null && b.text("leave-warning").contains("还有 1 个操作未发送"));
                shot(b, "8-sign-out-warning");
                click(b, "leave-anyway");
                b.await(d -> b.onLoginPage());
            } finally {
                proxy.refuse(null);
            }
            b.signIn("xc-cadre", LocalStack.DEMO_PASSWORD);
            b.await(d -> !d.getCurrentUrl().contains("/protocol/openid-connect/"));
            b.open(base + "/m/");
            b.await(d -> b.text("who") != null && b.text("who").contains("干部1"));
            synced(b);
            assertTrue(listed(b).stream().noneMatch(id -> id.equals(first) || id.equals(second)), "another person's tasks are not shown");
            assertEquals(0, queued(b), "nor their queue");
            // for more than a drain timer's period, nothing of the author's is sent under this session
            org.awaitility.Awaitility.await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8))
                    .until(() -> "ASSIGNED".equals(status(second)));
            go(b, "/m/me");
            click(b, "logout");
            b.await(d -> b.onLoginPage());
            b.signIn(author, LocalStack.DEMO_PASSWORD);
            b.await(d -> !d.getCurrentUrl().contains("/protocol/openid-connect/"));
            b.open(base + "/m/");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "ACCEPTED".equals(status(second)));
            b.await(d -> queued(b) == 0);
        }
        assertEquals(List.of("create", "accept"), actions(first));
        assertEquals(List.of("create", "accept"), actions(second));
        history(second).stream().filter(h -> "accept".equals(h.get("action")))
                .forEach(h -> assertEquals(stack.personId(author), h.get("actorId"), "sent under its author's session"));
    }

    // ---- 9. an extension asked from the phone; a queued close applied again on the office's new version ----------

    @Test
    void aCloseQueuedWhileTheOfficeMovedTheDueDateIsAppliedAgainOnTheNewVersion() throws Exception {
        String cadre = "dc-cadre2";
        String id = task(cadre, "延期后办结（手机测试）", 3);
        move(cadre, id, "start", null);
        String later = LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(20).toString();
        try (Browser b = phone()) {
            signIn(b, cadre);
            openTask(b, id, "延期后办结（手机测试）");
            click(b, "do-extend");
            b.driver().executeScript("document.getElementById('extend-date').value = arguments[0]", later);
            b.driver().findElement(By.id("extend-reason")).sendKeys("雨季施工延误");
            click(b, "extend-send");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> actions(id).contains("request-extension"));
            String request;
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(stack.postgres().jdbcUrl("task"), "postgres", "postgres");
                 var q = c.prepareStatement("select id from extension_request where task_id = ?")) {
                q.setObject(1, UUID.fromString(id));
                var rows = q.executeQuery();
                rows.next();
                request = rows.getString(1);
            }
            b.await(d -> queued(b) == 0);
            openTask(b, id, "延期后办结（手机测试）");
            cutNetwork();
            try {
                closeWithNote(b, "延期后按期办结", List.of());
                b.await(d -> b.text("task-status").startsWith("已办结待销号"));
                // meanwhile the office approves the extension: the task has a new version
                given().auth().oauth2(stack.token("office")).header("If-Match", etag(id)).contentType(ContentType.JSON)
                        .body(Map.of("note", "同意")).post(tasks + "/api/v1/tasks/" + id + "/extension/" + request + "/approve").then().statusCode(200);
            } finally {
                proxy.restore();
            }
            go(b, "/m/me");
            b.await(d -> !d.findElements(By.cssSelector("#conflict-" + id + " .reapply")).isEmpty()
                    && d.findElement(By.id("conflict-" + id)).getText().contains(later));
            assertEquals("IN_PROGRESS", status(id), "nothing applied on a version the cadre had not seen");
            click(b, By.cssSelector("#conflict-" + id + " .reapply"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "SUBMITTED".equals(status(id)));
            b.await(d -> queued(b) == 0);
        }
        assertEquals(List.of("create", "start", "request-extension", "approve-extension", "submit"), actions(id));
        assertEquals(later, given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/tasks/" + id).then().extract().path("dueDate"));
    }
}
