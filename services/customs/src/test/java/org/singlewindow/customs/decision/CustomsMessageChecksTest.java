package org.singlewindow.customs.decision;

import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.contract.Samples;
import tools.jackson.databind.node.ObjectNode;

import java.time.OffsetDateTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class CustomsMessageChecksTest {

    private final CustomsMessageChecks checks = new CustomsMessageChecks();

    private static DeclarationSubmitted submitted(ObjectNode json) {
        return new DeclarationSubmitted(UUID.randomUUID(), "4101960005", OffsetDateTime.now(),
                Json.mapper().treeToValue(json, Declaration.class));
    }

    @Test
    void releasesAWellFormedDeclaration() {
        var decision = checks.decide(submitted(Samples.declaration()));
        assertThat(decision.status()).isEqualTo(ReceiptStatus.RELEASED);
        assertThat(decision.reasonCode()).isEqualTo("OK");
    }

    @Test
    void rejectsAForeignCurrencyAndDuplicateLineNumbers() {
        ObjectNode json = Samples.declaration();
        ((ObjectNode) json.get("order")).put("currency", "USD");
        ((tools.jackson.databind.node.ArrayNode) json.get("items")).add(json.get("items").get(0).deepCopy());
        var decision = checks.decide(submitted(json));
        assertThat(decision.status()).isEqualTo(ReceiptStatus.REJECTED);
        assertThat(decision.reasonCode()).isEqualTo("MSG_CURRENCY");
        assertThat(decision.payload().toString()).contains("MSG_GNUM_DUPLICATE");
    }
}
