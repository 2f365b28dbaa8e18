package org.singlewindow.inspection.decision;

import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.ReceiptPayload;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.contract.Samples;
import org.singlewindow.inspection.rules.InspectionRules;
import org.singlewindow.inspection.rules.InspectionRulesReference;
import org.singlewindow.agency.Decision;
import org.singlewindow.kit.reference.ReferenceData;
import tools.jackson.databind.node.ObjectNode;

import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class InspectionPolicyTest {

    private final InspectionRules rules = new InspectionRulesReference().parse(new InspectionRulesReference().bundled());

    @SuppressWarnings("unchecked")
    private InspectionPolicy policy(boolean sampling) {
        ReferenceData<InspectionRules> reference = mock(ReferenceData.class);
        when(reference.get()).thenReturn(rules);
        return new InspectionPolicy(reference, sampling);
    }

    private static DeclarationSubmitted submitted(UUID id, ObjectNode json) {
        return new DeclarationSubmitted(id, "4101960005", OffsetDateTime.now(), Json.mapper().treeToValue(json, Declaration.class));
    }

    @Test
    void aHitHoldsForInspectionWithEveryFinding() {
        ObjectNode json = Samples.declaration();
        ObjectNode item = (ObjectNode) json.get("items").get(0);
        item.put("barCode", "4008976022350");
        ObjectNode seeds = ((tools.jackson.databind.node.ArrayNode) json.get("items")).addObject().setAll(item.deepCopy());
        seeds.put("gnum", 2);
        seeds.put("hsCode", "1209910000");
        seeds.put("barCode", "4008976022343");
        Decision decision = policy(false).decide(submitted(UUID.randomUUID(), json));
        assertThat(decision.status()).isEqualTo(ReceiptStatus.INSPECTION);
        assertThat(decision.reasonCode()).isEqualTo("RECALL_FORMULA_LOT_2026");
        assertThat(decision.message()).contains("(and 1 more)");
        assertThat(((ReceiptPayload.Findings) decision.payload()).findings())
                .extracting(ReceiptPayload.Finding::field, ReceiptPayload.Finding::reasonCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/items/0/hsCode", "RECALL_FORMULA_LOT_2026"),
                        org.assertj.core.groups.Tuple.tuple("/items/1/hsCode", "CIQ_PROHIBITED_SEEDS"));
    }

    @Test
    void aSampledDeclarationIsHeldOnlyWhenSamplingIsOn() {
        UUID sampled = IntStream.range(0, 10_000).mapToObj(i -> new UUID(99, i)).filter(id -> rules.draw(id) < 0.05)
                .findFirst().orElseThrow();
        Decision on = policy(true).decide(submitted(sampled, Samples.declaration()));
        assertThat(on.status()).isEqualTo(ReceiptStatus.INSPECTION);
        assertThat(on.reasonCode()).isEqualTo(InspectionRules.SAMPLED);
        // a replay decides the same
        assertThat(policy(true).decide(submitted(sampled, Samples.declaration())).reasonCode()).isEqualTo(InspectionRules.SAMPLED);
        assertThat(policy(false).decide(submitted(sampled, Samples.declaration())).status()).isEqualTo(ReceiptStatus.RELEASED);
    }

    @Test
    void aMalformedMessageIsRejectedBeforeScreening() {
        ObjectNode json = Samples.declaration();
        ((ObjectNode) json.get("items").get(0)).put("originCountry", "XXX");
        assertThat(policy(false).decide(submitted(UUID.randomUUID(), json)).status()).isEqualTo(ReceiptStatus.REJECTED);
    }
}
