package org.singlewindow.inspection.decision;

import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Outcome;
import org.singlewindow.contract.ReceiptPayload;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.inspection.rules.InspectionRules;
import org.singlewindow.agency.Decision;
import org.singlewindow.agency.DecisionPolicy;
import org.singlewindow.agency.Settlement;
import org.singlewindow.kit.reference.ReferenceData;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * Inspection and quarantine decide: message checks (countries, bar codes), then risk screening by the
 * rules in force. Any hit holds the declaration for inspection (500) with every hit as a finding; an
 * inspection officer releases or rejects it in the back-office. Nothing is reserved.
 *
 * <p>{@code sw.inspection.sampling} (default on) switches random sampling; the sandbox's tests turn it
 * off so that their declarations are not held at random.
 */
@Component
class InspectionPolicy implements DecisionPolicy {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final InspectionMessageChecks messageChecks = new InspectionMessageChecks();
    private final ReferenceData<InspectionRules> rules;
    private final boolean sampling;

    InspectionPolicy(ReferenceData<InspectionRules> rules, @Value("${sw.inspection.sampling:true}") boolean sampling) {
        this.rules = rules;
        this.sampling = sampling;
    }

    @Override
    public Decision decide(DeclarationSubmitted submitted) {
        Decision checked = messageChecks.decide(submitted);
        if (checked.status() != ReceiptStatus.RELEASED) {
            return checked;
        }
        InspectionRules inForce = rules.get();
        List<InspectionRules.Hit> hits = inForce.screen(submitted.declarationId(), submitted.declaration(), LocalDate.now(CHINA))
                .stream().filter(h -> sampling || !h.ruleId().equals(InspectionRules.SAMPLED)).toList();
        if (hits.isEmpty()) {
            return Decision.release("inspection and quarantine: no risk found (rules " + inForce.version() + ")");
        }
        List<ReceiptPayload.Finding> findings = hits.stream().map(h -> new ReceiptPayload.Finding(
                h.item() < 0 ? null : "/items/" + h.item() + "/hsCode", h.ruleId(), h.message())).toList();
        InspectionRules.Hit first = hits.getFirst();
        return new Decision(ReceiptStatus.INSPECTION, first.ruleId(), "held for inspection: " + first.message()
                + (hits.size() > 1 ? " (and " + (hits.size() - 1) + " more)" : ""), new ReceiptPayload.Findings(findings));
    }

    @Override
    public Settlement concluded(UUID declarationId, Outcome outcome) {
        return Settlement.nothingReserved("inspection");
    }
}
