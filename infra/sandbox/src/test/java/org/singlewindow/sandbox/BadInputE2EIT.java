package org.singlewindow.sandbox;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Samples;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input through the gateway, generated: for every public endpoint, requests with malformed JSON,
 * wrong types, missing and extra fields, oversize strings and arrays, negative, zero, NaN and huge
 * amounts, invalid HS codes and ID numbers, odd Unicode, injection strings, wrong content types and
 * wrong methods. The property: every one is answered 4xx {@code application/problem+json}, none 5xx,
 * and nothing is stored (the enterprise's declarations, the stock and the guarantee are unchanged).
 * The generator is seeded (fixed by default so CI is repeatable; {@code -Dsw.badinput.seed=N} explores
 * further) and the seed is printed, so any failure can be replayed.
 */
class BadInputE2EIT {

    private static final String[] ODD = {"", " ", "\u0000", "\u202Eevil", "\u200B\u200B", "😀🚢📦", "Ω≈ç√∫", "\uD800",
            "'; drop table declaration; --", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "../../etc/passwd", "%00",
            "NaN", "Infinity", "-1", "1e400", "0x1F", "null", "true", "[]", "{}"};
    private static final String[] AMOUNTS = {"-1", "-0.01", "1e400", "\"NaN\"", "\"Infinity\"", "1.234567", "99999999999999999999",
            "\"12,50\"", "null", "true", "[]"};

    private static Platform platform;
    private static E2EClient client;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        E2EPlatform.onlyInTheEmbeddedPass();
        platform = E2EPlatform.get();
        client = new E2EClient(platform);
    }

    private record Call(String label, String method, String path, String user, String contentType, String body) {
    }

    /** One mutation that makes the sample declaration invalid, with what it did. */
    private static Call badDeclaration(Random random) {
        ObjectNode d = Samples.declaration();
        ObjectNode order = (ObjectNode) d.get("order");
        ObjectNode item = (ObjectNode) d.get("items").get(0);
        String what;
        String body = null;
        switch (random.nextInt(14)) {
            case 0 -> {
                String json = Json.mapper().writeValueAsString(d);
                body = json.substring(0, 1 + random.nextInt(json.length() - 1));
                what = "truncated JSON";
            }
            case 1 -> {
                List<String> required = List.of("guid", "appType", "declarationType", "order", "items", "payment", "logistics", "declarant");
                String field = required.get(random.nextInt(required.size()));
                d.remove(field);
                what = "missing " + field;
            }
            case 2 -> {
                List<String> required = List.of("orderNo", "ebpCode", "goodsValue", "actualPaid", "currency", "buyer", "consignee");
                String field = required.get(random.nextInt(required.size()));
                order.remove(field);
                what = "missing order." + field;
            }
            case 3 -> {
                d.put("unexpected" + random.nextInt(1000), ODD[random.nextInt(ODD.length)]);
                what = "extra field";
            }
            case 4 -> {
                String field = List.of("goodsValue", "freight", "taxTotal", "actualPaid", "discount").get(random.nextInt(5));
                String json = Json.mapper().writeValueAsString(d)
                        .replaceFirst("\"" + field + "\":[0-9.]+", "\"" + field + "\":" + AMOUNTS[random.nextInt(AMOUNTS.length)]);
                body = json;
                what = "amount " + field;
            }
            case 5 -> {
                item.put("hsCode", List.of("", "12345", "ABCDEFGHIJ", "19011010000", "1901 10100", "１９０１１０１０００").get(random.nextInt(6)));
                what = "HS code";
            }
            case 6 -> {
                ((ObjectNode) order.get("buyer")).put("idNumber", List.of("123", "11010519491231002Y", "110105194912310021",
                        "ABCDEFGHIJKLMNOPQR", "").get(random.nextInt(5)));
                what = "ID number";
            }
            case 7 -> {
                order.put("orderNo", "X".repeat(70_000 + random.nextInt(10_000)));
                what = "oversize string";
            }
            case 8 -> {
                ArrayNode items = (ArrayNode) d.get("items");
                for (int i = 0; i < 2_000; i++) {
                    items.add(item.deepCopy());
                }
                what = "oversize array";
            }
            case 9 -> {
                d.put("items", ODD[random.nextInt(ODD.length)]);
                what = "wrong type for items";
            }
            case 10 -> {
                order.put("currency", ODD[random.nextInt(ODD.length)]);
                what = "odd currency";
            }
            case 11 -> {
                item.put("quantity", List.of(-1, 0).get(random.nextInt(2)));
                what = "quantity not positive";
            }
            case 12 -> {
                d.put("appType", ODD[random.nextInt(ODD.length)]);
                what = "odd appType";
            }
            default -> {
                body = ODD[random.nextInt(ODD.length)];
                what = "not a declaration at all";
            }
        }
        return new Call("declaration: " + what, "POST", "/api/v1/declarations", "enterprise-a", "application/json",
                body != null ? body : Json.mapper().writeValueAsString(d));
    }

    private static String odd(Random random) {
        return ODD[random.nextInt(ODD.length)];
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Every other public endpoint, each with a generated bad request. */
    private static List<Supplier<Call>> others(Random random, String ownId) {
        return List.of(
                () -> new Call("list: bad filter", "GET", "/api/v1/declarations?" + List.of("status=", "page=", "size=", "from=")
                        .get(random.nextInt(4)) + q(odd(random) + "x"), "enterprise-a", null, null),
                () -> new Call("get: bad id", "GET", "/api/v1/declarations/" + q(odd(random) + "x"), "enterprise-a", null, null),
                () -> new Call("cancel: bad body", "POST", "/api/v1/declarations/" + ownId + "x/cancellation", "enterprise-a",
                        "application/json", "{\"reason\": " + AMOUNTS[random.nextInt(AMOUNTS.length)] + "}"),
                () -> new Call("amend: bad body", "PUT", "/api/v1/declarations/" + ownId, "enterprise-a", "application/json",
                        List.of("{\"appType\": \"CHANGE\"}", "[]", "{", "{\"appType\": \"" + q(odd(random)) + "\"}")
                                .get(random.nextInt(4))),
                () -> new Call("withdraw: bad reason", "POST", "/api/v1/declarations/" + ownId + "/withdrawal", "enterprise-a",
                        "application/json", "{\"reason\": " + List.of("\"\"", "\"   \"", "null", "\"" + "x".repeat(501) + "\"",
                        "[]", "{}").get(random.nextInt(6)) + "}"),
                () -> new Call("return: bad lines", "POST", "/api/v1/declarations/" + ownId + "/returns", "enterprise-a",
                        "application/json", "{\"reason\": \"damaged\", \"lines\": " + List.of("[]", "null", "[{}]",
                        "[{\"gnum\": 1, \"quantity\": " + AMOUNTS[random.nextInt(6)] + "}]",
                        "[{\"gnum\": 1, \"quantity\": 1}, {\"gnum\": 1, \"quantity\": 1}]",
                        "[{\"gnum\": \"" + q(odd(random)) + "x\", \"quantity\": 1}]").get(random.nextInt(6)) + "}"),
                () -> new Call("tax statement: bad payment", "POST", "/api/v1/admin/tax/tax-statements/"
                        + List.of("TS2026120100000000", "TS" + q(odd(random)), "x").get(random.nextInt(3)) + "/payment", "admin",
                        "application/json", "{\"reference\": " + List.of("\"\"", "null", "[]", "\"" + "r".repeat(101) + "\"")
                        .get(random.nextInt(4)) + "}"),
                () -> new Call("quote: bad items", "POST", "/api/v1/tax/quotes", "enterprise-a", "application/json",
                        "{\"items\": [{\"hsCode\": \"" + q(odd(random)) + "\", \"quantity\": " + AMOUNTS[random.nextInt(AMOUNTS.length)]
                                + ", \"unit\": \"007\", \"unitPrice\": " + AMOUNTS[random.nextInt(AMOUNTS.length)] + "}]}"),
                () -> new Call("stock-in: bad line", "POST", "/api/v1/logistics/stock-ins", "enterprise-a", "application/json",
                        "{\"warehouseCode\": \"ZZBW01\", \"items\": [{\"itemRecordNo\": \"" + q(odd(random)) + "!\", \"quantity\": "
                                + AMOUNTS[random.nextInt(AMOUNTS.length)] + ", \"batchNo\": \"B1\"}]}"),
                () -> new Call("stock: bad warehouse", "GET", "/api/v1/logistics/stock?warehouseCode=" + q(odd(random) + "!"),
                        "enterprise-a", null, null),
                () -> new Call("waybill event: bad status", "POST", "/api/v1/logistics/waybills/WB" + ownId + "/events", "enterprise-a",
                        "application/json", "{\"status\": \"" + q(odd(random)) + "\", \"at\": \"" + q(odd(random)) + "\"}"),
                () -> new Call("back-office: bad filter", "GET", "/api/v1/inspection/declarations?" + List.of("status=", "page=",
                        "size=", "receivedFrom=").get(random.nextInt(4)) + q(odd(random) + "x"), "inspection-officer", null, null),
                () -> new Call("review: bad decision", "POST", "/api/v1/customs/declarations/" + ownId + "/review", "customs-officer",
                        "application/json", "{\"decision\": \"" + q(odd(random)) + "\", \"reason\": " + AMOUNTS[random.nextInt(AMOUNTS.length)] + "}"),
                () -> new Call("reference: bad document", "PUT", "/api/v1/admin/inspection/reference/inspection-rules", "admin",
                        "application/json", "{\"kind\": \"inspection-rules\", \"samplingRate\": " + AMOUNTS[random.nextInt(AMOUNTS.length)] + "}"),
                () -> new Call("deposit: bad amount", "POST", "/api/v1/admin/tax/guarantee-accounts/4101960002/deposits", "admin",
                        "application/json", "{\"amount\": " + AMOUNTS[random.nextInt(AMOUNTS.length)] + "}"),
                () -> new Call("subscription: bad body", "POST", "/api/v1/subscriptions", "enterprise-a", "application/json",
                        List.of("{\"url\": " + Json.mapper().writeValueAsString(odd(random)) + ", \"events\": [\"status\"]}",
                                "{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [" + Json.mapper().writeValueAsString(odd(random)) + "]}",
                                "{\"url\": \"http://169.254.169.254/\", \"events\": [\"status\"]}",
                                "{\"url\": 5, \"events\": \"status\"}", "{\"url\": ").get(random.nextInt(5))),
                () -> new Call("subscription replay: bad time", "POST", "/api/v1/subscriptions/" + UUID.randomUUID() + "/replay",
                        "enterprise-a", "application/json", "{\"since\": " + Json.mapper().writeValueAsString(odd(random)) + "}"),
                () -> new Call("ceb message: bad xml", "POST", "/api/v1/ceb/messages", "enterprise-a", "application/xml",
                        List.of("<ceb:CEB621Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"><ceb:Inventory><ceb:InventoryHead><ceb:guid>"
                                        + xml(odd(random)) + "</ceb:guid></ceb:InventoryHead></ceb:Inventory></ceb:CEB621Message>",
                                "<ceb:CEB311Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"><ceb:Order><ceb:" + odd(random).replaceAll("[^A-Za-z]", "")
                                        + "x/></ceb:Order></ceb:CEB311Message>",
                                "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e SYSTEM \"" + xml(odd(random)) + "\">]><a>&e;</a>",
                                odd(random), "<" + odd(random) + ">").get(random.nextInt(5))),
                () -> new Call("wrong content type", "POST", List.of("/api/v1/declarations", "/api/v1/tax/quotes",
                        "/api/v1/logistics/stock-ins").get(random.nextInt(3)), "enterprise-a",
                        List.of("text/plain", "application/xml", "application/x-www-form-urlencoded").get(random.nextInt(3)), "<a>1</a>"),
                () -> new Call("wrong method", List.of("PUT", "PATCH", "DELETE").get(random.nextInt(3)), List.of("/api/v1/declarations",
                        "/api/v1/tax/quotes", "/api/v1/logistics/stock-ins").get(random.nextInt(3)), "enterprise-a", "application/json", "{}"));
    }

    private HttpResponse<String> send(Call call) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.gateway() + call.path())).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + E2EPlatform.tokens().fresh(call.user()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
        if (call.contentType() != null) {
            request.header("Content-Type", call.contentType());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long declarationsOfA() throws Exception {
        return E2EClient.json(client.call("GET", "/api/v1/declarations?size=1", "enterprise-a", null)).get("total").asLong();
    }

    private String stockAndGuarantee() throws Exception {
        return client.call("GET", "/api/v1/logistics/stock?warehouseCode=ZZBW01", "logistics-officer", null).body()
                + client.call("GET", "/api/v1/admin/tax/guarantee-accounts/4101960002", "admin", null).body().replaceAll(",\"recentMovements\".*", "");
    }

    @Test
    void everyBadRequestToEveryPublicEndpointIsA4xxProblemAndNothingIsStored() throws Exception {
        long seed = Long.getLong("sw.badinput.seed", 20261129L);
        System.out.println("BadInputE2EIT seed " + seed + " (replay with -Dsw.badinput.seed=" + seed + ")");
        Random random = new Random(seed);
        String ownId = client.submit(Samples.declaration());
        client.awaitStatus(ownId, "CLEARED");
        long declarations = declarationsOfA();
        String ledgers = stockAndGuarantee();

        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        List<Supplier<Call>> others = others(random, ownId);
        int sent = 0;
        for (int i = 0; i < 1_100; i++) {
            Call call = i % 2 == 0 ? badDeclaration(random) : others.get(random.nextInt(others.size())).get();
            HttpResponse<String> response = send(call);
            sent++;
            statuses.merge(response.statusCode(), 1, Integer::sum);
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (response.statusCode() < 400 || response.statusCode() >= 500 || !type.startsWith("application/problem+json")) {
                failures.add(call.label() + " " + call.method() + " " + call.path().substring(0, Math.min(120, call.path().length()))
                        + " -> " + response.statusCode() + " " + type + " " + response.body().substring(0, Math.min(300, response.body().length())));
            }
        }
        System.out.println("BadInputE2EIT answers by status: " + statuses);
        assertThat(failures).as("requests not answered with a 4xx problem (seed " + seed + ")").isEmpty();
        assertThat(sent).isGreaterThanOrEqualTo(1_000);
        assertThat(declarationsOfA()).as("nothing stored").isEqualTo(declarations);
        assertThat(stockAndGuarantee()).as("no ledger touched").isEqualTo(ledgers);
    }

    /** Text made safe for an XML element or attribute. */
    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
