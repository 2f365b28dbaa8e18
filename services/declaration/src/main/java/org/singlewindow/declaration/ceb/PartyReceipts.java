package org.singlewindow.declaration.ceb;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Each party's own receipt for its own document, as customs answers it: {@code CEB312Message} (an
 * {@code OrderReturn}: guid, ebpCode, ebcCode, orderNo) for an order, {@code CEB412Message} ({@code PaymentReturn}:
 * guid, payCode, payTransactionId) for a payment, {@code CEB512Message} ({@code LogisticsReturn}: guid,
 * logisticsCode, logisticsNo) for a waybill, each followed by returnStatus, returnTime ({@code yyyyMMddHHmmssSSS},
 * China Standard Time) and returnInfo. {@code 120} (海关入库) when the document was taken in — waiting for its
 * order's other documents or filed with them; {@code 100} (海关退单) with what was found wrong when it does not
 * fit them. The list's own status is its CEB622 ({@link Ceb622}).
 */
final class PartyReceipts {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneId.of("Asia/Shanghai"));
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    private PartyReceipts() {
    }

    /** The receipt message for one document, its identifying elements in the standard's order. */
    static byte[] render(CebXml.Kind kind, UUID messageGuid, Map<String, String> identity, int returnStatus, OffsetDateTime at,
                         String info) {
        String root = switch (kind) {
            case CEB311 -> "CEB312Message";
            case CEB411 -> "CEB412Message";
            case CEB511 -> "CEB512Message";
            case CEB621 -> throw new IllegalArgumentException("a list's receipts are CEB622");
        };
        String block = switch (kind) {
            case CEB311 -> "OrderReturn";
            case CEB411 -> "PaymentReturn";
            default -> "LogisticsReturn";
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try {
            XMLStreamWriter xml = OUTPUT.createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
            xml.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
            xml.setPrefix("ceb", Ceb622.NAMESPACE);
            xml.writeStartElement("ceb", root, Ceb622.NAMESPACE);
            xml.writeNamespace("ceb", Ceb622.NAMESPACE);
            xml.writeAttribute("guid", messageGuid.toString().toUpperCase(java.util.Locale.ROOT));
            xml.writeAttribute("version", Ceb622.VERSION);
            xml.writeStartElement("ceb", block, Ceb622.NAMESPACE);
            Map<String, String> elements = new LinkedHashMap<>(identity);
            elements.put("returnStatus", Integer.toString(returnStatus));
            elements.put("returnTime", TIME.format(at));
            elements.put("returnInfo", info);
            for (var e : elements.entrySet()) {
                xml.writeStartElement("ceb", e.getKey(), Ceb622.NAMESPACE);
                xml.writeCharacters(e.getValue() == null ? "" : e.getValue());
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("could not write a " + root, e);
        }
        return out.toByteArray();
    }
}
