package org.singlewindow.declaration.ceb;

import org.junit.jupiter.api.Test;
import org.singlewindow.declaration.query.DeclarationView;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class Ceb622Test {

    private static final String BODY = """
            {"guid": "5f0c2a8e-6d8b-4c1e-9a53-2f7d3b1e4a10",
             "order": {"orderNo": "ORD20261128000001", "ebpCode": "4101960001", "ebcCode": "4101960002"},
             "declarant": {"agentCode": "4101960005", "customsCode": "4606"}}""";
    private static final UUID ID = UUID.fromString("0b7e3d4c-1111-4222-8333-944455556666");
    private static final OffsetDateTime FILED = OffsetDateTime.parse("2026-12-01T02:03:04.005Z");

    /** A list customs held for review and then released, which every other agency released at once. */
    @Test
    void aListHeldByCustomsIsAt300WhateverTheOthersSaidAndThenReviewedAndReleased() throws Exception {
        List<DeclarationView.ReceiptView> receipts = new ArrayList<>();
        for (String agency : List.of("CUSTOMS", "INSPECTION", "TAX", "FOREX", "LOGISTICS")) {
            receipts.add(receipt(agency, "ACKNOWLEDGEMENT", 120, "RECEIVED", "received", 1));
        }
        receipts.add(receipt("CUSTOMS", "DECISION", 300, "R_HIGH_VALUE", "an order close to the single-transaction limit", 2));
        for (String agency : List.of("INSPECTION", "TAX", "FOREX", "LOGISTICS")) {
            receipts.add(receipt(agency, "DECISION", 800, "OK", "released", 2));
        }
        receipts.add(receipt("CUSTOMS", "DECISION", 800, "OK", "released by an officer", 60));
        receipts.add(receipt("TAX", "SETTLEMENT", 901, "TAX_BILLED", "billed", 61));
        DeclarationView cleared = view("CLEARED", FILED.plusSeconds(60), receipts,
                List.of(new DeclarationView.CebMessage("CEB621", "CEB621_ZZBW_20261201100304_0001", "4101960005", FILED, "h", null, null)));

        List<Ceb622.Return> statuses = Ceb622.statuses(cleared);
        assertThat(statuses).extracting(Ceb622.Return::statusCode).containsExactly(2, 120, 300, 399, 800);
        assertThat(statuses.get(2).info()).isEqualTo("人工审核 [CUSTOMS R_HIGH_VALUE] an order close to the single-transaction limit");

        byte[] xml = Ceb622.render(UUID.fromString("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"),
                Ceb622.Inventory.of(cleared, Optional.of("COP-0001")), statuses);
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Element root = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.chinaport.gov.cn/ceb");
        assertThat(root.getTagName()).isEqualTo("ceb:CEB622Message");
        assertThat(root.getAttribute("guid")).isEqualTo("AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE");
        assertThat(root.getAttribute("version")).isEqualTo("1.0");
        List<Element> returns = children(root);
        assertThat(returns).hasSize(5).extracting(Element::getLocalName).containsOnly("InventoryReturn");
        // the list as the CEB621 filed it (guid exactly, its own copNo), the customs numbers, China Standard Time
        assertThat(children(returns.get(1))).extracting(e -> e.getLocalName() + "=" + e.getTextContent()).containsExactly(
                "guid=CEB621_ZZBW_20261201100304_0001", "customsCode=4606", "ebpCode=4101960001", "ebcCode=4101960002",
                "agentCode=4101960005", "copNo=COP-0001", "preNo=B20261201000000042", "invtNo=46062026I000000042",
                "returnStatus=120", "returnTime=20261201100305005", "returnInfo=海关入库: 逻辑校验通过");
        // no platform code (9xx) and no agency's own release inside
        assertThat(new String(xml, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("901").doesNotContain("TAX OK");
    }

    @Test
    void aRejectedListIsReturnedWithEveryAgencysReasonAndAListFiledAsJsonKeepsItsOwnNumbers() {
        List<DeclarationView.ReceiptView> receipts = List.of(
                receipt("CUSTOMS", "ACKNOWLEDGEMENT", 120, "RECEIVED", "received", 1),
                receipt("TAX", "DECISION", 100, "TAX_ANNUAL_LIMIT", "past the annual limit", 2),
                receipt("FOREX", "DECISION", 100, "FX_AMOUNT_MISMATCH", "the payment does not match", 2),
                receipt("CUSTOMS", "DECISION", 800, "OK", "released", 2));
        DeclarationView rejected = view("REJECTED", FILED.plusSeconds(2), receipts, List.of());
        List<Ceb622.Return> statuses = Ceb622.statuses(rejected);
        assertThat(statuses).extracting(Ceb622.Return::statusCode).containsExactly(2, 120, 100);
        assertThat(statuses.get(2).info()).isEqualTo("海关退单 [TAX TAX_ANNUAL_LIMIT] past the annual limit; "
                + "[FOREX FX_AMOUNT_MISMATCH] the payment does not match");
        Ceb622.Inventory inventory = Ceb622.Inventory.of(rejected, Optional.empty());
        assertThat(inventory.guid()).isEqualTo("5f0c2a8e-6d8b-4c1e-9a53-2f7d3b1e4a10");
        assertThat(inventory.copNo()).isEqualTo("ORD20261128000001");
    }

    private static DeclarationView.ReceiptView receipt(String agency, String kind, int code, String reason, String message, int second) {
        return new DeclarationView.ReceiptView(UUID.randomUUID(), agency, kind, kind, code, reason, message, FILED.plusSeconds(second),
                FILED.plusSeconds(second), null, 1);
    }

    private static DeclarationView view(String status, OffsetDateTime finalAt, List<DeclarationView.ReceiptView> receipts,
                                        List<DeclarationView.CebMessage> messages) {
        return new DeclarationView(ID, UUID.fromString("5f0c2a8e-6d8b-4c1e-9a53-2f7d3b1e4a10"), "4101960005", "BONDED_IMPORT_1210",
                "4101960001", "ORD20261128000001", "B20261201000000042", "46062026I000000042", status, FILED, finalAt, finalAt,
                List.of(), receipts, new DeclarationView.FollowUps(status, finalAt, List.of(), null), null, null, null, List.of(), 1,
                List.of(), messages, List.of(), BODY);
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                assertThat(e.getNamespaceURI()).isEqualTo("http://www.chinaport.gov.cn/ceb");
                out.add(e);
            }
        }
        return out;
    }
}
