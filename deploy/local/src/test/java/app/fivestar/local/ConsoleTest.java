package app.fivestar.local;

import app.fivestar.platform.servers.FreePorts;
import app.fivestar.platform.testing.CameraPhotos;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static app.fivestar.local.ConsolePages.choose;
import static app.fivestar.local.ConsolePages.clickLabel;
import static app.fivestar.local.ConsolePages.fileInput;
import static app.fivestar.local.ConsolePages.input;
import static app.fivestar.local.ConsolePages.menu;
import static app.fivestar.local.ConsolePages.type;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The office console at / on the front door, in headless Chromium on the real stack, signed in through Keycloak's
 * login page: each page changes server state and the test checks it through the services' APIs. Screenshots:
 * target/console-*.png.
 */
@org.junit.jupiter.api.Timeout(300)
class ConsoleTest {

    static final String ST_GROUP = "00000000-0000-4000-8000-000000000013";
    static LocalStack stack;
    static String door;
    static String tasks;

    @BeforeAll
    static void start() throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        List.of("task-service", "review-service", "notification-service").forEach(s -> ports.put(s, FreePorts.pick()));
        stack = LocalStack.start(new LocalStack.Options(Path.of("../..").toAbsolutePath().normalize(), Files.createTempDirectory("fivestar-console"),
                FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), ports), System.out);
        door = stack.service("web").url();
        tasks = stack.service("task-service").url();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    // ---- the browser's side --------------------------------------------------------------------------------------

    static Browser signedIn(String user, String page) {
        return ConsolePages.signedIn(door, user, page);
    }

    // ---- the services' side --------------------------------------------------------------------------------------

    static JsonPath task(String id) {
        return given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/tasks/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** A task for a cadre of the ST group, accepted and submitted by them (with photos when given). */
    static String submitted(String title, String cadre, byte[]... photos) {
        String id = given().auth().oauth2(stack.token("office")).contentType(ContentType.JSON)
                .body(Map.of("title", title, "groupId", ST_GROUP, "assigneeId", stack.personId(cadre), "dueDate", LocalDate.now().plusDays(5).toString()))
                .post(tasks + "/api/v1/tasks").then().statusCode(201).extract().path("id");
        given().auth().oauth2(stack.token(cadre)).header("If-Match", "*").post(tasks + "/api/v1/tasks/" + id + "/accept").then().statusCode(200);
        List<String> evidence = new ArrayList<>();
        for (int i = 0; i < photos.length; i++) {
            evidence.add(given().auth().oauth2(stack.token(cadre)).multiPart("file", "p" + i + ".jpg", photos[i], "image/jpeg")
                    .post(tasks + "/api/v1/tasks/" + id + "/evidence").then().statusCode(201).extract().path("id"));
        }
        given().auth().oauth2(stack.token(cadre)).contentType(ContentType.JSON).header("If-Match", "*")
                .body(Map.of("note", "已按要求完成（控制台测试）", "evidenceIds", evidence))
                .post(tasks + "/api/v1/tasks/" + id + "/submit").then().statusCode(200);
        return id;
    }

    static List<String> inboxTitles(String user) {
        return given().auth().oauth2(stack.token(user)).get(stack.service("notification-service").url() + "/api/v1/inbox?limit=200")
                .then().statusCode(200).extract().jsonPath().getList("items.title", String.class);
    }

    // ---- the pages -------------------------------------------------------------------------------------------------

    @Test
    void theOfficeComposesPreviewsAndSendsAWeeksDispatchAndADoubleClickMakesOneDispatch() {
        String week = "2030-W40";
        try (Browser b = signedIn("office", "/dispatch")) {
            b.await(d -> !d.findElements(By.cssSelector(".line")).isEmpty());
            type(b, "#week", week);
            // line 1: a catalogue item, fanned out to one town's villages
            WebElement first = b.driver().findElements(By.cssSelector(".line")).get(0);
            choose(b, first.findElement(By.cssSelector(".line-item")), "ST-13", "ST-13");
            b.await(d -> first.findElement(By.cssSelector(".line-group")).getText().contains("生态宜居专班"));
            clickLabel(first, ".line-target label", "分到一个镇的各村");
            choose(b, first.findElement(By.cssSelector(".line-town")), null, "");
            // line 2: a free title to one person
            b.driver().findElement(By.id("add-line")).click();
            WebElement second = b.await(d -> d.findElements(By.cssSelector(".line")).size() == 2 ? d.findElements(By.cssSelector(".line")).get(1) : null);
            clickLabel(second, "label.el-radio-button", "自拟任务");
            type(b, ".line[data-line='1'] .line-title", "清理河道漂浮物（控制台测试）");
            choose(b, second.findElement(By.cssSelector(".line-group")), null, "生态宜居专班");
            clickLabel(second, ".line-target label", "交到人");
            choose(b, b.await(d -> second.findElement(By.cssSelector(".line-person"))), null, "干部1");

            b.driver().findElement(By.id("preview")).click();
            b.await(d -> b.text("preview-total") != null && b.text("preview-total").contains("共 21 项任务"));
            b.screenshot(Path.of("target", "console-dispatch.png"));
            assertEquals(0, given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/dispatches?week=" + week).then().statusCode(200)
                    .extract().jsonPath().getList("items").size(), "the preview wrote nothing");

            new Actions(b.driver()).doubleClick(b.driver().findElement(By.id("send"))).perform();
            b.await(d -> d.findElements(By.cssSelector(".el-message-box__btns .el-button--primary")).stream().anyMatch(WebElement::isDisplayed));
            new Actions(b.driver()).doubleClick(b.driver().findElements(By.cssSelector(".el-message-box__btns .el-button--primary")).stream()
                    .filter(WebElement::isDisplayed).findFirst().orElseThrow()).perform();
            b.await(Duration.ofSeconds(60), d -> b.text("dispatched") != null && b.text("dispatched").contains("21 项任务"));

            JsonPath dispatches = given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/dispatches?week=" + week).then().statusCode(200)
                    .extract().jsonPath();
            assertEquals(1, dispatches.getList("items").size(), "one dispatch for the double click");
            assertEquals(21, dispatches.getInt("items[0].progress.total"));
            String dispatchId = dispatches.getString("items[0].id");
            JsonPath listed = given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/tasks?limit=200&dispatchId=" + dispatchId).then()
                    .extract().jsonPath();
            assertEquals(21, listed.getList("items").size());
            assertTrue(listed.getList("items.title", String.class).contains("清理河道漂浮物（控制台测试）"));

            // the tasks in the console's search
            b.driver().findElement(By.id("dispatched-link")).click();
            b.await(d -> d.getCurrentUrl().contains("/search?dispatchId=" + dispatchId) && "已显示 21 项".equals(b.text("shown")));

            // a bad line: the service's words under that line, nothing sent
            b.open(door + "/dispatch");
            b.await(d -> !d.findElements(By.cssSelector(".line")).isEmpty());
            type(b, ".line[data-line='0'] .line-item", "");
            clickLabel(b.driver().findElement(By.cssSelector(".line")), "label.el-radio-button", "自拟任务");
            type(b, ".line[data-line='0'] .line-title", "没有专班的任务（控制台测试）");
            b.driver().findElement(By.id("preview")).click();
            b.await(d -> d.findElement(By.cssSelector(".line[data-line='0'] .line-error")).getText().startsWith("专班："));
            assertEquals(1, given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/dispatches?week=" + week).then().extract().jsonPath()
                    .getList("items").size(), "nothing more was sent");
            assertEquals(List.of(), b.errors().stream().filter(e -> !e.contains("/api/v1/dispatches/preview")).toList(),
                    "the page logged errors (besides the refusal it showed)");
        }
    }

    @Test
    void theOfficeVerifiesAfterOpeningThePhotosReturnsWithAReasonAndVerifiesSeveralWithAResultEach() {
        byte[] photo = CameraPhotos.withExif(640, 480, "2026:11:28 09:15:00", 34.7466, 113.6253);
        String withPhotos = submitted("坑塘清淤（控制台测试）", "st-cadre", photo, CameraPhotos.withExif(640, 480, "2026:11:28 09:20:00", 34.7467, 113.6254));
        String toReturn = submitted("垃圾清运（控制台测试）", "st-cadre2");
        String fine = submitted("路灯维修（控制台测试）", "st-cadre");
        String stale = submitted("墙体彩绘（控制台测试）", "st-cadre");
        try (Browser b = signedIn("office", "/verify")) {
            b.await(d -> !d.findElements(By.cssSelector(".queue-task[data-id='" + stale + "']")).isEmpty());
            List<String> queue = b.driver().findElements(By.cssSelector(".queue-task")).stream().map(e -> e.getAttribute("data-id")).toList();
            assertEquals(List.of(withPhotos, toReturn, fine, stale), queue.subList(queue.indexOf(withPhotos), queue.indexOf(withPhotos) + 4),
                    "the longest-waiting first");

            b.driver().findElement(By.cssSelector(".queue-task[data-id='" + withPhotos + "']")).click();
            b.await(d -> withPhotos.equals(d.findElement(By.id("detail")).getAttribute("data-id"))
                    && d.findElements(By.cssSelector("#photos .photo img")).size() == 2);
            String captions = b.text("photos");
            assertTrue(captions.contains("拍摄于") && captions.contains("34.7466"), captions);
            b.driver().findElement(By.cssSelector("#photos .photo img")).click();     // the viewer, full size
            b.await(d -> d.findElements(By.cssSelector(".el-image-viewer__wrapper")).stream().anyMatch(WebElement::isDisplayed));
            assertTrue((Boolean) b.driver().executeScript("const i = document.querySelector('.el-image-viewer__img'); return i.complete && i.naturalWidth === 640;"));
            b.screenshot(Path.of("target", "console-verify-photo.png"));
            new Actions(b.driver()).sendKeys(Keys.ESCAPE).perform();
            b.await(d -> d.findElements(By.cssSelector(".el-image-viewer__wrapper")).stream().noneMatch(WebElement::isDisplayed));
            b.screenshot(Path.of("target", "console-verify.png"));
            new Actions(b.driver()).sendKeys("v").perform();                         // the shortcut
            b.await(Duration.ofSeconds(15), d -> "VERIFIED".equals(task(withPhotos).getString("status")));

            b.await(d -> b.driver().findElements(By.cssSelector(".queue-task[data-id='" + withPhotos + "']")).isEmpty());
            b.driver().findElement(By.cssSelector(".queue-task[data-id='" + toReturn + "']")).click();
            b.await(d -> toReturn.equals(d.findElement(By.id("detail")).getAttribute("data-id")));
            b.driver().findElement(By.id("return")).click();
            b.await(d -> input(b, "#return-reason").isDisplayed());
            b.driver().findElement(By.id("return-confirm")).click();                   // no reason: asked for one, nothing sent
            b.await(d -> b.text("return-error").contains("请填写退回原因"));
            assertEquals("SUBMITTED", task(toReturn).getString("status"));
            type(b, "#return-reason", "照片未体现清运后的现场，请补拍（控制台测试）");
            b.driver().findElement(By.id("return-confirm")).click();
            b.await(Duration.ofSeconds(15), d -> "RETURNED".equals(task(toReturn).getString("status")));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> inboxTitles("st-cadre2").stream().anyMatch(t -> t.contains("垃圾清运（控制台测试）")));

            // verify several: one changed behind the page's back (412) fails alone
            for (String id : List.of(fine, stale)) {
                WebElement row = b.driver().findElement(By.xpath("//span[@data-id='" + id + "']/ancestor::tr"));
                row.findElement(By.cssSelector(".el-checkbox")).click();
            }
            given().auth().oauth2(stack.token("office2")).contentType(ContentType.JSON).header("If-Match", "*")
                    .body(Map.of("reason", "另行安排（控制台测试）")).post(tasks + "/api/v1/tasks/" + stale + "/cancel").then().statusCode(200);
            b.driver().findElement(By.id("verify-selected")).click();
            b.await(Duration.ofSeconds(20), d -> d.findElements(By.cssSelector(".batch-result")).size() == 2);
            WebElement ok = b.driver().findElement(By.cssSelector(".batch-result[data-id='" + fine + "']"));
            WebElement failed = b.driver().findElement(By.cssSelector(".batch-result[data-id='" + stale + "']"));
            assertEquals("true", ok.getAttribute("data-ok"));
            assertEquals("false", failed.getAttribute("data-ok"));
            assertTrue(failed.getText().contains("已被他人修改"), failed.getText());
            b.screenshot(Path.of("target", "console-verify-several.png"));
            assertEquals("VERIFIED", task(fine).getString("status"));
            assertEquals("CANCELLED", task(stale).getString("status"));
            assertEquals(List.of(), b.errors().stream().filter(e -> !e.contains("/api/v1/tasks/" + stale + "/verify")).toList(),
                    "the page logged errors (besides the refusal it showed)");
        }
    }

    @Test
    void aGroupLeadAssignsAnUnassignedTaskAndTheAssigneeHasIt() {
        String id = given().auth().oauth2(stack.token("office")).contentType(ContentType.JSON)
                .body(Map.of("title", "待分配的任务（控制台测试）", "groupId", ST_GROUP, "dueDate", LocalDate.now().plusDays(6).toString()))
                .post(tasks + "/api/v1/tasks").then().statusCode(201).extract().path("id");
        try (Browser b = signedIn("st-lead", "/group")) {
            b.await(d -> !d.findElements(By.cssSelector(".unassigned-task[data-id='" + id + "']")).isEmpty());
            choose(b, b.driver().findElement(By.cssSelector(".assignee[data-id='" + id + "']")), null, "干部2");
            b.driver().findElement(By.cssSelector(".assign[data-id='" + id + "']")).click();
            b.await(Duration.ofSeconds(15), d -> stack.personId("st-cadre2").equals(task(id).getString("assigneeId")));
            b.await(d -> d.findElements(By.cssSelector(".unassigned-task[data-id='" + id + "']")).isEmpty());
            assertTrue(given().auth().oauth2(stack.token("st-cadre2")).get(tasks + "/api/v1/me/tasks").then().statusCode(200).extract().jsonPath()
                    .getList("changed.id", String.class).contains(id), "the assignee's own list has it");
            b.screenshot(Path.of("target", "console-group.png"));
            assertEquals(List.of(), b.errors(), "the page logged errors");
        }
    }

    @Test
    void theOfficeApprovesOneExtensionAndRejectsAnotherAndTheDueDatesFollow() {
        List<String> ids = new ArrayList<>();
        List<String> asks = new ArrayList<>();
        for (String title : List.of("延期同意（控制台测试）", "延期不同意（控制台测试）")) {
            String id = given().auth().oauth2(stack.token("office")).contentType(ContentType.JSON)
                    .body(Map.of("title", title, "groupId", ST_GROUP, "assigneeId", stack.personId("st-cadre"), "dueDate", LocalDate.now().plusDays(3).toString()))
                    .post(tasks + "/api/v1/tasks").then().statusCode(201).extract().path("id");
            asks.add(given().auth().oauth2(stack.token("st-cadre")).contentType(ContentType.JSON).header("If-Match", "*")
                    .body(Map.of("dueDate", LocalDate.now().plusDays(10).toString(), "reason", "雨天无法施工（控制台测试）"))
                    .post(tasks + "/api/v1/tasks/" + id + "/extension").then().statusCode(201).extract().path("id"));
            ids.add(id);
        }
        try (Browser b = signedIn("office", "/extensions")) {
            for (int i = 0; i < 2; i++) {
                String ask = asks.get(i);
                b.await(d -> !d.findElements(By.cssSelector((".approve[data-id='" + ask + "']"))).isEmpty());
                b.driver().findElement(By.cssSelector((i == 0 ? ".approve" : ".reject") + "[data-id='" + ask + "']")).click();
                b.await(d -> d.findElements(By.cssSelector(".el-message-box__input input")).stream().anyMatch(WebElement::isDisplayed));
                b.driver().findElements(By.cssSelector(".el-message-box__input input")).stream().filter(WebElement::isDisplayed).findFirst().orElseThrow()
                        .sendKeys(i == 0 ? "同意（控制台测试）" : "请按期完成（控制台测试）");
                b.driver().findElements(By.cssSelector(".el-message-box__btns .el-button--primary")).stream().filter(WebElement::isDisplayed)
                        .findFirst().orElseThrow().click();
                b.await(Duration.ofSeconds(15), d -> d.findElements(By.cssSelector(".approve[data-id='" + ask + "']")).isEmpty());
            }
            assertEquals(LocalDate.now().plusDays(10).toString(), task(ids.get(0)).getString("dueDate"), "approved: the new due date");
            assertEquals(LocalDate.now().plusDays(3).toString(), task(ids.get(1)).getString("dueDate"), "rejected: the due date stays");
            assertTrue(given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/extensions?status=REJECTED").then().extract().jsonPath()
                    .getList("decisionNote", String.class).contains("请按期完成（控制台测试）"));
            assertEquals(List.of(), b.errors(), "the page logged errors");
        }
    }

    @Test
    void theOfficeImportsTheCatalogueSeeingEveryBadRowFirstAndThenTheFixedFile() throws IOException {
        String csv = given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/catalogue/export?format=csv").then().statusCode(200)
                .extract().asString();
        List<String> lines = new ArrayList<>(csv.lines().toList());
        String st13 = lines.stream().filter(l -> l.startsWith("ST-13,")).findFirst().orElseThrow();
        lines.set(lines.indexOf(st13), st13.replaceFirst("^ST-13,[^,]*,", "ST-13,村庄绿化美化提升（控制台导入）,"));
        String zb01 = lines.stream().filter(l -> l.startsWith("ZB-01,")).findFirst().orElseThrow();
        int zb01Row = lines.indexOf(zb01) + 1;      // the line a person sees it on in the file (the comment line is line 1)
        Path bad = Files.createTempFile("catalogue-bad", ".csv");
        List<String> broken = new ArrayList<>(lines);
        broken.set(broken.indexOf(zb01), zb01.replace(",ZB,G-ZB,", ",XX,G-ZB,"));
        Files.writeString(bad, String.join("\n", broken) + "\n");
        Path good = Files.createTempFile("catalogue-good", ".csv");
        Files.writeString(good, String.join("\n", lines) + "\n");
        try (Browser b = signedIn("office", "/catalogue")) {
            b.await(d -> !d.findElements(By.cssSelector("#catalogue .el-table__row")).isEmpty());
            fileInput(b, ".table-import").sendKeys(bad.toString());
            b.await(d -> !d.findElements(By.cssSelector(".import-problems .el-table__row")).isEmpty());
            String problems = b.driver().findElement(By.cssSelector(".import-problems")).getText();
            List<WebElement> rows = b.driver().findElements(By.cssSelector(".import-problems .el-table__row"));
            assertEquals(1, rows.size(), problems);
            List<WebElement> cells = rows.get(0).findElements(By.tagName("td"));
            assertEquals(String.valueOf(zb01Row), cells.get(0).getText().strip(), problems);
            assertEquals("star", cells.get(1).getText().strip(), problems);
            assertTrue(b.driver().findElement(By.cssSelector(".import-error")).getText().contains("未做任何修改"));
            assertEquals("村庄绿化美化", given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/catalogue/ST-13").then().extract().path("title"),
                    "nothing changed: ST-13's row was fine but the file had a bad row");
            b.screenshot(Path.of("target", "console-catalogue-errors.png"));
            fileInput(b, ".table-import").sendKeys(good.toString());
            b.await(d -> !d.findElements(By.cssSelector(".import-result")).isEmpty());
            assertEquals("村庄绿化美化提升（控制台导入）", given().auth().oauth2(stack.token("office")).get(tasks + "/api/v1/catalogue/ST-13").then()
                    .extract().path("title"));
            assertEquals(List.of(), b.errors().stream().filter(e -> !e.contains("/api/v1/catalogue/import")).toList(), "the page logged errors");
        }
    }

    @Test
    void eachRoleSeesOnlyItsMenuAndACadreOpeningAnOfficePageGetsNoPermission() {
        Map<String, List<String>> menus = new LinkedHashMap<>();
        menus.put("office", List.of("/", "/dashboard", "/escalations", "/meetings", "/statements", "/rankings", "/verify", "/dispatch", "/search",
                "/extensions", "/catalogue", "/directory"));
        menus.put("leader", List.of("/", "/dashboard", "/escalations", "/meetings", "/statements", "/rankings", "/search"));
        menus.put("st-lead", List.of("/", "/meetings", "/rankings", "/search", "/group"));
        menus.put("sec-t01", List.of("/", "/dashboard", "/meetings", "/statements", "/rankings", "/search"));
        menus.put("st-cadre", List.of("/"));
        menus.forEach((user, expected) -> {
            try (Browser b = signedIn(user, "/")) {
                b.await(d -> !menu(b).isEmpty());
                assertEquals(expected, menu(b), user);
                if (user.equals("office")) {
                    b.screenshot(Path.of("target", "console-home.png"));
                }
                if (user.equals("st-cadre")) {
                    for (String page : List.of("/verify", "/dispatch", "/dashboard", "/meetings/" + UUID.randomUUID())) {
                        b.open(door + page);
                        b.await(d -> b.text("forbidden") != null);
                        assertTrue(b.text("forbidden").contains("没有权限"), page);
                    }
                }
            }
        });
    }
}
