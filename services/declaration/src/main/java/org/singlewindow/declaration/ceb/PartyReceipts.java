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
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Each party's own receipt for its own document, as customs answers it: {@code CEB312Message} (an
 * {@code OrderReturn}: guid, ebpCode, ebcCode, orderNo) for an order, {@code CEB412Message} ({@code PaymentReturn}:
 * guid, payCode, payTransactionId) for a payment, {@code CEB512Message} ({@code LogisticsReturn}: guid,
 * logisticsCode, logisticsNo) for a waybill, each followed by returnStatus, returnTime ({@code yyyyMMddHHmmssSSS},
 * China Standard Time) and returnInfo. {@code 120} (海关入库) when the document was taken in — waiting for its
 * order's other documents or filed with them; {@code 100} (海关退单) with what was found wrong when it does not
 * fit them. The list's own status is its CEB622 ({@link Ceb622}); the answer to a message sent by a caller that
 * asks for XML is one of these (or a {@code CEB622Message} of {@code InventoryReturn}s for lists) with a block per
 * document ({@link #render(CebXml.Kind, UUID, List, OffsetDateTime)}).
 */
final class PartyReceipts {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneId.of("Asia/Shanghai"));
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    /** One return block: the document's identifying elements in the standard's order, then its status and why. */
    record Block(Map<String, String> identity, int returnStatus, String returnInfo) {
    }

    private PartyReceipts() {
    }

    /** The receipt message for one document. */
    static byte[] render(CebXml.Kind kind, UUID messageGuid, Map<String, String> identity, int returnStatus, OffsetDateTime at,
                         String info) {
        if (kind == CebXml.Kind.CEB621) {
            throw new IllegalArgumentException("a list's receipts are CEB622");
        }
        return render(kind, messageGuid, List.of(new Block(identity, returnStatus, info)), at);
    }

    /** The receipt message answering documents of one kind, a block each, in order. */
    static byte[] render(CebXml.Kind kind, UUID messageGuid, List<Block> blocks, OffsetDateTime at) {
        String root = switch (kind) {
            case CEB311 -> "CEB312Message";
            case CEB411 -> "CEB412Message";
            case CEB511 -> "CEB512Message";
            case CEB621 -> "CEB622Message";
        };
        String element = switch (kind) {
            case CEB311 -> "OrderReturn";
            case CEB411 -> "PaymentReturn";
            case CEB511 -> "LogisticsReturn";
            case CEB621 -> "InventoryReturn";
        };
        return render(root, element, messageGuid, blocks, at);
    }

    /** A receipt message of the given root and return element (CEB712 {@code DeliveryReturn}, CEB514 …), a block each. */
    static byte[] render(String root, String element, UUID messageGuid, List<Block> blocks, OffsetDateTime at) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try {
            XMLStreamWriter xml = OUTPUT.createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
            xml.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
            xml.setPrefix("ceb", Ceb622.NAMESPACE);
            xml.writeStartElement("ceb", root, Ceb622.NAMESPACE);
            xml.writeNamespace("ceb", Ceb622.NAMESPACE);
            xml.writeAttribute("guid", messageGuid.toString().toUpperCase(java.util.Locale.ROOT));
            xml.writeAttribute("version", Ceb622.VERSION);
            for (Block block : blocks) {
                xml.writeStartElement("ceb", element, Ceb622.NAMESPACE);
                Map<String, String> elements = new LinkedHashMap<>(block.identity());
                elements.put("returnStatus", Integer.toString(block.returnStatus()));
                elements.put("returnTime", TIME.format(at));
                elements.put("returnInfo", block.returnInfo());
                for (var e : elements.entrySet()) {
                    xml.writeStartElement("ceb", e.getKey(), Ceb622.NAMESPACE);
                    xml.writeCharacters(e.getValue() == null ? "" : e.getValue());
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("could not write a " + root, e);
        }
        return out.toByteArray();
    }
}
