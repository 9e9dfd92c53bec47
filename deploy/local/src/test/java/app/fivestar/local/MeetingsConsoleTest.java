package app.fivestar.local;

import app.fivestar.platform.servers.FreePorts;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static app.fivestar.local.ConsolePages.choose;
import static app.fivestar.local.ConsolePages.clickLabel;
import static app.fivestar.local.ConsolePages.confirmButton;
import static app.fivestar.local.ConsolePages.tab;
import static app.fivestar.local.ConsolePages.type;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Meetings, scoring, 通报 and statements in the console, in headless Chromium on the real stack, signed in through
 * Keycloak: each page changes server state and the test checks it through the services' APIs. Screenshots:
 * target/meetings-*.png.
 */
@org.junit.jupiter.api.Timeout(400)
class MeetingsConsoleTest {

    static final String ST_GROUP = "00000000-0000-4000-8000-000000000013";
    static final java.time.ZoneId BEIJING = java.time.ZoneId.of("Asia/Shanghai");
    static LocalStack stack;
    static String door;
    static String tasks;
    static String review;

    @BeforeAll
    static void start() throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        List.of("task-service", "review-service", "notification-service").forEach(s -> ports.put(s, FreePorts.pick()));
        stack = LocalStack.start(new LocalStack.Options(Path.of("../..").toAbsolutePath().normalize(), Files.createTempDirectory("fivestar-meetings"),
                FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), ports), System.out);
        door = stack.service("web").url();
        tasks = stack.service("task-service").url();
        review = stack.service("review-service").url();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static LocalDate today() {
        return LocalDate.now(BEIJING);
    }

    static JsonPath get(String url, String user) {
        return given().auth().oauth2(stack.token(user)).get(url).then().statusCode(200).extract().jsonPath();
    }

    /** A meeting made through the API and moved to {@code status}. */
    static String meeting(String title, String type, LocalDate date, String... moves) {
        String id = given().auth().oauth2(stack.token("leader")).contentType(ContentType.JSON)
                .body(Map.of("title", title, "type", type, "date", date.toString())).post(review + "/api/v1/meetings").then().statusCode(201)
                .extract().path("id");
        for (String move : moves) {
            String etag = given().auth().oauth2(stack.token("leader")).get(review + "/api/v1/meetings/" + id).then().extract().header("ETag");
            given().auth().oauth2(stack.token("leader")).header("If-Match", etag).post(review + "/api/v1/meetings/" + id + "/" + move).then().statusCode(200);
        }
        return id;
    }

    static Browser onMeeting(String user, String id) {
        Browser b = ConsolePages.signedIn(door, user, "/meetings/" + id);
        b.await(d -> b.text("meeting-title") != null && !b.text("meeting-title").isBlank());
        return b;
    }

    /** Fills the signed-in scorer's grid: town i gets 90 - 3i on every criterion, except the second town, tied with the first. */
    static int fillGrid(Browser b) {
        b.await(d -> !d.findElements(By.cssSelector("#my-grid input[data-town]")).isEmpty());
        List<WebElement> cells = b.driver().findElements(By.cssSelector("#my-grid input[data-town]"));
        List<String> towns = new ArrayList<>();
        cells.forEach(c -> {
            if (!towns.contains(c.getAttribute("data-town"))) {
                towns.add(c.getAttribute("data-town"));
            }
        });
        for (WebElement cell : cells) {
            int i = towns.indexOf(cell.getAttribute("data-town"));
            cell.sendKeys(String.valueOf(90 - 3 * Math.max(0, i - (i >= 1 ? 1 : 0))));
        }
        b.driver().findElement(By.id("save-grid")).click();
        return cells.size();
    }

    @Test
    void anObservationIsCalledScoredByTwoInTheirOwnGridsPublishedPrintedAndTheLowestTownMakesItsStatement() throws Exception {
        String title = "生态宜居星观摩（控制台测试）";
        String id;
        try (Browser leader = ConsolePages.signedIn(door, "leader", "/meetings")) {
            leader.driver().findElement(By.id("new-meeting")).click();
            leader.await(d -> d.findElement(By.id("meeting-title-input")).isDisplayed());
            clickLabel(leader.driver().findElement(By.id("meeting-type")), "label", "观摩");
            type(leader, "#meeting-title-input", title);
            type(leader, "#meeting-date", today().toString());
            ConsolePages.input(leader, "#meeting-date").sendKeys(org.openqa.selenium.Keys.ENTER);
            // an observation without a star: the service's words in the dialog
            leader.driver().findElement(By.id("meeting-create")).click();
            leader.await(d -> d.findElements(By.cssSelector(".el-form-item__error")).stream().anyMatch(e -> !e.getText().isBlank())
                    || !leader.text("meeting-error").isBlank());
            choose(leader, leader.driver().findElement(By.id("meeting-star")), null, "生态宜居星");
            leader.driver().findElement(By.id("meeting-create")).click();
            leader.await(d -> title.equals(leader.text("meeting-title")));
            id = leader.driver().getCurrentUrl().replaceAll(".*/meetings/", "");

            // attendees from the directory
            choose(leader, leader.driver().findElement(By.id("attendee-pick")), "组长", "生态宜居专班");
            leader.driver().findElement(By.id("save-attendees")).click();
            leader.await(Duration.ofSeconds(15), d -> get(review + "/api/v1/meetings/" + id, "leader").getList("attendees").size() == 1);
            for (String status : List.of("已发通知", "进行中")) {
                leader.driver().findElement(By.id("meeting-move")).click();
                leader.await(d -> status.equals(leader.text("meeting-status")));
            }
            assertEquals("IN_PROGRESS", get(review + "/api/v1/meetings/" + id, "leader").getString("status"));

            // the score sheet names two scorers
            tab(leader, "打分排序");
            leader.await(d -> d.findElements(By.id("edit-sheet")).stream().findFirst().orElse(null)).click();
            WebElement scorers = leader.await(d -> d.findElement(By.id("scorer-pick")));
            choose(leader, scorers, "区委书记", "区委书记");
            choose(leader, scorers, "领生态宜居", "领生态宜居");
            leader.driver().findElement(By.id("meeting-title")).click();      // a multiple select stays open after a choice: click away
            leader.await(d -> d.findElements(By.cssSelector(".el-select-dropdown")).stream().noneMatch(WebElement::isDisplayed));
            leader.driver().findElement(By.id("save-sheet")).click();
            leader.await(Duration.ofSeconds(15), d -> get(review + "/api/v1/meetings/" + id + "/score-sheet", "leader").getList("scorers").size() == 2);

            // the leader's own grid
            int cells = fillGrid(leader);
            leader.await(Duration.ofSeconds(15), d -> get(review + "/api/v1/meetings/" + id + "/scores", "leader").getList("").size() == cells);

            // the second scorer sees an empty grid of their own, not the leader's, and fills it
            try (Browser second = onMeeting("cm-st", id)) {
                tab(second, "打分排序");
                second.await(d -> !d.findElements(By.cssSelector("#my-grid input[data-town]")).isEmpty());
                assertTrue(second.driver().findElements(By.cssSelector("#my-grid input[data-town]")).stream().allMatch(e -> e.getAttribute("value").isEmpty()),
                        "another scorer's grid is not shown");
                assertEquals(stack.personId("cm-st"), second.driver().findElement(By.id("my-grid")).getAttribute("data-scorer"));
                // (the leader's 40 scores exist: a leader may read them through the API, but the grid is only one's own)
                assertEquals(cells, get(review + "/api/v1/meetings/" + id + "/scores", "leader").getList("").size());
                fillGrid(second);
                second.await(Duration.ofSeconds(15), d -> get(review + "/api/v1/meetings/" + id + "/scores", "cm-st").getList("").size() == cells);
            }

            // the live ranking: the tie shares first place, the next is third
            leader.await(Duration.ofSeconds(20), d -> d.findElements(By.cssSelector("#ranking-lines .rank")).stream().limit(3)
                    .map(WebElement::getText).toList().equals(List.of("1", "1", "3")));
            JsonPath ranking = get(review + "/api/v1/meetings/" + id + "/ranking", "leader");
            assertEquals(List.of(1, 1, 3), ranking.getList("lines.rank", Integer.class).subList(0, 3));
            leader.screenshot(Path.of("target", "meetings-ranking.png"));

            // publishing names the towns that must make a statement
            List<String> stating = new ArrayList<>();
            for (Map<String, Object> line : ranking.getList("lines", Map.class)) {
                if (ranking.getList("statementTowns", String.class).contains((String) line.get("townId"))) {
                    stating.add((String) line.get("townName"));
                }
            }
            leader.driver().findElement(By.id("publish")).click();
            String confirmation = leader.await(d -> d.findElements(By.cssSelector(".el-message-box__message")).stream().filter(WebElement::isDisplayed)
                    .findFirst().map(WebElement::getText).orElse(null));
            stating.forEach(town -> assertTrue(confirmation.contains(town), confirmation));
            confirmButton(leader).click();
            leader.await(Duration.ofSeconds(15), d -> !d.findElements(By.id("export-xlsx")).isEmpty());
            assertTrue(get(review + "/api/v1/meetings/" + id + "/ranking", "leader").getBoolean("published"));

            // the 通报 as Excel: the link the page offers, its rows
            String href = leader.driver().findElement(By.id("export-xlsx")).getAttribute("href");
            assertTrue(href.endsWith("/api/v1/meetings/" + id + "/ranking/export?format=xlsx"), href);
            byte[] xlsx = given().auth().oauth2(stack.token("leader")).get(review + "/api/v1/meetings/" + id + "/ranking/export?format=xlsx")
                    .then().statusCode(200).extract().asByteArray();
            try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
                Sheet sheet = book.getSheetAt(0);
                List<String> rows = new ArrayList<>();
                for (Row row : sheet) {
                    StringBuilder text = new StringBuilder();
                    row.forEach(c -> text.append(c.toString()).append(' '));
                    rows.add(text.toString());
                }
                String all = String.join("\n", rows);
                for (Map<String, Object> line : ranking.getList("lines", Map.class)) {
                    assertTrue(all.contains((String) line.get("townName")), "the Excel lists " + line.get("townName") + ":\n" + all);
                }
            }

            // the printable 通报, printed to PDF by Chromium
            leader.open(door + "/api/v1/meetings/" + id + "/ranking/export?format=html");
            leader.await(d -> d.findElement(By.tagName("body")).getText().contains(title));
            Map<String, Object> pdf = leader.driver().executeCdpCommand("Page.printToPDF", Map.of("printBackground", true, "paperWidth", 8.27,
                    "paperHeight", 11.69));
            byte[] bytes = Base64.getDecoder().decode((String) pdf.get("data"));
            Files.write(Path.of("target", "meetings-tongbao.pdf"), bytes);
            try (PDDocument doc = Loader.loadPDF(bytes)) {
                String text = new PDFTextStripper().getText(doc).replaceAll("\\s+", "");
                assertTrue(text.contains(title.replaceAll("\\s+", "")), text);
                assertTrue(text.contains("五星支部创建工作领导小组办公室"), "the issuing office's title line: " + text);
                stating.forEach(town -> assertTrue(text.contains(town), town + " in " + text));
            }
        }

        // the lowest town's secretary sees the statement to make and makes it
        JsonPath statements = get(review + "/api/v1/meetings/" + id + "/statements", "leader");
        int last = statements.getList("").size() - 1;
        String lowestTown = statements.getString("[" + last + "].townId");
        String statementId = statements.getString("[" + last + "].id");
        String code = get(tasks + "/api/v1/towns", "office").getList("", Map.class).stream().filter(t -> lowestTown.equals(t.get("id")))
                .map(t -> ((String) t.get("code")).toLowerCase()).findFirst().orElseThrow();
        try (Browser secretary = ConsolePages.signedIn(door, "sec-" + code, "/statements")) {
            WebElement form = secretary.await(d -> d.findElements(By.cssSelector(".statement-form[data-id='" + statementId + "']")).stream().findFirst().orElse(null));
            form.findElement(By.cssSelector(".statement-submit")).click();
            secretary.await(d -> form.findElement(By.cssSelector(".statement-error")).getText().contains("请填写"));
            form.findElement(By.cssSelector(".statement-text textarea")).sendKeys("我镇排名靠后，镇党委表态：两周内逐村整改到位（控制台测试）");
            form.findElement(By.cssSelector(".statement-submit")).click();
            secretary.await(Duration.ofSeconds(15), d -> get(review + "/api/v1/statements?status=made", "sec-" + code).getList("id", String.class)
                    .contains(statementId));
            secretary.screenshot(Path.of("target", "meetings-statement.png"));
            assertEquals(List.of(), secretary.errors(), "the page logged errors");
        }
        assertTrue(get(review + "/api/v1/meetings/" + id + "/statements", "leader").getString("[" + last + "].text").contains("控制台测试"));
    }

    @Test
    void aRegularMeetingsDecisionWithTwoActionItemsBecomesTwoTasksAndTheNextBriefingShowsThem() {
        String first = meeting("十一月例会（控制台测试）", "REGULAR", today().minusDays(7), "open", "start");
        List<String> taskIds;
        try (Browser b = onMeeting("leader", first)) {
            tab(b, "决定事项");
            b.await(d -> d.findElement(By.id("decision-text")).isDisplayed());
            type(b, "#decision-text", "加快坑塘整治和阵地规范化（控制台测试）");
            type(b, ".action-item[data-item='0'] .item-title", "坑塘清淤验收（控制台测试）");
            chooseGroup(b, 0, "生态宜居专班");
            b.driver().findElement(By.id("add-item")).click();
            b.await(d -> !d.findElements(By.cssSelector(".action-item[data-item='1']")).isEmpty());
            type(b, ".action-item[data-item='1'] .item-title", "支部阵地规范化（控制台测试）");
            chooseGroup(b, 1, "支部过硬专班");
            b.driver().findElement(By.id("record-decision")).click();
            b.await(Duration.ofSeconds(15), d -> {
                String refused = b.text("decision-error");
                assertTrue(refused == null || refused.isBlank(), "the decision was refused: " + refused + " (the items: "
                        + d.findElements(By.cssSelector("#new-decision .field-error")).stream().map(WebElement::getText).toList() + ")");
                return !d.findElements(By.cssSelector("#decisions .decision")).isEmpty();
            });
            taskIds = await().atMost(Duration.ofSeconds(60)).until(() -> get(review + "/api/v1/meetings/" + first + "/decisions", "leader")
                    .getList("[0].actionItems.taskId", String.class), ids -> ids != null && ids.size() == 2 && ids.stream().allMatch(java.util.Objects::nonNull));
            for (String task : taskIds) {
                assertEquals(first, get(tasks + "/api/v1/tasks/" + task, "office").getString("meetingId"), "the task came from the meeting");
            }
            b.await(Duration.ofSeconds(30), d -> d.findElements(By.cssSelector(".item-task")).size() == 2);
            b.screenshot(Path.of("target", "meetings-decisions.png"));
        }
        String etag = given().auth().oauth2(stack.token("leader")).get(review + "/api/v1/meetings/" + first).then().extract().header("ETag");
        given().auth().oauth2(stack.token("leader")).header("If-Match", etag).post(review + "/api/v1/meetings/" + first + "/close").then().statusCode(200);
        String next = meeting("十二月例会（控制台测试）", "REGULAR", today().plusDays(1));
        try (Browser b = onMeeting("office", next)) {
            tab(b, "会前通报材料");
            b.await(Duration.ofSeconds(30), d -> d.findElements(By.cssSelector("#briefing-items .outcome")).size() == 2);
            assertTrue(b.driver().findElements(By.cssSelector("#briefing-items .outcome")).stream().allMatch(e -> "OPEN".equals(e.getAttribute("data-outcome"))));
            String table = b.driver().findElement(By.id("briefing-items")).getText();
            assertTrue(table.contains("坑塘清淤验收（控制台测试）") && table.contains("支部阵地规范化（控制台测试）"), table);
            b.screenshot(Path.of("target", "meetings-briefing.png"));
        }
    }

    @Test
    void aLookBackReboundReopensTheTaskAndTheCadreIsToldAndThePhotoIsKept() throws IOException {
        String village = get(tasks + "/api/v1/villages", "office").getString("[0].id");
        String villageName = get(tasks + "/api/v1/villages", "office").getString("[0].name");
        String task = given().auth().oauth2(stack.token("office")).contentType(ContentType.JSON).header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                .body(Map.of("week", "2030-W20", "lines", List.of(Map.of("title", "坑塘整治（回头看测试）", "groupId", ST_GROUP, "dueDate",
                        today().plusDays(3).toString(), "assigneeId", stack.personId("st-cadre"), "fanOut", Map.of("villageIds", List.of(village))))))
                .post(tasks + "/api/v1/dispatches").then().statusCode(201).extract().path("tasks[0].id");
        for (String move : List.of("accept", "submit")) {
            given().auth().oauth2(stack.token("st-cadre")).contentType(ContentType.JSON).header("If-Match", "*").body(Map.of("note", "已整治（测试）"))
                    .post(tasks + "/api/v1/tasks/" + task + "/" + move).then().statusCode(200);
        }
        given().auth().oauth2(stack.token("office")).header("If-Match", "*").post(tasks + "/api/v1/tasks/" + task + "/verify").then().statusCode(200);
        String id = meeting("回头看（控制台测试）", "LOOK_BACK", today(), "open", "start");
        try (Browser b = onMeeting("leader", id)) {
            tab(b, "回头看");
            String town = get(tasks + "/api/v1/towns", "office").getList("", Map.class).stream()
                    .filter(t -> t.get("id").equals(get(tasks + "/api/v1/villages", "office").getString("[0].townId"))).map(t -> (String) t.get("name"))
                    .findFirst().orElseThrow();
            choose(b, b.await(d -> d.findElement(By.id("finding-town"))), null, town);
            choose(b, b.driver().findElement(By.id("finding-village")), null, villageName);
            // review-service learns of the verified task through Kafka: the picker offers it once task-service lists it
            choose(b, b.driver().findElement(By.id("finding-task")), null, "坑塘整治（回头看测试）");
            clickLabel(b.driver().findElement(By.id("finding-result")), "label", "反弹");
            type(b, "#finding-note", "岸边垃圾再次堆积（控制台测试）");
            b.await(Duration.ofSeconds(30), d -> {
                d.findElement(By.id("record-finding")).click();
                return d.findElements(By.cssSelector(".finding-task[data-task='" + task + "']")).size() == 1;
            });
            b.await(Duration.ofSeconds(30), d -> "被退回".equals(d.findElement(By.cssSelector(".finding-task[data-task='" + task + "']")).getText()));
            // the inspector's photo of the rebound
            String finding = get(review + "/api/v1/meetings/" + id + "/findings", "leader").getString("[0].id");
            Path photo = Files.createTempFile("rebound", ".jpg");
            Files.write(photo, app.fivestar.platform.testing.CameraPhotos.withExif(800, 600, "2026:11:20 10:30:00", 34.75, 113.62));
            ConsolePages.fileInput(b, ".finding-photos[data-finding='" + finding + "']").sendKeys(photo.toString());
            b.await(Duration.ofSeconds(15), d -> d.findElements(By.cssSelector(".finding-photos[data-finding='" + finding + "'] img")).size() == 1);
            JsonPath stored = get(review + "/api/v1/meetings/" + id + "/findings/" + finding + "/photos", "leader");
            assertEquals(1, stored.getList("").size());
            assertEquals(34.75f, stored.getFloat("[0].latitude"), 0.001f);
            b.screenshot(Path.of("target", "meetings-lookback.png"));
        }
        assertEquals("RETURNED", get(tasks + "/api/v1/tasks/" + task, "office").getString("status"));
        await().atMost(Duration.ofSeconds(30)).until(() -> get(stack.service("notification-service").url() + "/api/v1/inbox", "st-cadre")
                .getList("items.title", String.class).stream().anyMatch(t -> t.startsWith("回头看反弹") && t.contains("坑塘整治（回头看测试）")));
    }

    @Test
    void aPageLeftOpenWhileSomeoneElseMovesTheMeetingShowsTheConflictAndTheLatestVersion() {
        String id = meeting("冲突测试回头看（控制台测试）", "LOOK_BACK", today());
        try (Browser b = onMeeting("leader", id)) {
            b.await(d -> "草稿".equals(b.text("meeting-status")));
            type(b, "#minutes", "会前准备的纪要草稿（控制台测试）");
            // someone else opens the meeting meanwhile
            String etag = given().auth().oauth2(stack.token("office")).get(review + "/api/v1/meetings/" + id).then().extract().header("ETag");
            given().auth().oauth2(stack.token("office")).header("If-Match", etag).post(review + "/api/v1/meetings/" + id + "/open").then().statusCode(200);
            b.driver().findElement(By.id("save-minutes")).click();
            b.await(d -> b.text("meeting-conflict") != null && b.text("meeting-conflict").contains("有人刚刚修改了这个会议"));
            b.await(d -> "已发通知".equals(b.text("meeting-status")));
            assertEquals(null, get(review + "/api/v1/meetings/" + id, "leader").getString("minutes"), "the stale save changed nothing");
            b.screenshot(Path.of("target", "meetings-conflict.png"));
            // on the latest version the same save goes through
            type(b, "#minutes", "会前准备的纪要（控制台测试）");
            b.driver().findElement(By.id("save-minutes")).click();
            b.await(Duration.ofSeconds(15), d -> "会前准备的纪要（控制台测试）".equals(get(review + "/api/v1/meetings/" + id, "leader").getString("minutes")));
            // closed, the minutes change only as a correction with its reason, which the journal shows
            for (String status : List.of("进行中", "已结束")) {
                b.driver().findElement(By.id("meeting-move")).click();
                b.await(d -> status.equals(b.text("meeting-status")));
            }
            type(b, "#minutes", "会议纪要（更正后，控制台测试）");
            b.driver().findElement(By.id("save-minutes")).click();
            b.await(d -> b.text("minutes-error").contains("须写明原因"));
            type(b, "#correction", "补记遗漏的整改要求（控制台测试）");
            b.driver().findElement(By.id("save-minutes")).click();
            b.await(Duration.ofSeconds(15), d -> d.findElements(By.cssSelector(".journal-line[data-action='correct-minutes']")).stream()
                    .anyMatch(e -> e.getText().contains("补记遗漏的整改要求（控制台测试）")));
            assertEquals("会议纪要（更正后，控制台测试）", get(review + "/api/v1/meetings/" + id, "leader").getString("minutes"));
        }
    }

    /**
     * Chooses the working group of action item {@code item} until its select shows it: on a busy machine a click on an
     * option still fading in can be lost, and the decision is then refused for a missing group.
     */
    private static void chooseGroup(Browser b, int item, String group) {
        By select = By.cssSelector(".action-item[data-item='" + item + "'] .item-group");
        b.await(Duration.ofSeconds(30), d -> {
            if (!d.findElement(select).getText().contains(group)) {
                choose(b, d.findElement(select), null, group);
            }
            return d.findElement(select).getText().contains(group);
        });
    }
}
