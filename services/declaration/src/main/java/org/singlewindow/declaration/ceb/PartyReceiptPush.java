package org.singlewindow.declaration.ceb;

import org.singlewindow.contract.Json;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * Pushes each party's own receipt for its own document to the webhook subscriptions of its sender that ask for
 * {@code document}: when the document is filed with its order (120 海关入库) and when it is found at fault (100 海关退单,
 * with what was wrong) — a CEB_XML subscription receives the standard's receipt (CEB312, CEB412, CEB512; a CEB622 for
 * a list returned unfiled), signed as receipts are; a JSON one the same facts in JSON. Written in the caller's
 * transaction, delivered by the webhook dispatcher as every delivery is.
 */
@Component
public class PartyReceiptPush {

    public static final String EVENT = "document.receipt";

    private final JdbcClient jdbc;

    PartyReceiptPush(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Queue the receipt of one document for its sender's subscriptions.
     *
     * @param identity the document's identifying elements, as its receipt names them ({@link CebFiling#identity})
     */
    void push(CebXml.Kind kind, String sender, UUID declarationId, Map<String, String> identity, int returnStatus, String info,
              OffsetDateTime at) {
        ObjectNode data = Json.mapper().createObjectNode();
        data.put("kind", kind.name());
        data.set("identity", Json.mapper().valueToTree(identity));
        data.put("returnStatus", returnStatus);
        data.put("returnInfo", info);
        data.put("at", at.toString());
        ObjectNode payload = Json.mapper().createObjectNode();
        payload.put("type", EVENT);
        payload.put("timestamp", at.toString());
        payload.set("data", data);
        jdbc.sql("""
                        insert into webhook_delivery (message_id, subscription_id, declaration_id, event_type, payload)
                        select 'msg_' || replace(gen_random_uuid()::text, '-', ''), s.id, ?, ?, ?::jsonb
                        from webhook_subscription s where s.enterprise_id = ? and s.active and 'document' = any(s.events)""")
                .params(declarationId, EVENT, Json.mapper().writeValueAsString(payload), sender).update();
    }

    /** A document's receipt as customs writes it, from a delivery's {@code data}. */
    static byte[] render(tools.jackson.databind.JsonNode data, UUID messageGuid) {
        CebXml.Kind kind = CebXml.Kind.valueOf(data.path("kind").asString());
        Map<String, String> identity = new java.util.LinkedHashMap<>();
        data.path("identity").properties().forEach(e -> identity.put(e.getKey(), e.getValue().asString("")));
        return PartyReceipts.render(kind, messageGuid, java.util.List.of(new PartyReceipts.Block(identity,
                data.path("returnStatus").asInt(), data.path("returnInfo").asString(""))), OffsetDateTime.parse(data.path("at").asString()));
    }

    /** The receipt of a delivery's data, for the webhook dispatcher (another package). */
    public static byte[] receipt(String payload, UUID messageGuid) {
        return render(Json.mapper().readTree(payload).path("data"), messageGuid);
    }
}
