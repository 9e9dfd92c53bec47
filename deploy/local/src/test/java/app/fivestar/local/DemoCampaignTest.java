package app.fivestar.local;

import app.fivestar.platform.servers.FreePorts;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The living demo campaign: a loader killed (kill -9) in the middle of the history and started again leaves exactly one
 * history, loaded through the services' APIs on their demo clocks, with times in the past; the stack's first start
 * loads it once; the leaders' dashboard shows it in the browser.
 */
@org.junit.jupiter.api.Timeout(900)
class DemoCampaignTest {

    static LocalStack stack;
    static String tasks;
    static String review;

    @BeforeAll
    static void start() throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        List.of("task-service", "review-service", "notification-service").forEach(s -> ports.put(s, FreePorts.pick()));
        stack = LocalStack.start(new LocalStack.Options(Path.of("../..").toAbsolutePath().normalize(), Files.createTempDirectory("fivestar-demo"),
                FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), ports), System.out);
        tasks = stack.service("task-service").url();
        review = stack.service("review-service").url();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static JsonPath get(String url, String user) {
        return given().auth().oauth2(stack.token(user)).get(url).then().statusCode(200).extract().jsonPath();
    }

    static List<String> allTaskIds() {
        return taskIds("");
    }

    /** The ids of the tasks the office's task search finds with {@code filter} (e.g. "&light=RED"), every page. */
    static List<String> taskIds(String filter) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = get(tasks + "/api/v1/tasks?limit=200" + filter + (cursor == null ? "" : "&cursor=" + cursor), "office");
            ids.addAll(page.getList("items.id", String.class));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return ids;
    }

    @Test
    void aLoaderKilledInTheMiddleAndStartedAgainMakesOneHistoryThatTheDashboardShows() throws Exception {
        LocalDate anchor = stack.demoAnchor();
        // the loader on its own, killed -9 once it is well into the weeks
        Process loader = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "app.fivestar.local.DemoHistory", "--task", tasks, "--review", review,
                "--issuer", stack.keycloak().issuer(LocalStack.REALM), "--anchor", anchor.toString()).redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(loader.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                System.out.println("[killed loader] " + line);
                if (line.contains("demo history: 50 steps")) {
                    break;
                }
            }
        }
        loader.destroyForcibly();
        assertTrue(loader.waitFor(30, TimeUnit.SECONDS));
        int before = allTaskIds().size();
        assertTrue(before > 0 && before < 400, "killed in the middle: " + before + " tasks");

        // the stack's own loading (as the first start of run.sh does): the same weeks again, through to today
        DemoHistory.Result result = stack.loadDemoHistory();
        assertNotNull(result, "loaded");
        System.out.printf("demo history: %s%n", result);
        assertTrue(result.took().compareTo(Duration.ofMinutes(3)) < 0, "loaded in under 3 minutes: " + result.took());
        assertNull(stack.loadDemoHistory(), "a later start loads nothing");

        // one history: 12 dispatches (one per week), every task once, no meeting twice
        JsonPath dispatches = get(tasks + "/api/v1/dispatches?limit=200", "office");
        assertEquals(12, dispatches.getList("items").size(), "one dispatch per week, not two");
        assertEquals(12, dispatches.getList("items.week", String.class).stream().distinct().count());
        List<String> ids = allTaskIds();
        assertEquals(result.tasks(), ids.size(), "every task once");
        assertTrue(ids.size() >= 300, ids.size() + " tasks");
        List<String> meetings = get(review + "/api/v1/meetings?limit=200", "leader").getList("items.title", String.class);
        assertEquals(4, meetings.size(), "two regular meetings, an observation, a look-back: " + meetings);
        assertTrue(meetings.stream().allMatch(t -> t.contains("示例")), "marked as illustrative: " + meetings);

        // times in the past, as they would have been: dispatches on their weeks' Mondays, twelve weeks of trend
        for (Map<String, Object> d : dispatches.getList("items", Map.class)) {
            java.time.Instant at = java.time.Instant.parse((String) d.get("createdAt"));
            LocalDate day = LocalDate.ofInstant(at, DemoHistory.ZONE);
            assertEquals(java.time.DayOfWeek.MONDAY, day.getDayOfWeek(), "dispatched on a Monday: " + d);
            assertEquals(DemoHistory.isoWeek(day), d.get("week"));
        }
        JsonPath trend = get(tasks + "/api/v1/dashboard/trend?weeks=12", "leader");
        long weeksWithDispatches = trend.getList("dispatched", Integer.class).stream().filter(n -> n > 0).count();
        assertTrue(weeksWithDispatches >= 8, "non-empty weeks: " + trend.prettify());
        // the counters are folded in the background, at most a fold interval (500 ms) behind the last write
        JsonPath summary = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> get(tasks + "/api/v1/dashboard/summary", "leader"), s -> s.getInt("total") == ids.size());
        assertEquals(ids.size(), summary.getInt("total"), "the dashboard's read model counts every task");
        // each light counts what the task search finds with it; yellow (due today, or returned and not yet due) may be
        // empty on some weekdays of the campaign's calendar (Asia/Shanghai), red and green never are
        for (String light : List.of("RED", "YELLOW", "GREEN")) {
            assertEquals(taskIds("&light=" + light).size(), summary.getInt("byLight." + light), light + ": " + summary.prettify());
        }
        assertTrue(summary.getInt("byLight.RED") > 0 && summary.getInt("byLight.GREEN") > 0, summary.prettify());
        assertTrue(summary.getInt("byStatus.SUBMITTED") > 0, "submissions wait for the office: " + summary.prettify());
        assertTrue(get(tasks + "/api/v1/escalations", "leader").getList("level", Integer.class).contains(3), "escalated up the ladder");
        // the look-back's rebound reopened a task; the observation's ranking is published with statements made and missing
        String lookBack = get(review + "/api/v1/meetings?type=LOOK_BACK", "leader").getString("items[0].id");
        String reopened = get(review + "/api/v1/meetings/" + lookBack + "/findings", "leader").getList("", Map.class).stream()
                .filter(f -> "REBOUNDED".equals(f.get("result"))).map(f -> (String) f.get("taskId")).findFirst().orElseThrow();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> "RETURNED".equals(get(tasks + "/api/v1/tasks/" + reopened, "office").getString("status")));
        String observation = get(review + "/api/v1/meetings?type=OBSERVATION", "leader").getString("items[0].id");
        assertTrue(get(review + "/api/v1/meetings/" + observation + "/ranking", "leader").getBoolean("published"));
        List<Object> statements = get(review + "/api/v1/meetings/" + observation + "/statements", "leader").getList("text");
        assertTrue(statements.stream().anyMatch(java.util.Objects::nonNull) && statements.contains(null), "some made, one not: " + statements);

        // the leaders' dashboard in the browser: three coloured buckets and the twelve weeks
        try (Browser b = Browser.start()) {
            String door = stack.service("web").url();
            b.open(door + "/dashboard");
            b.signIn("leader", LocalStack.DEMO_PASSWORD);
            b.await(d -> b.text("light-red") != null && !d.findElements(By.cssSelector("#trend .trend-week")).isEmpty());
            for (String id : List.of("light-red", "light-yellow", "light-green")) {
                assertEquals(summary.getInt("byLight." + id.substring(6).toUpperCase()), Integer.parseInt(b.text(id)), id);
            }
            List<WebElement> shown = b.driver().findElements(By.cssSelector("#trend .trend-week"));
            assertEquals(12, shown.size());
            assertTrue(shown.stream().filter(w -> Integer.parseInt(w.getAttribute("data-dispatched")) > 0).count() >= 8);
            b.screenshot(Path.of("target", "console-dashboard.png"));
            // a bucket drills down to its tasks
            b.driver().findElement(By.id("light-red")).click();
            b.await(d -> d.getCurrentUrl().contains("/search?light=RED") && b.text("shown") != null
                    && b.text("shown").equals("已显示 " + summary.getInt("byLight.RED") + " 项"));
            assertTrue(b.driver().findElements(By.cssSelector("#results .status")).stream().allMatch(e -> "RED".equals(e.getAttribute("data-light"))));
        }
        try (Browser b = Browser.start()) {
            String door = stack.service("web").url();
            b.open(door + "/verify");
            b.signIn("office", LocalStack.DEMO_PASSWORD);
            b.await(d -> !d.findElements(By.cssSelector("#photos .photo img")).isEmpty());
            b.screenshot(Path.of("target", "console-verify-demo.png"));
            b.open(door + "/escalations");
            b.await(d -> !d.findElements(By.cssSelector(".escalated")).isEmpty());
            b.screenshot(Path.of("target", "console-escalations.png"));
        }
    }
}
