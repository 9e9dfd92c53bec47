package app.fivestar.task.dashboard;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import app.fivestar.task.task.LifecycleTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The leaders' page in real headless Chromium: it loads cleanly, shows the API's numbers, and follows a change live. */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class DashboardPageTest {

    @TestHTTPResource("/dashboard")
    URL page;

    @Test
    void theLeaderSignsInWithATokenSeesTheNumbersAndAClosedTaskChangesThePageLive() throws Exception {
        String id = LifecycleTest.dispatchOne("ST-20");
        LifecycleTest.move("st-cadre", id, "accept", null, LifecycleTest.etag(id)).statusCode(200);
        LifecycleTest.move("st-cadre", id, "submit", Map.of("note", "已完成"), LifecycleTest.etag(id)).statusCode(200);

        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1800",
                        "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            browser.get(page.toString());
            browser.findElement(By.id("token")).sendKeys(Demo.token("leader"));
            browser.findElement(By.id("login")).click();
            wait.until(d -> d.findElement(By.id("board")).isDisplayed() && !d.findElement(By.id("total")).getText().equals("-"));
            wait.until(d -> d.findElement(By.id("live")).getText().equals("实时更新中"));

            Map<String, Object> summary = given().auth().oauth2(Demo.token("leader")).get("/api/v1/dashboard/summary").then().extract().jsonPath().getMap("");
            assertEquals(String.valueOf(summary.get("total")), browser.findElement(By.id("total")).getText());
            String verifiedBefore = String.valueOf(((Map<?, ?>) summary.get("byStatus")).get("VERIFIED"));
            wait.until(d -> d.findElement(By.id("verified")).getText().equals(verifiedBefore));
            assertEquals(false, browser.findElements(By.cssSelector("#by-group tr")).isEmpty());

            LifecycleTest.move("office", id, "verify", null, LifecycleTest.etag(id)).statusCode(200);   // 销号 through the API
            String expected = String.valueOf(Integer.parseInt(verifiedBefore) + 1);
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("verified")).getText().equals(expected));

            Path shot = Path.of("target", "dashboard.png");
            Files.createDirectories(shot.getParent());
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);

            List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
            assertEquals(List.of(), errors, "console errors");
        } finally {
            browser.quit();
        }
    }
}
