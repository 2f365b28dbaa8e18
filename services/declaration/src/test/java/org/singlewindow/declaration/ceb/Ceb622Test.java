package org.singlewindow.declaration.ceb;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class Ceb622Test {

    private static final String BODY = """
            {"guid": "5f0c2a8e-6d8b-4c1e-9a53-2f7d3b1e4a10",
             "order": {"orderNo": "ORD20261128000001", "ebpCode": "4101960001", "ebcCode": "4101960002"},
             "declarant": {"agentCode": "4101960005", "customsCode": "4606"}}""";

    @Test
    void eachReceiptIsAnInventoryReturnWithCustomsElementsInTheirOrderAndChinaStandardTime() throws Exception {
        UUID declarationId = UUID.fromString("0b7e3d4c-1111-4222-8333-944455556666");
        byte[] xml = Ceb622.render(UUID.fromString("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"), Ceb622.Inventory.of(declarationId, BODY), List.of(
                new Ceb622.Return("CUSTOMS", 120, "ACCEPTED", "accepted for review", OffsetDateTime.parse("2026-12-01T02:03:04.005Z")),
                new Ceb622.Return("TAX", 800, "OK", "tax 27.30 <secured> & reserved", OffsetDateTime.parse("2026-12-01T18:00:00+08:00"))));

        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Element root = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.chinaport.gov.cn/ceb");
        assertThat(root.getTagName()).isEqualTo("ceb:CEB622Message");
        assertThat(root.getAttribute("guid")).isEqualTo("AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE");
        assertThat(root.getAttribute("version")).isEqualTo("1.0");
        List<Element> returns = children(root);
        assertThat(returns).extracting(Element::getLocalName).containsExactly("InventoryReturn", "InventoryReturn");
        assertThat(children(returns.get(0))).extracting(e -> e.getLocalName() + "=" + e.getTextContent()).containsExactly(
                "guid=5f0c2a8e-6d8b-4c1e-9a53-2f7d3b1e4a10", "customsCode=4606", "ebpCode=4101960001", "ebcCode=4101960002",
                "agentCode=4101960005", "copNo=ORD20261128000001", "preNo=" + declarationId, "invtNo=", "returnStatus=120",
                "returnTime=20261201100304005", "returnInfo=CUSTOMS ACCEPTED: accepted for review");
        assertThat(children(returns.get(1))).extracting(e -> e.getLocalName() + "=" + e.getTextContent())
                .contains("returnStatus=800", "returnTime=20261201180000000", "returnInfo=TAX OK: tax 27.30 <secured> & reserved");
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
