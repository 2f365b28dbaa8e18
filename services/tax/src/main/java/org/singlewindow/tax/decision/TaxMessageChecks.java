package org.singlewindow.tax.decision;

import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.agency.Decision;
import org.singlewindow.agency.MessageChecks;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Tax's message-level checks, run before any assessment: the amounts it will assess on are present,
 * in CNY, and each line's total equals quantity times unit price (to the fen).
 */
class TaxMessageChecks {

    Decision decide(DeclarationSubmitted submitted) {
        Declaration d = submitted.declaration();
        MessageChecks checks = new MessageChecks();
        checks.require(d.order().goodsValue() != null && d.order().goodsValue().signum() > 0, "/order/goodsValue",
                "MSG_AMOUNT", "the goods value must be positive");
        checks.require("CNY".equals(d.order().currency()), "/order/currency", "MSG_CURRENCY", "tax is assessed in CNY");
        List<Declaration.Item> items = d.items() == null ? List.of() : d.items();
        for (int i = 0; i < items.size(); i++) {
            Declaration.Item item = items.get(i);
            boolean computable = item.quantity() != null && item.unitPrice() != null && item.totalPrice() != null;
            checks.require(computable, "/items/" + i, "MSG_AMOUNT", "quantity, unit price and total price are required");
            if (computable) {
                BigDecimal expected = item.quantity().multiply(item.unitPrice()).setScale(2, RoundingMode.HALF_UP);
                checks.require(expected.compareTo(item.totalPrice()) == 0, "/items/" + i + "/totalPrice",
                        "MSG_ITEM_TOTAL", "total price " + item.totalPrice() + " is not quantity x unit price = " + expected);
            }
        }
        return checks.decide("tax: the amounts are complete and consistent");
    }
}
