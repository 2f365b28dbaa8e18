package org.singlewindow.sandbox;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.ResidentId;
import org.singlewindow.contract.Samples;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No service writes personal data to its log (the security review's finding 8): a declaration with a
 * person's ID number, name, telephone and address goes through every agency — accepted, then a second
 * one refused by the rules (the paths that describe what they refuse) — and no log line of any service
 * holds any of them; nor does any agency's copy of the declarations (its rules read them once, it keeps
 * them minimised: {@code PersonalData}).
 */
class PersonalDataE2EIT {

    private static Platform platform;
    private static E2EClient client;

    @BeforeAll
    static void start() {
        platform = E2EPlatform.get();
        client = new E2EClient(platform);
    }

    @Test
    void noLogHoldsTheIdNumberNameTelephoneOrAddressOfAPerson() throws Exception {
        String idNumber = ResidentId.random();
        String name = "Ouyang Xiuying";
        String telephone = "139" + String.valueOf(System.nanoTime() % 100_000_000L + 100_000_000L).substring(1);
        String address = "Room " + UUID.randomUUID().toString().substring(0, 8) + ", 9 Nongye Road, Zhengzhou";

        ObjectNode cleared = person(Samples.declaration(), idNumber, name, telephone, address);
        JsonNode first = client.awaitFinal(client.submit(cleared));
        assertThat(first.path("status").asString()).as(first.toString()).isEqualTo("CLEARED");
        // the same order again with another tax total: refused by tax, with a message about the person's order
        ObjectNode refused = person(Samples.declaration(), idNumber, name, telephone, address);
        ((ObjectNode) refused.get("order")).put("taxTotal", new BigDecimal("1.00"));
        JsonNode second = client.awaitFinal(client.submit(refused));
        assertThat(second.path("status").asString()).as(second.toString()).isEqualTo("REJECTED");
        // and one the window refuses at the door (a wrong check digit)
        ObjectNode invalid = person(Samples.declaration(), idNumber.substring(0, 17) + (idNumber.endsWith("0") ? "1" : "0"),
                name, telephone, address);
        var atTheDoor = client.call("POST", "/api/v1/declarations", "enterprise-a", Json.mapper().writeValueAsString(invalid));
        assertThat(atTheDoor.statusCode()).as(atTheDoor.body()).isEqualTo(400);

        List<String> found = new ArrayList<>();
        try (Stream<Path> logs = Files.list(platform.logDir())) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                for (String personal : List.of(idNumber, name, telephone, address)) {
                    if (text.contains(personal)) {
                        found.add(log.getFileName() + " holds " + personal);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the service logs", e);
        }
        assertThat(found).as("personal data in the service logs").isEmpty();

        // each agency's copy of the declarations: no name, telephone, address or ID number in clear
        List<String> kept = new ArrayList<>();
        try (var connection = java.sql.DriverManager.getConnection(platform.jdbcUrl(), "postgres", "");
             var sql = connection.createStatement()) {
            for (String agency : List.of("customs", "inspection", "tax", "forex", "logistics")) {
                try (var rs = sql.executeQuery("select payload::text from " + agency + ".received_declaration where order_no in ('"
                        + cleared.at("/order/orderNo").asString() + "', '" + refused.at("/order/orderNo").asString() + "')")) {
                    int copies = 0;
                    while (rs.next()) {
                        copies++;
                        for (String personal : List.of(idNumber, name, telephone, address)) {
                            if (rs.getString(1) != null && rs.getString(1).contains(personal)) {
                                kept.add(agency + "'s copy holds " + personal);
                            }
                        }
                    }
                    assertThat(copies).as(agency + " keeps a copy of both").isEqualTo(2);
                }
            }
        }
        assertThat(kept).as("personal data in the agencies' copies").isEmpty();
    }

    private static ObjectNode person(ObjectNode declaration, String idNumber, String name, String telephone, String address) {
        ObjectNode order = (ObjectNode) declaration.get("order");
        order.put("orderNo", "PD-" + UUID.randomUUID().toString().substring(0, 12));
        ((ObjectNode) order.get("buyer")).put("idNumber", idNumber).put("name", name).put("telephone", telephone);
        ((ObjectNode) declaration.get("payment")).put("payerIdNumber", idNumber).put("payerName", name)
                .put("payTransactionId", "PAY" + UUID.randomUUID().toString().substring(0, 12));
        ObjectNode logistics = (ObjectNode) declaration.get("logistics");
        logistics.put("logisticsNo", "WB" + UUID.randomUUID().toString().substring(0, 16));
        ((ObjectNode) logistics.get("consignee")).put("name", name).put("telephone", telephone).put("address", address);
        ((ObjectNode) order.get("consignee")).put("name", name).put("telephone", telephone).put("address", address);
        return declaration;
    }
}
