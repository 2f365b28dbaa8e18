package org.singlewindow.sandbox;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A headless Chromium for browser tests: the system's {@code chromium} and {@code chromedriver} (Debian's
 * {@code chromium} and {@code chromium-driver}; {@code -Dsw.browser.chromium}, {@code -Dsw.browser.driver} name
 * others). Nothing is downloaded. Without them the test is skipped, saying why — unless
 * {@code -Dsw.browser.required=true} or {@code SW_BROWSER_REQUIRED=true} (CI), when it fails. Screenshots go to {@code target/screenshots}.
 */
final class Browser implements AutoCloseable {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    static Browser open() {
        Optional<Path> chromium = find(System.getProperty("sw.browser.chromium"), "chromium", "chromium-browser", "google-chrome");
        Optional<Path> chromedriver = find(System.getProperty("sw.browser.driver"), "chromedriver");
        boolean present = chromium.isPresent() && chromedriver.isPresent();
        boolean required = Boolean.getBoolean("sw.browser.required") || "true".equals(System.getenv("SW_BROWSER_REQUIRED"));
        if (!present && required) {
            throw new IllegalStateException("browser tests need chromium and chromedriver (apt-get install chromium chromium-driver)");
        }
        assumeTrue(present, "no chromium and chromedriver here: browser tests skipped (apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--lang=en-GB", "--disable-gpu");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.get().toFile())
                .usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options));
    }

    WebDriver driver() {
        return driver;
    }

    WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    /** Saves what the browser shows as {@code target/screenshots/<name>.png}. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }

    private static Optional<Path> find(String configured, String... names) {
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(java.io.File.pathSeparator))
                .flatMap(dir -> Stream.of(names).map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }
}
