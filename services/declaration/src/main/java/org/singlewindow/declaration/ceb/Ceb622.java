package org.singlewindow.declaration.ceb;

import org.singlewindow.contract.Json;
import org.singlewindow.declaration.query.DeclarationView;
import tools.jackson.databind.JsonNode;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A list's status as customs reports it, {@code ceb:CEB622Message}: one {@code ceb:InventoryReturn} per status the
 * list went through, its elements in the message's order — guid, customsCode, ebpCode, ebcCode, agentCode, copNo,
 * preNo, invtNo, returnStatus, returnTime, returnInfo. The statuses are customs' own codes (the CEB622
 * {@code returnStatus} list of customs' message standard for cross-border e-commerce):
 * <table>
 *     <tr><td>2</td><td>电子口岸申报中</td><td>the list was filed at the window</td></tr>
 *     <tr><td>120</td><td>海关入库 (逻辑校验通过)</td><td>customs took it in: its logic checks passed (customs' acknowledgement)</td></tr>
 *     <tr><td>300</td><td>人工审核</td><td>an officer (of any agency) reviews it</td></tr>
 *     <tr><td>500</td><td>查验</td><td>it is held for inspection (customs or inspection and quarantine)</td></tr>
 *     <tr><td>399</td><td>海关审结</td><td>every agency's review concluded in its favour</td></tr>
 *     <tr><td>800</td><td>放行</td><td>released</td></tr>
 *     <tr><td>899</td><td>结关</td><td>clearance complete: the tax period is over and its tax paid</td></tr>
 *     <tr><td>100</td><td>海关退单</td><td>returned (rejected), with every agency's reason</td></tr>
 * </table>
 * The agencies' other answers (each one's own release, the platform's 9xx settlements, withdrawals, returns,
 * movements) are folded into these and do not appear: a list customs holds at 300 is at 300, whatever the
 * others said. How the window's data fills the list's fields: {@code guid} and {@code copNo} as the CEB621 gave
 * them (for a list filed as JSON: the declaration's guid and the order number); {@code preNo} the 18-character
 * pre-entry number and {@code invtNo} the 18-character list number, both given when the window took the list
 * in; {@code returnTime} {@code yyyyMMddHHmmssSSS} in China Standard Time, as customs writes it.
 */
public final class Ceb622 {

    public static final String NAMESPACE = "http://www.chinaport.gov.cn/ceb";
    public static final String VERSION = "1.0";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneId.of("Asia/Shanghai"));
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();
    private static final Map<Integer, String> WORDS = Map.of(2, "电子口岸申报中", 120, "海关入库: 逻辑校验通过", 300, "人工审核",
            500, "查验", 399, "海关审结", 800, "放行", 899, "结关", 100, "海关退单");

    /** The list a return is about. */
    public record Inventory(String guid, String customsCode, String ebpCode, String ebcCode, String agentCode, String copNo,
                            String preNo, String invtNo) {

        /** From the declaration as the window shows it, with the CEB621's own number of the list if it was filed in XML. */
        public static Inventory of(DeclarationView view, Optional<String> copNo) {
            JsonNode d = Json.mapper().readTree(view.declaration());
            // the latest list: an amendment in XML (appType 2) is a new one
            String guid = view.messages().stream().filter(m -> m.kind().equals("CEB621")).map(DeclarationView.CebMessage::guid)
                    .reduce((first, later) -> later).orElse(String.valueOf(view.guid()));
            return new Inventory(guid, d.path("declarant").path("customsCode").asString(""),
                    d.path("order").path("ebpCode").asString(""), d.path("order").path("ebcCode").asString(""),
                    d.path("declarant").path("agentCode").asString(""), copNo.orElse(view.orderNo()),
                    Objects.toString(view.preNo(), ""), Objects.toString(view.invtNo(), ""));
        }
    }

    /** One status of the list, with what customs says of it. */
    public record Return(int statusCode, OffsetDateTime at, String info) {

        /** The status in customs' words, and the agency's reason where one gave it. */
        public static Return of(int statusCode, OffsetDateTime at, String agency, String reasonCode, String message) {
            String words = WORDS.getOrDefault(statusCode, "");
            return new Return(statusCode, at, agency == null ? words : words + " [" + agency + " " + reasonCode + "] " + message);
        }
    }

    /**
     * The statuses the list went through, as customs reports them, from the declaration as the window shows it:
     * for its current version (an amendment starts the list again, at 2).
     */
    public static List<Return> statuses(DeclarationView view) {
        List<Return> returns = new ArrayList<>();
        OffsetDateTime filed = view.versions().stream().filter(v -> v.version() == view.version())
                .map(DeclarationView.VersionView::changedAt).findFirst().orElse(view.submittedAt());
        returns.add(Return.of(2, filed, null, null, null));
        List<DeclarationView.ReceiptView> current = view.receipts().stream().filter(r -> r.version() == view.version())
                .sorted(Comparator.comparing(DeclarationView.ReceiptView::decidedAt)).toList();
        for (DeclarationView.ReceiptView r : current) {
            if (r.kind().equals("ACKNOWLEDGEMENT") && r.agency().equals("CUSTOMS")) {
                returns.add(Return.of(120, r.decidedAt(), null, null, null));
            } else if (r.kind().equals("DECISION") && (r.statusCode() == 300 || r.statusCode() == 500)) {
                returns.add(Return.of(r.statusCode(), r.decidedAt(), r.agency(), r.reasonCode(), r.message()));
            }
        }
        String outcome = view.followUps() != null ? view.followUps().outcome() : view.status();
        OffsetDateTime at = view.finalAt() != null ? view.finalAt() : view.updatedAt();
        if ("CLEARED".equals(outcome)) {
            returns.add(Return.of(399, at, null, null, null));
            returns.add(Return.of(800, at, null, null, null));
        } else if ("REJECTED".equals(outcome)) {
            String reasons = current.stream().filter(r -> r.kind().equals("DECISION") && r.statusCode() == 100)
                    .map(r -> "[" + r.agency() + " " + r.reasonCode() + "] " + r.message()).collect(Collectors.joining("; "));
            returns.add(new Return(100, at, WORDS.get(100) + (reasons.isEmpty() ? "" : " " + reasons)));
        }
        if (view.clearanceCompletedAt() != null) {
            returns.add(Return.of(899, view.clearanceCompletedAt(), null, null, null));
        }
        return returns;
    }

    private Ceb622() {
    }

    /** The message, UTF-8, with its own guid: one return per status. */
    public static byte[] render(UUID messageGuid, Inventory inventory, List<Return> returns) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 + 400 * returns.size());
        try {
            XMLStreamWriter xml = OUTPUT.createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
            xml.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
            xml.setPrefix("ceb", NAMESPACE);
            xml.writeStartElement("ceb", "CEB622Message", NAMESPACE);
            xml.writeNamespace("ceb", NAMESPACE);
            xml.writeAttribute("guid", messageGuid.toString().toUpperCase(java.util.Locale.ROOT));
            xml.writeAttribute("version", VERSION);
            for (Return r : returns) {
                xml.writeStartElement("ceb", "InventoryReturn", NAMESPACE);
                element(xml, "guid", inventory.guid());
                element(xml, "customsCode", inventory.customsCode());
                element(xml, "ebpCode", inventory.ebpCode());
                element(xml, "ebcCode", inventory.ebcCode());
                element(xml, "agentCode", inventory.agentCode());
                element(xml, "copNo", inventory.copNo());
                element(xml, "preNo", inventory.preNo());
                element(xml, "invtNo", inventory.invtNo());
                element(xml, "returnStatus", Integer.toString(r.statusCode()));
                element(xml, "returnTime", TIME.format(r.at()));
                element(xml, "returnInfo", r.info());
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("could not write a CEB622 message", e);
        }
        return out.toByteArray();
    }

    private static void element(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeStartElement("ceb", name, NAMESPACE);
        xml.writeCharacters(value == null ? "" : value);
        xml.writeEndElement();
    }
}
