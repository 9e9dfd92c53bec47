package app.fivestar.local;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.util.List;

/** Driving the office console's Element Plus pages from the browser tests. */
final class ConsolePages {

    private ConsolePages() {
    }

    /** A new browser signed in as {@code user} (through Keycloak's login page) on the console's {@code page}. */
    static Browser signedIn(String door, String user, String page) {
        Browser b = Browser.start();
        b.open(door + page);
        b.signIn(user, LocalStack.DEMO_PASSWORD);
        b.await(d -> d.getCurrentUrl().startsWith(door + page) && !d.findElements(By.id("menu")).isEmpty());
        return b;
    }

    /** Opens the tab labelled {@code label} of the page's tabs. */
    static void tab(Browser b, String label) {
        b.await(d -> d.findElements(By.cssSelector(".el-tabs__item")).stream().filter(e -> e.getText().startsWith(label)).findFirst().map(e -> {
            e.click();
            return true;
        }).orElse(false));
    }

    /** The visible primary button of the open message box (a confirmation). */
    static WebElement confirmButton(Browser b) {
        return b.await(d -> d.findElements(By.cssSelector(".el-message-box__btns .el-button--primary")).stream().filter(WebElement::isDisplayed)
                .findFirst().orElse(null));
    }

    /** An Element Plus select: opened, optionally typed into, and the visible option containing {@code text} clicked. */
    static void choose(Browser b, WebElement select, String typed, String text) {
        // an id given to an el-select lands on its input, which its wrapper covers: click the wrapper
        WebElement input = select.getTagName().equals("input") ? select : select.findElement(By.tagName("input"));
        WebElement wrapper = select.getTagName().equals("input") ? select.findElement(By.xpath("./ancestor::div[contains(@class,'el-select__wrapper')][1]")) : select;
        wrapper.click();
        if (typed != null) {
            input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
            input.sendKeys(typed);
        }
        // this select's own option list (its input names it): never another select's list still fading out
        String list = input.getAttribute("aria-controls");
        // a click while the list still zooms in can land beside the option and be lost (seen on a busy machine: a line's
        // town left empty): click once the list stands still, and again until the option is chosen or the list closed
        long[] clickedAt = {0};
        b.await(d -> {
            WebElement option = d.findElements(By.cssSelector("[id='" + list + "'] .el-select-dropdown__item")).stream()
                    .filter(e -> e.isDisplayed() && e.getText().contains(text)).findFirst().orElse(null);
            if (clickedAt[0] > 0 && (option == null || option.getAttribute("class").contains("is-selected"))) {
                return true;
            }
            if (option == null) {
                return false;
            }
            String popper = option.findElement(By.xpath("./ancestor::div[contains(@class,'el-popper')][1]")).getAttribute("class");
            if (popper.contains("-enter") || System.nanoTime() - clickedAt[0] < 2_000_000_000L && clickedAt[0] > 0) {
                return false;
            }
            option.click();
            clickedAt[0] = System.nanoTime();
            return false;
        });
    }

    static WebElement input(Browser b, String css) {
        WebElement e = b.driver().findElement(By.cssSelector(css));
        return e.getTagName().equals("input") || e.getTagName().equals("textarea") ? e : e.findElement(By.cssSelector("input,textarea"));
    }

    static void type(Browser b, String css, String text) {
        WebElement in = input(b, css);
        in.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        in.sendKeys(text);
    }

    static void clickLabel(WebElement scope, String css, String text) {
        scope.findElements(By.cssSelector(css)).stream().filter(e -> e.getText().contains(text)).findFirst().orElseThrow().click();
    }

    static List<String> menu(Browser b) {
        return b.driver().findElements(By.cssSelector("#menu [data-page]")).stream().map(e -> e.getAttribute("data-page")).toList();
    }

    /** The file input of an Element Plus upload (hidden behind its button) made visible for the driver. */
    static WebElement fileInput(Browser b, String scope) {
        WebElement input = b.driver().findElement(By.cssSelector(scope + " input[type=file]"));
        b.driver().executeScript("arguments[0].style.display = 'block';", input);
        return input;
    }

}
