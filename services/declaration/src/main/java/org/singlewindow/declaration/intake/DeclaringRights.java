package org.singlewindow.declaration.intake;

import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.Violation;
import org.singlewindow.contract.reference.PartyRegister;
import org.singlewindow.contract.reference.PartyRegister.Role;
import org.singlewindow.kit.reference.ReferenceData;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether the caller may file a declaration with the codes it names, by the party register: the caller
 * is a registered declaring agent, and the platform, the e-commerce enterprise, the payment firm and
 * the logistics firm are each registered in that role and are the caller itself or have authorised it
 * to declare in their name; a bonded import leaves a registered bonded warehouse. The answer for a
 * code is the same whether it is registered to someone else or to no one, so a refusal tells the
 * caller nothing about other parties.
 */
@Component
public class DeclaringRights {

    private final ReferenceData<PartyRegister> parties;

    public DeclaringRights(ReferenceData<PartyRegister> parties) {
        this.parties = parties;
    }

    /** Every code the caller may not use, as violations naming the field; empty if it may file. */
    public List<Violation> check(Declaration declaration, String caller) {
        PartyRegister register = parties.get();
        List<Violation> violations = new ArrayList<>();
        if (!register.holds(caller, Role.DECLARING_AGENT)) {
            violations.add(new Violation("/declarant/agentCode", "party-register",
                    "the caller is not a registered declaring agent (party register " + register.version() + ")"));
        }
        var order = declaration.order();
        var logistics = declaration.logistics();
        field(violations, register, caller, "/order/ebpCode", order.ebpCode(), Role.E_COMMERCE_PLATFORM, "e-commerce platform");
        field(violations, register, caller, "/order/ebcCode", order.ebcCode(), Role.E_COMMERCE_ENTERPRISE, "e-commerce enterprise");
        field(violations, register, caller, "/payment/payCode", declaration.payment().payCode(), Role.PAYMENT_FIRM, "payment firm");
        field(violations, register, caller, "/logistics/logisticsCode", logistics.logisticsCode(), Role.LOGISTICS_FIRM,
                "logistics firm");
        if (declaration.declarationType() == Declaration.DeclarationType.BONDED_IMPORT_1210
                && logistics.warehouseCode() != null && register.operatorOf(logistics.warehouseCode()).isEmpty()) {
            violations.add(new Violation("/logistics/warehouseCode", "party-register", "not a registered bonded warehouse"));
        }
        if (declaration.declarationType() == Declaration.DeclarationType.DIRECT_IMPORT_9610
                && logistics.warehouseCode() != null && register.operatorOfSite(logistics.warehouseCode()).isEmpty()) {
            violations.add(new Violation("/logistics/warehouseCode", "party-register",
                    "not a registered supervised site (a direct import names the site its parcel arrives at, or none)"));
        }
        return violations;
    }

    private static void field(List<Violation> violations, PartyRegister register, String caller, String field, String code,
                              Role role, String what) {
        if (!register.mayActAs(caller, code, role)) {
            violations.add(new Violation(field, "party-register", "must be your own code as a registered " + what
                    + ", or that of a registered " + what + " that has authorised you as its declaring agent"));
        }
    }
}
