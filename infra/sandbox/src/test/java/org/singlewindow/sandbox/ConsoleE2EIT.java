package org.singlewindow.sandbox;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.singlewindow.contract.Json;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real (headless) browser through the gateway: an enterprise logs in on the realm's
 * page, files a declaration by uploading its JSON and watches it reach CLEARED with the five agencies'
 * answers; another enterprise cannot see it; the Chinese and English pages have every word. Screenshots
 * in {@code target/screenshots}.
 */
class ConsoleE2EIT {

    private static Platform platform;

    @BeforeAll
    static void start() {
        platform = E2EPlatform.get();
    }

    @Test
    void anEnterpriseFilesByUploadAndWatchesItClearWhileAnotherCannotSeeIt() throws Exception {
        ObjectNode declaration = E2EClient.declarationOfANewBuyer();
        Path upload = Files.createTempFile("declaration-", ".json");
        Files.writeString(upload, Json.mapper().writeValueAsString(declaration));
        String page;
        try (Browser browser = Browser.open()) {
            try {
                WebDriver driver = browser.driver();
                logIn(browser, "enterprise-a");
                driver.get(platform.gateway() + "/declarations/new?lang=en");
                driver.findElement(By.id("file")).sendKeys(upload.toAbsolutePath().toString());
                browser.screenshot("console-1-file");
                driver.findElement(By.id("submit")).click();
                // the declaration's page, refreshing itself until every agency has answered
                browser.waiting().until(ExpectedConditions.urlMatches(".*/declarations/[0-9a-f-]{36}$"));
                page = driver.getCurrentUrl().substring(driver.getCurrentUrl().indexOf("/declarations/"));
                new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(90))
                        .until(ExpectedConditions.textToBe(By.id("status"), "Cleared"));
                List<WebElement> agencies = driver.findElements(By.cssSelector("#agencies tbody tr"));
                assertThat(agencies).hasSize(5);
                assertThat(agencies).allSatisfy(row -> assertThat(row.getText()).contains("Released"));
                assertThat(driver.findElement(By.id("timeline")).getText()).contains("Customs").contains("Logistics");
                browser.screenshot("console-2-cleared");

                // the same page in Chinese: every word from the bundle
                driver.get(platform.gateway() + page + "?lang=zh-CN");
                assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("已放行");
                assertThat(driver.getPageSource()).doesNotContain("??");
                browser.screenshot("console-3-cleared-zh");
                driver.get(platform.gateway() + "/declarations");
                assertThat(driver.getPageSource()).doesNotContain("??").contains(declaration.get("order").get("orderNo").asString());
                driver.get(platform.gateway() + "/declarations?lang=en");
                assertThat(driver.getPageSource()).doesNotContain("??");
            } catch (RuntimeException | AssertionError e) {
                browser.screenshot("console-failed");
                throw e;
            }
        }
        // enterprise B: not there for it either
        try (Browser browser = Browser.open()) {
            logIn(browser, "enterprise-b");
            browser.driver().get(platform.gateway() + page + "?lang=en");
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Not found");
            browser.driver().get(platform.gateway() + "/declarations");
            assertThat(browser.driver().getPageSource()).doesNotContain(declaration.get("order").get("orderNo").asString());
            browser.screenshot("console-4-other-enterprise");
            // log-out ends the session: the next page asks to log in again
            browser.driver().findElement(By.cssSelector("form[action$='/logout'] button")).click();
            browser.driver().get(platform.gateway() + "/declarations");
            browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        }
    }

    private static void logIn(Browser browser, String user) {
        WebDriver driver = browser.driver();
        driver.get(platform.gateway() + "/");
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys("sandbox-demo");
        driver.findElement(By.id("kc-login")).click();
        browser.waiting().until(ExpectedConditions.urlContains("/declarations"));
    }
}
