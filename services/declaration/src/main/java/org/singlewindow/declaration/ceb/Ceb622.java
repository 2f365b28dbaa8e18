package org.singlewindow.declaration.ceb;

import org.singlewindow.contract.Json;
import tools.jackson.databind.JsonNode;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * Receipts as customs' inventory return message, {@code ceb:CEB622Message}: one {@code ceb:InventoryReturn}
 * per receipt, its elements in the message's order — guid, customsCode, ebpCode, ebcCode, agentCode, copNo,
 * preNo, invtNo, returnStatus, returnTime, returnInfo. How the window's data fills them:
 * <ul>
 *     <li>{@code guid}: the inventory list's guid (the declaration's {@code guid}, as filed); {@code customsCode}: the
 *     declarant's customs office; {@code ebpCode}, {@code ebcCode}, {@code agentCode}: the list's parties;</li>
 *     <li>{@code copNo} (the enterprise's own number of the list): the order number; {@code preNo} (the number the
 *     platform gives a list it takes in): the declaration's id; {@code invtNo} (customs' list number, given on
 *     release by the real customs system): empty here;</li>
 *     <li>{@code returnStatus}: the receipt's code (CEB622's where customs has one, the platform's 9xx otherwise);
 *     {@code returnTime}: {@code yyyyMMddHHmmssSSS} in China Standard Time, as customs writes it;
 *     {@code returnInfo}: which agency answered, its reason code and message — every agency's receipts are
 *     given, not only customs's.</li>
 * </ul>
 */
public final class Ceb622 {

    public static final String NAMESPACE = "http://www.chinaport.gov.cn/ceb";
    public static final String VERSION = "1.0";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneId.of("Asia/Shanghai"));
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    /** The list a receipt is about. */
    public record Inventory(String guid, String customsCode, String ebpCode, String ebcCode, String agentCode, String copNo,
                            String preNo, String invtNo) {

        /** From the declaration's id and its body as filed (the contract's JSON). */
        public static Inventory of(UUID declarationId, String body) {
            JsonNode d = Json.mapper().readTree(body);
            return new Inventory(d.path("guid").asString(""), d.path("declarant").path("customsCode").asString(""),
                    d.path("order").path("ebpCode").asString(""), d.path("order").path("ebcCode").asString(""),
                    d.path("declarant").path("agentCode").asString(""), d.path("order").path("orderNo").asString(""),
                    declarationId.toString(), "");
        }
    }

    /** One receipt. */
    public record Return(String agency, int statusCode, String reasonCode, String message, OffsetDateTime decidedAt) {
    }

    private Ceb622() {
    }

    /** The message, UTF-8, with its own guid. */
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
                element(xml, "returnTime", TIME.format(r.decidedAt()));
                element(xml, "returnInfo", r.agency() + " " + r.reasonCode() + ": " + r.message());
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
