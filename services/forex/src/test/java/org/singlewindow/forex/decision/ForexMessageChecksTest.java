package org.singlewindow.forex.decision;

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

class ForexMessageChecksTest {

    private final ForexMessageChecks checks = new ForexMessageChecks();

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
    void rejectsACurrencyThatIsNotIso4217() {
        ObjectNode json = Samples.declaration();
        ((ObjectNode) json.get("payment")).put("currency", "ABC");
        var decision = checks.decide(submitted(json));
        assertThat(decision.status()).isEqualTo(ReceiptStatus.REJECTED);
        assertThat(decision.reasonCode()).isEqualTo("MSG_CURRENCY");
    }
}
