package app.fivestar.local;

import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * The browser-test harness: Debian's headless Chromium driven through chromedriver, with a fresh profile, signing in
 * through Keycloak's real login page. Loopback only; background networking off (this machine has no other network).
 */
public final class Browser implements AutoCloseable {

    private final ChromeDriver driver;
    /** The profile directory this browser made for itself, deleted when it closes (null: the test's own). */
    private Path ownProfile;
    private Path profile;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    public static Browser start() {
        return owning(start("1400,1800", temporaryProfile("chromium-profile")));
    }

    /** A phone-sized window on a fresh profile of its own, deleted when it closes. */
    public static Browser phone() {
        return owning(phone(temporaryProfile("phone-profile")));
    }

    /** A fresh, empty profile directory; a test that opens several browsers on it deletes it with {@link #deleteProfile}. */
    public static Path temporaryProfile(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Browser owning(Browser b) {
        b.ownProfile = b.profile;
        return b;
    }

    /** Deletes a profile directory and everything Chromium wrote in it (a run of the browser tests left ~3 MB each). */
    public static void deleteProfile(Path profile) {
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // gone already, or Chromium still writing in it: the system's temporary directory keeps the rest
        }
    }

    /**
     * A phone-sized window (360×740) on the given profile directory: a test that closes the browser and opens it again
     * on the same directory finds the same storage (IndexedDB, the service worker, its caches).
     */
    public static Browser phone(Path profile) {
        Browser b = start("360,740", profile);
        // a phone's screen: 360×740 CSS pixels, whatever the smallest window headless Chromium makes
        b.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 360, "height", 740, "deviceScaleFactor", 2, "mobile", true));
        return b;
    }

    private static Browser start(String windowSize, Path profile) {
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--window-size=" + windowSize,
                        "--lang=zh-CN", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        Browser b = new Browser(new ChromeDriver(service, options));
        b.profile = profile;
        return b;
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public <T> T await(Function<ChromeDriver, T> condition) {
        return await(Duration.ofSeconds(30), condition);
    }

    public <T> T await(Duration timeout, Function<ChromeDriver, T> condition) {
        try {
            return new WebDriverWait(driver, timeout).ignoring(org.openqa.selenium.NoSuchElementException.class)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> condition.apply((ChromeDriver) d));
        } catch (org.openqa.selenium.TimeoutException e) {
            String page = driver.findElements(By.tagName("body")).stream().map(WebElement::getText).findFirst().orElse("");
            throw new AssertionError("waited " + timeout + " in vain at " + driver.getCurrentUrl() + ", showing:\n"
                    + page.substring(0, Math.min(page.length(), 1500)) + "\nbrowser log: " + errors(), e);
        }
    }

    /** Whether the current page is Keycloak's login form. */
    public boolean onLoginPage() {
        return driver.getCurrentUrl().contains("/protocol/openid-connect/") && !driver.findElements(By.id("kc-login")).isEmpty();
    }

    /** Fills in Keycloak's login form (waiting for it) and submits it. */
    public void signIn(String username, String password) {
        await(d -> onLoginPage());
        WebElement user = driver.findElement(By.id("username"));
        user.clear();
        user.sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
    }

    public String text(String id) {
        List<WebElement> found = driver.findElements(By.id(id));
        return found.isEmpty() ? null : found.get(0).getText();
    }

    public Cookie cookie(String name) {
        return driver.manage().getCookieNamed(name);
    }

    public java.util.Set<Cookie> cookies() {
        return driver.manage().getCookies();
    }

    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the page's scripts logged as errors. */
    public List<String> errors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    private boolean closed;

    /** Quits the browser (once; a second close does nothing). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            driver.quit();
            if (ownProfile != null) {
                deleteProfile(ownProfile);
            }
        }
    }
}
