package org.singlewindow.customs.decision;

import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Outcome;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.contract.ResidentId;
import org.singlewindow.contract.reference.TariffTable;
import org.singlewindow.customs.risk.RiskRules;
import org.singlewindow.agency.Decision;
import org.singlewindow.agency.DecisionPolicy;
import org.singlewindow.agency.Settlement;
import org.singlewindow.agency.MessageChecks;
import org.singlewindow.kit.reference.HsTariff;
import org.singlewindow.kit.reference.ReferenceData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.UUID;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Customs' decision on an inventory list (China Customs Announcement 2018 No.194):
 * <ol>
 *   <li>the message standard;</li>
 *   <li>the <b>three-document check</b> — order, payment and waybill agree with the inventory list:
 *   {@code actualPaid = goodsValue + freight + taxTotal − discount} and equals the payment's amount; the
 *   items' total prices add up to {@code goodsValue}; the waybill's freight is the order's; the buyer
 *   is the payer (name, ID type and number); the consignee of the order is the waybill's;</li>
 *   <li>the buyer's resident ID number passes the GB 11643 check digit;</li>
 *   <li>the CNY 5,000 single-transaction limit (one indivisible item excepted);</li>
 *   <li>every item is on the cross-border retail import positive list;</li>
 * </ol>
 * Every failure is a finding with its reason code; any finding rejects (100). A clean declaration
 * that a risk rule matches goes to manual review (300); otherwise it is released (800).
 */
@Component
class CustomsPolicy implements DecisionPolicy {

    static final BigDecimal TRANSACTION_LIMIT = new BigDecimal("5000.00");

    private final CustomsMessageChecks messageChecks = new CustomsMessageChecks();
    private final Supplier<TariffTable> tariff;
    private final Supplier<RiskRules> risk;
    private final boolean payerMustBeBuyer;

    /**
     * @param payerMustBeBuyer {@code sw.customs.payer-must-be-buyer} (true): the payer must be the buyer —
     *                         GACC Announcement 2016 No.26 §6 asks it where the buyer's identity cannot be
     *                         verified otherwise; a port whose platforms verify buyers by real name may relax it
     */
    @Autowired
    CustomsPolicy(ReferenceData<TariffTable> tariff, ReferenceData<RiskRules> risk,
                  @Value("${sw.customs.payer-must-be-buyer:true}") boolean payerMustBeBuyer) {
        this(tariff::get, risk::get, payerMustBeBuyer);
    }

    /** With the documents in force given directly (tests). */
    CustomsPolicy(Supplier<TariffTable> tariff, Supplier<RiskRules> risk, boolean payerMustBeBuyer) {
        this.tariff = tariff;
        this.risk = risk;
        this.payerMustBeBuyer = payerMustBeBuyer;
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class Tariff {
        @Bean
        ReferenceData<TariffTable> tariff(JdbcClient jdbc) {
            return new ReferenceData<>(new HsTariff(), jdbc);
        }
    }

    @Override
    public Decision decide(DeclarationSubmitted submitted) {
        Declaration d = submitted.declaration();
        MessageChecks checks = new MessageChecks();
        messageChecks.check(d, checks);
        if (!checks.findings().isEmpty()) {
            return checks.decide("");
        }
        threeDocuments(d, checks);
        Declaration.Buyer buyer = d.order().buyer();
        checks.require(!"1".equals(buyer.idType()) || ResidentId.isValid(buyer.idNumber()), "/order/buyer/idNumber",
                "CUS_ID_INVALID", "the buyer's resident ID number fails the GB 11643 check digit");
        BigDecimal transactionValue = transactionValue(d);
        boolean indivisible = d.items().size() == 1 && d.items().getFirst().quantity().compareTo(BigDecimal.ONE) == 0;
        checks.require(transactionValue.compareTo(TRANSACTION_LIMIT) <= 0 || indivisible, "/order/goodsValue",
                "CUS_SINGLE_LIMIT", "the order's value " + transactionValue
                        + " is over the CNY 5,000 single-transaction limit and is not one indivisible item");
        TariffTable table = tariff.get();
        for (int i = 0; i < d.items().size(); i++) {
            Declaration.Item item = d.items().get(i);
            String hs = item.hsCode();
            String at = "/items/" + i;
            table.find(hs).ifPresentOrElse(
                    e -> {
                        checks.require(e.positiveList(), at + "/hsCode", "CUS_NOT_ON_POSITIVE_LIST",
                                e.description() + " (" + hs + ") is not on the cross-border retail import positive list");
                        legalQuantities(item, e, at, checks);
                    },
                    () -> checks.require(false, at + "/hsCode", "CUS_HS_UNKNOWN", "HS code " + hs + " is not in tariff " + table.version()));
        }
        if (!checks.findings().isEmpty()) {
            return checks.decide("");
        }
        return risk.get().firstMatch(d, transactionValue)
                .map(rule -> new Decision(ReceiptStatus.MANUAL_REVIEW, rule.id(),
                        "held for an officer's review: " + rule.description(), null))
                .orElseGet(() -> Decision.release("customs: the three documents agree, the goods are on the positive list"));
    }

    private void threeDocuments(Declaration d, MessageChecks checks) {
        Declaration.Order o = d.order();
        BigDecimal expectedPaid = o.goodsValue().add(o.freight()).add(o.taxTotal()).subtract(o.discount());
        checks.require(o.actualPaid().compareTo(expectedPaid) == 0, "/order/actualPaid", "CUS_ACTUAL_PAID",
                "actualPaid " + o.actualPaid() + " is not goodsValue + freight + taxTotal - discount = " + expectedPaid);
        checks.require(d.payment().amountPaid().compareTo(o.actualPaid()) == 0, "/payment/amountPaid", "CUS_PAYMENT_AMOUNT",
                "the payment of " + d.payment().amountPaid() + " is not the order's actualPaid " + o.actualPaid());
        checks.require("CNY".equals(d.payment().currency()), "/payment/currency", "CUS_PAYMENT_CURRENCY",
                "the payment is not in CNY");
        BigDecimal items = d.items().stream().map(Declaration.Item::totalPrice).reduce(BigDecimal.ZERO, BigDecimal::add);
        checks.require(items.compareTo(o.goodsValue()) == 0, "/order/goodsValue", "CUS_GOODS_VALUE",
                "the items add up to " + items + ", the order's goodsValue is " + o.goodsValue());
        checks.require(d.logistics().freight().compareTo(o.freight()) == 0, "/logistics/freight", "CUS_FREIGHT",
                "the waybill's freight " + d.logistics().freight() + " is not the order's " + o.freight());
        Declaration.Buyer buyer = o.buyer();
        Declaration.Payment payment = d.payment();
        checks.require(!payerMustBeBuyer || Objects.equals(buyer.name(), payment.payerName())
                        && Objects.equals(buyer.idType(), payment.payerIdType())
                        && Objects.equals(buyer.idNumber(), payment.payerIdNumber()), "/payment/payerIdNumber",
                "CUS_PAYER_NOT_BUYER", "the payer is not the buyer (name, ID type and number must be the same)");
        Declaration.Consignee onOrder = o.consignee();
        Declaration.Consignee onWaybill = d.logistics().consignee();
        checks.require(onOrder != null && onWaybill != null && Objects.equals(onOrder.name(), onWaybill.name())
                        && Objects.equals(onOrder.telephone(), onWaybill.telephone())
                        && Objects.equals(onOrder.address(), onWaybill.address()), "/logistics/consignee",
                "CUS_CONSIGNEE", "the consignee on the waybill is not the consignee of the order");
    }

    /** A line's legal quantities are in the units the tariff names for its HS code: the first always, the second where there is one. */
    private static void legalQuantities(Declaration.Item item, TariffTable.Entry entry, String at, MessageChecks checks) {
        List<String> units = entry.legalUnits();
        checks.require(units.getFirst().equals(item.unit1()), at + "/unit1", "CUS_LEGAL_UNIT",
                "the first legal unit of HS " + entry.hsCode() + " is " + units.getFirst() + ", not " + item.unit1());
        if (units.size() > 1) {
            checks.require(item.qty2() != null && units.get(1).equals(item.unit2()), at + "/qty2", "CUS_LEGAL_UNIT",
                    "HS " + entry.hsCode() + " has a second legal quantity, in unit " + units.get(1));
        } else {
            checks.require(item.qty2() == null && item.unit2() == null, at + "/unit2", "CUS_LEGAL_UNIT",
                    "HS " + entry.hsCode() + " has no second legal unit");
        }
    }

    /** Goods + freight + insurance: what the single-transaction limit applies to. */
    static BigDecimal transactionValue(Declaration d) {
        BigDecimal insurance = d.logistics().insuredFee() == null ? BigDecimal.ZERO : d.logistics().insuredFee();
        return d.order().goodsValue().add(d.order().freight()).add(insurance);
    }

    /** Customs reserves nothing: there is nothing to commit or release. */
    @Override
    public Settlement concluded(UUID declarationId, Outcome outcome) {
        return Settlement.nothingReserved("customs");
    }

    /**
     * An application to withdraw a released list (CEB623) is decided by a customs officer (GACC 2018 No.194 item 11),
     * before logistics checks the goods: {@code POST /api/v1/customs/declarations/{id}/withdrawal-review}.
     */
    @Override
    public boolean reviewsWithdrawal() {
        return true;
    }

    /**
     * An application to return lines of a released list (CEB625) is decided by a customs officer (GACC 2018 No.194
     * item 12) before logistics may receive the goods: {@code POST /api/v1/customs/declarations/{id}/returns/{returnId}/review}.
     */
    @Override
    public boolean reviewsReturns() {
        return true;
    }
}
