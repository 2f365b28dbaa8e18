package org.singlewindow.kit.privacy;

import org.singlewindow.contract.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * What an agency keeps of the people in a declaration it received: nothing it does not need. Its rules
 * read the whole declaration once, when it arrives; the copy it keeps while the case is open (for its
 * officers and, where a decision is deferred, to decide again) has no names, telephones or addresses,
 * and ID numbers only sealed ({@link PersonKey#seal}, AES-GCM) for an agency whose rules decide again
 * from the copy, none otherwise. The window keeps the declaration as filed (personal data redacted after its
 * own retention).
 */
public final class PersonalData {

    private static final List<String> CONTACT = List.of("name", "telephone", "address");

    private PersonalData() {
    }

    /**
     * A {@code declaration.submitted.v1} body, minimised.
     *
     * @param submitted the body as received
     * @param key       the agency's person key, to keep ID numbers sealed; null drops them
     */
    public static String minimised(byte[] submitted, PersonKey key) {
        JsonNode tree = Json.mapper().readTree(submitted);
        if (tree.get("declaration") instanceof ObjectNode declaration) {
            JsonNode order = declaration.path("order");
            if (order.get("buyer") instanceof ObjectNode buyer) {
                buyer.remove(List.of("name", "telephone"));
                identity(buyer, "idNumber", key);
            }
            if (order.get("consignee") instanceof ObjectNode consignee) {
                consignee.remove(CONTACT);
            }
            if (declaration.path("logistics").get("consignee") instanceof ObjectNode consignee) {
                consignee.remove(CONTACT);
            }
            if (declaration.get("payment") instanceof ObjectNode payment) {
                payment.remove("payerName");
                identity(payment, "payerIdNumber", key);
            }
        }
        return Json.mapper().writeValueAsString(tree);
    }

    private static void identity(ObjectNode holder, String field, PersonKey key) {
        JsonNode number = holder.get(field);
        if (key != null && number != null && number.isString()) {
            holder.put(field, key.seal(number.asString()));
        } else {
            holder.remove(field);
        }
    }
}
