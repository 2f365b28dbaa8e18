package org.singlewindow.customs.decision;

import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.agency.Decision;
import org.singlewindow.agency.MessageChecks;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Customs' message-standard checks on the inventory list, the first step of its decision. */
class CustomsMessageChecks {

    Decision decide(DeclarationSubmitted submitted) {
        MessageChecks checks = new MessageChecks();
        check(submitted.declaration(), checks);
        return checks.decide("customs: the inventory list meets the message standard");
    }

    void check(Declaration d, MessageChecks checks) {
        checks.require("CNY".equals(d.order().currency()), "/order/currency", "MSG_CURRENCY",
                "cross-border retail import is declared in CNY");
        List<Declaration.Item> items = d.items() == null ? List.of() : d.items();
        checks.require(!items.isEmpty(), "/items", "MSG_REQUIRED", "an inventory list needs at least one item");
        Set<Integer> lines = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Declaration.Item item = items.get(i);
            checks.require(lines.add(item.gnum()), "/items/" + i + "/gnum", "MSG_GNUM_DUPLICATE",
                    "line number " + item.gnum() + " appears twice");
            checks.require(item.hsCode() != null && item.hsCode().matches("[0-9]{10}"), "/items/" + i + "/hsCode",
                    "MSG_HS_FORMAT", "the HS code must have 10 digits");
            checks.require("CNY".equals(item.currency()), "/items/" + i + "/currency", "MSG_CURRENCY",
                    "items are priced in CNY");
        }
        checks.require(items.stream().allMatch(it -> it.gnum() >= 1 && it.gnum() <= items.size()),
                "/items", "MSG_GNUM_SEQUENCE", "line numbers must run from 1 to the number of items");
        checks.require(d.declarant() != null && d.declarant().customsCode() != null
                        && d.declarant().customsCode().matches("[0-9]{4}"), "/declarant/customsCode", "MSG_CUSTOMS_CODE",
                "the customs office code has 4 digits");
    }
}
