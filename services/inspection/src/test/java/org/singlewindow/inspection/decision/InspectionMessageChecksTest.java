package org.singlewindow.inspection.decision;

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

class InspectionMessageChecksTest {

    private final InspectionMessageChecks checks = new InspectionMessageChecks();

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
    void rejectsAnUnknownCountryAndABadBarCodeCheckDigit() {
        ObjectNode json = Samples.declaration();
        ObjectNode item = (ObjectNode) json.get("items").get(0);
        item.put("originCountry", "XXX");
        item.put("barCode", "4008976022344");
        var decision = checks.decide(submitted(json));
        assertThat(decision.status()).isEqualTo(ReceiptStatus.REJECTED);
        assertThat(decision.reasonCode()).isEqualTo("MSG_COUNTRY");
        assertThat(decision.payload().toString()).contains("MSG_BARCODE");
    }

    @Test
    void knowsTheGs1CheckDigit() {
        assertThat(Gtin.valid("4008976022343")).isTrue();
        assertThat(Gtin.valid("96385074")).isTrue();
        assertThat(Gtin.valid("4008976022340")).isFalse();
    }
}
