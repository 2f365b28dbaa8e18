package org.singlewindow.agency;

import org.singlewindow.contract.ReceiptPayload;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects message-level findings (required fields, formats, codes) and turns them into a decision:
 * released when there are none, rejected with every finding otherwise.
 */
public final class MessageChecks {

    private final List<ReceiptPayload.Finding> findings = new ArrayList<>();

    public MessageChecks require(boolean ok, String field, String reasonCode, String message) {
        if (!ok) {
            findings.add(new ReceiptPayload.Finding(field, reasonCode, message));
        }
        return this;
    }

    public List<ReceiptPayload.Finding> findings() {
        return List.copyOf(findings);
    }

    public Decision decide(String releasedMessage) {
        if (findings.isEmpty()) {
            return Decision.release(releasedMessage);
        }
        ReceiptPayload.Finding first = findings.getFirst();
        String message = findings.size() == 1 ? first.message()
                : first.message() + " (and " + (findings.size() - 1) + " more)";
        return Decision.reject(first.reasonCode(), message, new ReceiptPayload.Findings(findings()));
    }
}
