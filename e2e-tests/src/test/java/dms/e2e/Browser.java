package dms.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless chromium driven through its chromedriver (packages {@code chromium} and
 * {@code chromium-driver}), both given by path so that Selenium never looks for a browser or a
 * driver to download.
 */
final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Why the browser cannot run here, if it cannot. */
    static Optional<String> missing() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return Optional.empty();
        }
        return Optional.of("no " + CHROMIUM + " or " + CHROMEDRIVER + ": apt-get install chromium chromium-driver");
    }

    static Browser start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1100", "--lang=en");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options));
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return until(d -> d.findElement(By.cssSelector(css)), 15);
    }

    /** Waits until {@code css} shows {@code text} (htmx fills pages after they load, and polls). */
    String awaitText(String css, String text, int seconds) {
        return until(d -> {
            String shown = d.findElement(By.cssSelector(css)).getText();
            return shown.contains(text) ? shown : null;
        }, seconds);
    }

    /** Waits for {@code condition}; on a timeout, says what the page showed and keeps its screenshot. */
    <T> T until(Function<WebDriver, T> condition, int seconds) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(200))
                    .ignoring(org.openqa.selenium.NoSuchElementException.class)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(condition::apply);
        } catch (org.openqa.selenium.TimeoutException e) {
            String page;
            try {
                screenshot(Path.of("target", "console", "timeout-" + System.currentTimeMillis() + ".png"));
                page = driver.getCurrentUrl() + ": " + driver.findElement(By.tagName("body")).getText().replace('\n', ' ');
            } catch (RuntimeException | java.io.IOException unreadable) {
                page = "(page not readable: " + unreadable + ")";
            }
            throw new AssertionError("timed out after " + seconds + " s; the page showed " + page, e);
        }
    }

    void click(String css) {
        until(d -> {
            WebElement e = d.findElement(By.cssSelector(css));
            e.click();
            return true;
        }, 15);
    }

    /** Clicks a button that asks first (hx-confirm), and says yes. */
    String clickAndConfirm(String css) {
        click(css);
        return until(d -> {
            var alert = d.switchTo().alert();
            String text = alert.getText();
            alert.accept();
            return text;
        }, 10);
    }

    void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
    }

    void screenshot(Path file) throws java.io.IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
