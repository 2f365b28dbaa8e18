package org.singlewindow.kit.privacy;

import org.junit.jupiter.api.Test;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Samples;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class PersonalDataTest {

    private static byte[] submitted() {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("declarationId", UUID.randomUUID().toString());
        event.put("enterpriseId", "4101960005");
        event.set("declaration", Samples.declaration());
        return Json.mapper().writeValueAsBytes(event);
    }

    @Test
    void anAgencysCopyHoldsNoNameTelephoneAddressOrIdNumber() {
        byte[] body = submitted();
        JsonNode original = Json.mapper().readTree(body).get("declaration");
        String copy = PersonalData.minimised(body, null);

        for (String personal : new String[]{original.at("/order/buyer/name").asString(), original.at("/order/buyer/idNumber").asString(),
                original.at("/order/buyer/telephone").asString(), original.at("/order/consignee/address").asString(),
                original.at("/logistics/consignee/name").asString(), original.at("/payment/payerName").asString()}) {
            assertThat(copy).doesNotContain(personal);
        }
        JsonNode kept = Json.mapper().readTree(copy).get("declaration");
        // what the rules work on stays: the order, its lines, the parties, the ID type
        assertThat(kept.at("/order/orderNo").asString()).isEqualTo(original.at("/order/orderNo").asString());
        assertThat(kept.at("/order/buyer/idType").asString()).isEqualTo(original.at("/order/buyer/idType").asString());
        assertThat(kept.at("/items")).isEqualTo(original.at("/items"));
        assertThat(kept.at("/payment/payTransactionId")).isEqualTo(original.at("/payment/payTransactionId"));
        // and it still reads as a declaration event
        assertThat(Json.mapper().readValue(copy, DeclarationSubmitted.class).declaration().order().buyer().idNumber()).isNull();
    }

    @Test
    void anAgencyThatDecidesAgainFromItsCopyKeepsIdNumbersSealed() {
        byte[] body = submitted();
        String payer = Json.mapper().readTree(body).at("/declaration/payment/payerIdNumber").asString();
        PersonKey key = new PersonKey("a-test-key-of-16-chars", "test");
        JsonNode kept = Json.mapper().readTree(PersonalData.minimised(body, key)).get("declaration");

        String sealed = kept.at("/payment/payerIdNumber").asString();
        assertThat(sealed).startsWith(PersonKey.SEALED).doesNotContain(payer);
        // the ledger finds the same person from the copy as from the declaration
        assertThat(key.of(sealed)).isEqualTo(key.of(payer));
        assertThat(new PersonKey("another-key-of-16-chars", "test").of(payer)).isNotEqualTo(key.of(payer));
        // sealed twice, two different texts (a fresh IV each time)
        assertThat(key.seal(payer)).isNotEqualTo(key.seal(payer));
    }

    @Test
    void duringARotationWhatTheOldKeySealedStillOpensAndThePersonIsFoundUnderBothKeys() {
        String id = "110101199003070019";
        PersonKey old = new PersonKey("the-old-key-0123456789", "test");
        PersonKey rotated = new PersonKey("the-new-key-0123456789", "the-old-key-0123456789", "test");
        String sealedByOld = old.seal(id);

        assertThat(rotated.of(sealedByOld)).isEqualTo(rotated.of(id)).isNotEqualTo(old.of(id));
        assertThat(rotated.previousOf(id)).contains(old.of(id));
        assertThat(rotated.previousOf(sealedByOld)).contains(old.of(id));
        assertThat(old.previousOf(id)).isEmpty();
        // once the old key is gone, what only it sealed no longer opens
        PersonKey after = new PersonKey("the-new-key-0123456789", "test");
        assertThat(after.of(rotated.seal(id))).isEqualTo(after.of(id));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> after.of(sealedByOld))
                .hasMessageContaining("sealed under neither");
    }
}
