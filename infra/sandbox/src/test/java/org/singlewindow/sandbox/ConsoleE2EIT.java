package org.singlewindow.sandbox;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Samples;
import org.singlewindow.contract.Topology;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console in a real (headless) browser through the gateway: an enterprise logs in on the realm's
 * page, files a declaration by uploading its JSON and watches it reach CLEARED with the five agencies'
 * answers, and another enterprise cannot see it; an inspection officer releases a held declaration and the
 * enterprise sees it clear; an operator replays a dead letter and discards it with a note; a consumer sees
 * their yearly total move after a purchase; the Chinese and English pages have every word. Screenshots in
 * {@code target/screenshots}.
 */
class ConsoleE2EIT {

    /** A bar code on the bundled inspection rules' recall list: inspection holds the declaration (500). */
    private static final String RECALLED_BAR_CODE = "4008976022350";
    /** The realm's demo consumer's resident ID number ({@code id_number}). */
    private static final String CONSUMER_ID_NUMBER = "410102199003070027";

    private static Platform platform;
    private static E2EClient client;

    @BeforeAll
    static void start() {
        platform = E2EPlatform.get();
        client = new E2EClient(platform);
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
                // cleared, goods still in the zone: it can be withdrawn, no longer cancelled
                assertThat(driver.findElements(By.id("withdraw"))).hasSize(1);
                assertThat(driver.findElements(By.id("cancel"))).isEmpty();
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
                // found by its order number, typed in the search box
                driver.findElement(By.id("orderNo")).sendKeys(declaration.get("order").get("orderNo").asString());
                driver.findElement(By.cssSelector("form.filters button")).click();
                browser.waiting().until(ExpectedConditions.urlContains("orderNo="));
                assertThat(driver.findElements(By.cssSelector("#declarations tbody tr"))).singleElement()
                        .satisfies(row -> assertThat(row.getText()).contains(declaration.get("order").get("orderNo").asString()));
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

    @Test
    void aCustomsOfficerDecidesAWithdrawalApplicationFromTheQueue() throws Exception {
        String id = client.submit(E2EClient.declarationOfANewBuyer());
        client.awaitStatus(id, "CLEARED");
        // applied for once the agencies have settled the clearance (until then: 409, apply again in a moment)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> client.call("POST",
                "/api/v1/declarations/" + id + "/withdrawal", "enterprise-a", "{\"reason\": \"the buyer cancelled before dispatch\"}")
                .statusCode() == 202);
        try (Browser browser = Browser.open()) {
            try {
                WebDriver driver = browser.driver();
                logIn(browser, "customs-officer");
                WebElement row = new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
                    d.get(platform.gateway() + "/cases?filter=WITHDRAWAL_REVIEW&lang=en");
                    return d.findElements(By.cssSelector("#cases tr[data-id='" + id + "']")).stream().findFirst().orElse(null);
                });
                row.findElement(By.tagName("a")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("withdrawal-review")));
                assertThat(driver.findElement(By.id("withdrawal-application")).getText()).isEqualTo("the buyer cancelled before dispatch");
                assertThat(driver.findElements(By.id("review"))).isEmpty(); // released: nothing to release or reject
                driver.findElement(By.id("withdrawal-reason")).sendKeys("Goods verified in ZZBW01");
                browser.screenshot("console-8-officer-withdrawal");
                driver.findElement(By.id("approve-withdrawal")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
                assertThat(driver.findElement(By.id("done")).getText()).contains("Withdrawal approved");
                assertThat(driver.findElements(By.id("withdrawal-review"))).isEmpty();
                assertThat(driver.findElement(By.id("reviews")).getText()).contains("customs-officer").contains("withdrawal approved")
                        .contains("Goods verified in ZZBW01");
                driver.get(driver.getCurrentUrl().replaceAll("\\?.*", "") + "?lang=zh-CN");
                assertThat(driver.getPageSource()).doesNotContain("??").contains("同意撤销");
            } catch (RuntimeException | AssertionError e) {
                browser.screenshot("console-failed-withdrawal");
                throw e;
            }
        }
        client.awaitStatus(id, "WITHDRAWN");
    }

    @Test
    void anInspectionOfficerReleasesAHeldDeclarationAndTheEnterpriseSeesItClear() throws Exception {
        ObjectNode recalled = E2EClient.declarationOfANewBuyer();
        ((ObjectNode) recalled.get("items").get(0)).put("barCode", RECALLED_BAR_CODE);
        String id = client.submit(recalled);
        client.awaitStatus(id, "HELD");
        String orderNo = recalled.get("order").get("orderNo").asString();
        try (Browser browser = Browser.open()) {
            try {
                WebDriver driver = browser.driver();
                logIn(browser, "inspection-officer");
                // the officer starts on the agency's queue of held cases, oldest first
                driver.get(platform.gateway() + "/cases?lang=en");
                WebElement row = driver.findElement(By.cssSelector("#cases tr[data-id='" + id + "']"));
                assertThat(row.getText()).contains(orderNo).contains("Held for inspection").contains("RECALL_FORMULA_LOT_2026");
                browser.screenshot("console-5-officer-queue");
                row.findElement(By.tagName("a")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("review")));
                assertThat(driver.findElement(By.id("receipts")).getText()).contains("RECALL_FORMULA_LOT_2026");
                assertThat(driver.findElement(By.id("window")).getText()).contains("Customs").contains("Logistics");
                driver.findElement(By.id("reason")).sendKeys("Lot checked against the recall notice: not affected");
                browser.screenshot("console-6-officer-case");
                driver.findElement(By.id("release")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
                assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("Released");
                assertThat(driver.findElement(By.id("reviews")).getText()).contains("inspection-officer")
                        .contains("Lot checked against the recall notice");
                assertThat(driver.findElements(By.id("review"))).isEmpty();
                driver.get(driver.getCurrentUrl().replaceAll("\\?.*", "") + "?lang=zh-CN");
                assertThat(driver.getPageSource()).doesNotContain("??");
                assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("放行");
                browser.screenshot("console-7-officer-released-zh");
            } catch (RuntimeException | AssertionError e) {
                browser.screenshot("console-failed-officer");
                throw e;
            }
        }
        // the enterprise sees it clear, with the officer's reason in words on the inspection row
        try (Browser browser = Browser.open()) {
            WebDriver driver = browser.driver();
            logIn(browser, "enterprise-a");
            driver.get(platform.gateway() + "/declarations/" + id + "?lang=en");
            new WebDriverWait(driver, Duration.ofSeconds(90)).until(ExpectedConditions.textToBe(By.id("status"), "Cleared"));
            assertThat(driver.findElement(By.cssSelector("#agencies tr[data-agency='INSPECTION']")).getText())
                    .contains("Released").contains("released by an officer: Lot checked against the recall notice");
            browser.screenshot("console-8-enterprise-sees-release");
        }
    }

    @Test
    void anOperatorReplaysADeadLetterAndThenDiscardsItWithANote() throws Exception {
        String messageId = UUID.randomUUID().toString();
        publishPoison(messageId);
        JsonNode first = awaitDeadLetter("customs", messageId, null);
        try (Browser browser = Browser.open()) {
            try {
                WebDriver driver = browser.driver();
                logIn(browser, "operations-admin");
                driver.get(platform.gateway() + "/operations?lang=en");
                WebElement row = driver.findElement(By.cssSelector("#dead-letters tr[data-service='customs'][data-message='" + messageId + "']"));
                assertThat(row.getText()).contains("customs").contains("declaration.submitted").contains("NonRetryableMessageException");
                assertThat(driver.findElement(By.id("outboxes")).getText()).contains("declaration").contains("logistics");
                browser.screenshot("console-9-operations");
                row.findElement(By.tagName("a")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("replay")));
                assertThat(driver.findElement(By.id("reason")).getText()).contains("DeclarationSubmitted");
                assertThat(driver.findElement(By.id("body")).getText()).contains("not-a-uuid");
                browser.screenshot("console-10-dead-letter");
                driver.findElement(By.id("replay")).click();
                browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("done"), messageId));

                // put back on its queue, the poison fails again and comes back: a later dead-lettering, the same message
                JsonNode again = awaitDeadLetter("customs", messageId, first.get("deadLetteredAt").asString());
                assertThat(again.get("messageId").asString()).isEqualTo(messageId);
                driver.get(platform.gateway() + "/operations/dead-letters/customs/" + queueOf("customs", messageId) + "/" + messageId + "?lang=zh-CN");
                assertThat(driver.getPageSource()).doesNotContain("??");
                driver.get(platform.gateway() + "/operations/dead-letters/customs/" + queueOf("customs", messageId) + "/" + messageId + "?lang=en");
                driver.findElement(By.id("note")).sendKeys("Malformed test message (not a UUID); nothing to recover");
                driver.findElement(By.id("discard")).click();
                browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("done"), "discarded"));
                assertThat(driver.findElements(By.cssSelector("#dead-letters tr[data-service='customs'][data-message='" + messageId + "']"))).isEmpty();
                browser.screenshot("console-11-dead-letter-discarded");
            } catch (RuntimeException | AssertionError e) {
                browser.screenshot("console-failed-operations");
                throw e;
            }
        }
        // the service's audit trail has the operator's read, replay and discard
        HttpResponse<String> audit = client.call("GET", "/api/v1/admin/customs/audit", "operations-admin", null);
        assertThat(audit.body()).contains("dead-letter.read").contains("dead-letter.replay").contains("dead-letter.discard")
                .contains(messageId).contains("nothing to recover");
    }

    @Test
    void aConsumerSeesTheirYearlyTotalMoveAfterAPurchase() throws Exception {
        try (Browser browser = Browser.open()) {
            try {
                WebDriver driver = browser.driver();
                logIn(browser, "consumer");
                driver.get(platform.gateway() + "/quota?lang=en");
                String usedBefore = driver.findElement(By.id("used")).getText();
                assertThat(driver.findElement(By.id("limit")).getText()).contains("26,000.00");

                // an enterprise files a purchase of this consumer's (the realm's demo consumer's ID number)
                ObjectNode purchase = Samples.declaration();
                ((ObjectNode) purchase.get("order").get("buyer")).put("idNumber", CONSUMER_ID_NUMBER);
                ((ObjectNode) purchase.get("payment")).put("payerIdNumber", CONSUMER_ID_NUMBER);
                String id = client.submit(purchase);
                client.awaitStatus(id, "CLEARED");
                JsonNode quota = E2EClient.json(client.call("GET", "/api/v1/tax/my-quota", "consumer", null));

                driver.get(platform.gateway() + "/quota?lang=en");
                assertThat(driver.findElement(By.id("used")).getText()).isNotEqualTo(usedBefore)
                        .contains(String.format(java.util.Locale.ENGLISH, "%,.2f", quota.get("used").decimalValue()));
                assertThat(driver.findElement(By.id("purchases")).getText())
                        .contains(purchase.get("order").get("orderNo").asString()).contains("yes, cleared");
                browser.screenshot("console-12-consumer-quota");
                driver.get(platform.gateway() + "/quota?lang=zh-CN");
                assertThat(driver.getPageSource()).doesNotContain("??").contains("年度跨境电商零售进口额度");
                browser.screenshot("console-13-consumer-quota-zh");
                // the consumer has no enterprise pages
                driver.get(platform.gateway() + "/declarations?lang=en");
                assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Not for you");
            } catch (RuntimeException | AssertionError e) {
                browser.screenshot("console-failed-consumer");
                throw e;
            }
        }
    }

    @Test
    void aReferenceAdministratorSeesProblemsThenTheDifferenceAndLoadsANewVersion() throws Exception {
        // the forex payment firms in force, under a new version name: the content is the same, so nothing else changes
        ObjectNode document = (ObjectNode) E2EClient.json(client.call("GET", "/api/v1/admin/forex/reference/forex-payment-firms/document",
                "reference-admin", null));
        String version = "console-" + UUID.randomUUID().toString().substring(0, 8);
        String previous = document.get("version").asString();
        document.put("version", version);
        Path upload = Files.createTempFile("forex-payment-firms-", ".json");
        Files.writeString(upload, Json.mapper().writeValueAsString(document));
        try (Browser browser = Browser.open()) {
            try {
                WebDriver driver = browser.driver();
                logIn(browser, "reference-admin");
                driver.get(platform.gateway() + "/reference?lang=en");
                driver.findElement(By.cssSelector("#documents tr[data-kind='forex-payment-firms'] a")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("check")));
                // a broken version: the service's problems, nothing loaded
                driver.findElement(By.id("text")).sendKeys("{\"kind\": \"forex-payment-firms\", \"version\": \"\"}");
                driver.findElement(By.id("check")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("problem")));
                assertThat(driver.findElement(By.id("problem")).getText()).contains("Invalid reference document").contains("not loaded");
                assertThat(driver.findElement(By.id("in-force")).getText()).isEqualTo(previous);
                browser.screenshot("console-14-reference-problem");
                // the new version: compared with the one in force, then loaded
                driver.findElement(By.id("file")).sendKeys(upload.toAbsolutePath().toString());
                driver.findElement(By.id("check")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("diff")));
                assertThat(driver.findElements(By.cssSelector("#diff .del"))).singleElement()
                        .satisfies(line -> assertThat(line.getText()).contains(previous));
                assertThat(driver.findElements(By.cssSelector("#diff .add"))).singleElement()
                        .satisfies(line -> assertThat(line.getText()).contains(version));
                browser.screenshot("console-15-reference-diff");
                driver.findElement(By.id("load")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
                assertThat(driver.findElement(By.id("in-force")).getText()).isEqualTo(version);
                assertThat(driver.findElement(By.id("versions")).getText()).contains(version).contains("reference-admin");
                driver.get(driver.getCurrentUrl() + "?lang=zh-CN");
                assertThat(driver.getPageSource()).doesNotContain("??");
            } catch (RuntimeException | AssertionError e) {
                browser.screenshot("console-failed-reference");
                throw e;
            }
        }
        assertThat(E2EClient.json(client.call("GET", "/api/v1/admin/forex/reference/forex-payment-firms", "reference-admin", null))
                .get("version").asString()).isEqualTo(version);
    }

    @Test
    void aFinanceAdministratorRecordsADepositOnce() throws Exception {
        String account = "/api/v1/admin/tax/guarantee-accounts/" + E2EPlatform.ENTERPRISE_B;
        try (Browser browser = Browser.open()) {
            try {
                WebDriver driver = browser.driver();
                logIn(browser, "finance-admin");
                driver.get(platform.gateway() + "/finance?lang=en");
                driver.findElement(By.cssSelector("#accounts tr[data-enterprise='" + E2EPlatform.ENTERPRISE_B + "'] a")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("deposit")));
                java.math.BigDecimal before = E2EClient.json(client.call("GET", account, "finance-admin", null)).get("balance").decimalValue();
                driver.findElement(By.id("amount")).sendKeys("not money");
                driver.findElement(By.id("deposit")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("problem")));
                assertThat(driver.findElement(By.id("problem")).getText()).contains("/amount");
                driver.findElement(By.id("amount")).clear();
                driver.findElement(By.id("amount")).sendKeys("1000.00");
                String key = driver.findElement(By.name("depositKey")).getAttribute("value");
                driver.findElement(By.id("deposit")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
                assertThat(driver.findElement(By.id("movements")).getText()).contains("finance-admin");
                browser.screenshot("console-16-guarantee-deposit");
                java.math.BigDecimal after = E2EClient.json(client.call("GET", account, "finance-admin", null)).get("balance").decimalValue();
                assertThat(after.subtract(before)).isEqualByComparingTo("1000.00");
                // the form sent again (its Idempotency-Key) is the same deposit
                HttpResponse<String> again = client.call("POST", account + "/deposits", "finance-admin", "{\"amount\": 1000.00}",
                        "Idempotency-Key", key);
                assertThat(again.statusCode()).isEqualTo(200);
                assertThat(E2EClient.json(client.call("GET", account, "finance-admin", null)).get("balance").decimalValue())
                        .isEqualByComparingTo(after);
            } catch (RuntimeException | AssertionError e) {
                browser.screenshot("console-failed-finance");
                throw e;
            }
        }
    }

    @Test
    void anEnterpriseSeesItsStockQuotesABasketAndManagesAWebhook() throws Exception {
        try (Browser browser = Browser.open()) {
            try {
                WebDriver driver = browser.driver();
                logIn(browser, "enterprise-a");
                // the sandbox's warehouse, which enterprise-a operates: the sample's item
                driver.get(platform.gateway() + "/declarations/stock?lang=en&warehouseCode=ZZBW01&itemRecordNo=ZZ1210A0001");
                assertThat(driver.findElement(By.cssSelector("#levels tr[data-item='ZZ1210A0001']")).getText()).contains("4101960002");
                browser.screenshot("console-17-stock");

                // the checkout calculator: 20 g of lotion at 21.25 is CNY 98.00 of tax (the tariff's cosmetics rates)
                driver.get(platform.gateway() + "/declarations/quote?lang=en");
                driver.findElement(By.id("hsCode0")).sendKeys("3304990099");
                driver.findElement(By.id("quantity0")).sendKeys("20");
                driver.findElement(By.id("unit0")).sendKeys("036");
                driver.findElement(By.id("unitPrice0")).sendKeys("21.25");
                driver.findElement(By.id("calculate")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("total")));
                assertThat(driver.findElement(By.id("total")).getText()).contains("98.00");
                browser.screenshot("console-18-quote");
                driver.findElement(By.id("hsCode1")).sendKeys("12");
                driver.findElement(By.id("quantity1")).sendKeys("many");
                driver.findElement(By.id("calculate")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("problem")));
                assertThat(driver.findElement(By.id("problem")).getText()).contains("/items/1/quantity");

                // a webhook: the secret shown once, then ended
                driver.get(platform.gateway() + "/declarations/subscriptions?lang=en");
                driver.findElement(By.id("url")).sendKeys("http://127.0.0.1:9/console-test");
                driver.findElement(By.id("event-status")).click();
                driver.findElement(By.id("subscribe")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("secret")));
                assertThat(driver.findElement(By.id("secret")).getText()).startsWith("whsec_");
                browser.screenshot("console-19-webhook-made");
                driver.findElement(By.linkText("http://127.0.0.1:9/console-test")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("end")));
                driver.findElement(By.id("end")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
                assertThat(driver.findElement(By.id("active")).getText()).isEqualTo("ended");
                for (String page : List.of("/declarations/stock", "/declarations/quote", "/declarations/subscriptions")) {
                    driver.get(platform.gateway() + page + "?lang=zh-CN");
                    assertThat(driver.getPageSource()).as(page).doesNotContain("??");
                }
            } catch (RuntimeException | AssertionError e) {
                browser.screenshot("console-failed-enterprise-tools");
                throw e;
            }
        }
    }

    @Test
    void anEnterpriseAppliesForAReturnOnceTheGoodsHaveLeftTheZone() throws Exception {
        ObjectNode declaration = E2EClient.declarationOfANewBuyer();
        String id = client.submit(declaration);
        client.awaitStatus(id, "CLEARED");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> E2EClient.json(
                client.call("GET", "/api/v1/declarations/" + id, "enterprise-a", null)).path("followUps").path("completedAt").isString());
        String waybill = "/api/v1/logistics/waybills/WB" + declaration.get("order").get("orderNo").asString() + "/events";
        for (String status : List.of("PICKED", "LEFT_ZONE")) {
            HttpResponse<String> event = client.call("POST", waybill, "enterprise-a", "{\"status\": \"" + status + "\", \"at\": \""
                    + java.time.OffsetDateTime.now().minusMinutes(1) + "\", \"location\": \"ZZBW01\"}");
            assertThat(event.statusCode()).as(event.body()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> E2EClient.json(
                client.call("GET", "/api/v1/declarations/" + id, "enterprise-a", null)).path("leftZoneAt").isString());
        try (Browser browser = Browser.open()) {
            try {
                WebDriver driver = browser.driver();
                logIn(browser, "enterprise-a");
                driver.get(platform.gateway() + "/declarations/" + id + "?lang=en");
                // gone from the zone: a return, no longer a withdrawal
                assertThat(driver.findElements(By.id("withdraw"))).isEmpty();
                driver.findElement(By.id("qty1")).sendKeys("1");
                driver.findElement(By.id("return-reason")).sendKeys("One tin arrived dented");
                browser.screenshot("console-20-return");
                driver.findElement(By.id("apply-return")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
                assertThat(driver.findElement(By.id("returns")).getText()).contains("#1 × 1").contains("Applied");
                driver.get(platform.gateway() + "/declarations/" + id + "?lang=zh-CN");
                assertThat(driver.getPageSource()).doesNotContain("??");
            } catch (RuntimeException | AssertionError e) {
                browser.screenshot("console-failed-return");
                throw e;
            }
        }
        JsonNode applied = E2EClient.json(client.call("GET", "/api/v1/declarations/" + id, "enterprise-a", null)).get("returns").get(0);
        assertThat(applied.get("reason").asString()).isEqualTo("One tin arrived dented");
        String returnId = applied.get("returnId").asString();
        // customs decides the application (CEB625 → CEB626) from its queue
        try (Browser browser = Browser.open()) {
            try {
                WebDriver driver = browser.driver();
                logIn(browser, "customs-officer");
                WebElement row = new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
                    d.get(platform.gateway() + "/cases?filter=RETURN_REVIEW&lang=en");
                    return d.findElements(By.cssSelector("#cases tr[data-id='" + id + "']")).stream().findFirst().orElse(null);
                });
                row.findElement(By.tagName("a")).click();
                WebElement review = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("return-" + returnId)));
                assertThat(review.findElement(By.className("return-application")).getText()).isEqualTo("One tin arrived dented");
                driver.findElement(By.id("return-reason-" + returnId)).sendKeys("Dent shown on the photographs");
                browser.screenshot("console-21-officer-return");
                review.findElement(By.className("approve-return")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
                assertThat(driver.findElement(By.id("done")).getText()).contains("Return approved");
                assertThat(driver.findElements(By.id("return-" + returnId))).isEmpty();
                assertThat(driver.findElement(By.id("reviews")).getText()).contains("return approved").contains("Dent shown");
                driver.get(driver.getCurrentUrl().replaceAll("\\?.*", "") + "?lang=zh-CN");
                assertThat(driver.getPageSource()).doesNotContain("??");
            } catch (RuntimeException | AssertionError e) {
                browser.screenshot("console-failed-return-review");
                throw e;
            }
        }
        // the goods arrive back: customs checks them from the same queue and accepts them
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> client.call("POST",
                "/api/v1/logistics/returns/" + returnId + "/arrived", "enterprise-a", null).statusCode() == 200);
        try (Browser browser = Browser.open()) {
            try {
                WebDriver driver = browser.driver();
                logIn(browser, "customs-officer");
                WebElement check = new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
                    d.get(platform.gateway() + "/cases/customs/" + id + "?lang=en");
                    return d.findElements(By.cssSelector("#return-" + returnId + " .accept-goods")).isEmpty() ? null
                            : d.findElement(By.id("return-" + returnId));
                });
                assertThat(check.getText()).contains("Returned goods arrived", "original state and fit for resale");
                driver.findElement(By.id("return-reason-" + returnId)).sendKeys("Tin unopened, dent as shown");
                browser.screenshot("console-22-officer-return-check");
                check.findElement(By.className("accept-goods")).click();
                browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
                assertThat(driver.findElement(By.id("done")).getText()).contains("Goods accepted");
                assertThat(driver.findElements(By.id("return-" + returnId))).isEmpty();
                assertThat(driver.findElement(By.id("reviews")).getText()).contains("returned goods accepted").contains("Tin unopened");
                driver.get(driver.getCurrentUrl().replaceAll("\\?.*", "") + "?lang=zh-CN");
                assertThat(driver.getPageSource()).doesNotContain("??").contains("查验接收退货商品");
            } catch (RuntimeException | AssertionError e) {
                browser.screenshot("console-failed-return-check");
                throw e;
            }
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> E2EClient.json(client.call("GET",
                "/api/v1/declarations/" + id + "/returns/" + returnId, "enterprise-a", null)).path("state").asString("").equals("COMPLETED"));
    }

    /** A message no agency can read, published as the window publishes declarations (every agency dead-letters it). */
    private static void publishPoison(String messageId) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(platform.amqpHost());
        factory.setPort(platform.amqpPort());
        factory.setVirtualHost(E2EPlatform.amqpVhost());
        factory.setUsername(Topology.brokerUser("declaration"));
        factory.setPassword(org.singlewindow.infra.embedded.EmbeddedBroker.sandboxPassword(Topology.brokerUser("declaration")));
        try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId(messageId)
                    .userId(Topology.brokerUser("declaration"))
                    .type(Topology.DECLARATION_SUBMITTED).contentType("application/json").deliveryMode(2).build();
            channel.basicPublish(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED, props,
                    "{\"declarationId\": \"not-a-uuid\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The dead letter of this message on the service's queues, once there (dead-lettered after {@code after}, if given). */
    private static JsonNode awaitDeadLetter(String service, String messageId, String after) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (JsonNode queue : E2EClient.json(client.call("GET", "/api/v1/admin/" + service + "/dead-letters?sample=100",
                    "operations-admin", null))) {
                for (JsonNode letter : queue.get("sample")) {
                    if (letter.get("messageId").asString().equals(messageId)
                            && (after == null || !letter.get("deadLetteredAt").asString().equals(after))) {
                        found[0] = letter;
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }

    private static String queueOf(String service, String messageId) throws Exception {
        for (JsonNode queue : E2EClient.json(client.call("GET", "/api/v1/admin/" + service + "/dead-letters?sample=100",
                "operations-admin", null))) {
            for (JsonNode letter : queue.get("sample")) {
                if (letter.get("messageId").asString().equals(messageId)) {
                    return queue.get("queue").asString();
                }
            }
        }
        throw new AssertionError("no dead letter " + messageId + " on " + service);
    }

    /** Logs in on the realm's page (the embedded issuer's or Keycloak's: the same element ids); the console's first page follows. */
    private static void logIn(Browser browser, String user) {
        WebDriver driver = browser.driver();
        driver.get(platform.gateway() + "/");
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys("sandbox-demo");
        driver.findElement(By.id("kc-login")).click();
        browser.waiting().until(ExpectedConditions.textToBe(By.id("who"), user));
    }
}
