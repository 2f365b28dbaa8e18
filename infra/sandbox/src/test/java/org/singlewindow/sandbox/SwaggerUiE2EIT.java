package org.singlewindow.sandbox;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Swagger UI as a newcomer uses it, in a real (headless) browser through the gateway: "Authorize" logs in
 * on the realm's page (authorization code with PKCE), and "Try it out" files the sample declaration
 * through the gateway with the token it got.
 */
class SwaggerUiE2EIT {

    private static Platform platform;

    @BeforeAll
    static void start() {
        platform = E2EPlatform.get();
    }

    @Test
    void swaggerUiLogsInThroughTheRealmAndFilesTheSampleThroughTheGateway() {
        try (Browser browser = Browser.open()) {
            try {
                walkThrough(browser);
            } catch (RuntimeException | AssertionError e) {
                browser.screenshot("swagger-ui-failed");
                throw e;
            }
        }
    }

    private static void walkThrough(Browser browser) {
        WebDriver page = browser.driver();
        page.get(platform.gateway() + "/swagger-ui.html");
        browser.waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.authorize"))).click();
        String main = page.getWindowHandle();
        // the realm's scheme comes first: its Authorize opens the log-in page
        WebElement modal = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".modal-ux")));
        assertThat(modal.getText()).contains("authorizationCode with PKCE").contains("/protocol/openid-connect/auth");
        modal.findElements(By.cssSelector("button.modal-btn.auth.authorize")).getFirst().click();
        browser.waiting().until(ExpectedConditions.numberOfWindowsToBe(2));
        page.getWindowHandles().stream().filter(h -> !h.equals(main)).findFirst().ifPresent(h -> page.switchTo().window(h));
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("enterprise-a");
        page.findElement(By.id("password")).sendKeys("sandbox-demo");
        browser.screenshot("swagger-ui-1-log-in");
        page.findElement(By.id("kc-login")).click();
        browser.waiting().until(ExpectedConditions.numberOfWindowsToBe(1));
        page.switchTo().window(main);
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".modal-ux"), "Logout"));
        browser.screenshot("swagger-ui-2-authorized");
        page.findElement(By.cssSelector(".modal-ux button.btn-done")).click();

        // file the sample: POST /api/v1/declarations, its example as the body
        WebElement submit = browser.waiting().until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#operations-Declarations-submit .opblock-summary")));
        submit.click();
        browser.waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("#operations-Declarations-submit .try-out__btn")))
                .click();
        String body = page.findElement(By.cssSelector("#operations-Declarations-submit textarea.body-param__text")).getAttribute("value");
        assertThat(body).contains("\"declarationType\"").contains("BONDED_IMPORT_1210");
        page.findElement(By.cssSelector("#operations-Declarations-submit button.execute")).click();
        WebElement status = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#operations-Declarations-submit .live-responses-table .response .response-col_status")));
        ((org.openqa.selenium.JavascriptExecutor) page).executeScript("arguments[0].scrollIntoView({block: 'center'})", status);
        browser.screenshot("swagger-ui-3-submitted");
        assertThat(status.getText()).as(page.findElement(By.cssSelector("#operations-Declarations-submit .live-responses-table"))
                .getText()).startsWith("202");
        List<WebElement> servers = page.findElements(By.cssSelector(".servers select option"));
        assertThat(servers).extracting(WebElement::getText).allSatisfy(s -> assertThat(s).doesNotContain("8081", "8082"));
    }
}
