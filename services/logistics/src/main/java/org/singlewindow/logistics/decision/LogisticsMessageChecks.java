package org.singlewindow.logistics.decision;

import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.agency.Decision;
import org.singlewindow.agency.MessageChecks;

import java.util.List;

/**
 * Logistics and bonded-zone message-level checks: a waybill, a bonded warehouse and item records for
 * 1210, a net weight not above the gross. The first step of {@link LogisticsPolicy}.
 */
class LogisticsMessageChecks {

    Decision decide(DeclarationSubmitted submitted) {
        Declaration d = submitted.declaration();
        Declaration.Logistics waybill = d.logistics();
        MessageChecks checks = new MessageChecks();
        checks.require(waybill != null && waybill.logisticsNo() != null, "/logistics/logisticsNo", "MSG_REQUIRED",
                "the waybill number is required");
        if (waybill != null && waybill.netWeight() != null && waybill.grossWeight() != null) {
            checks.require(waybill.netWeight().compareTo(waybill.grossWeight()) <= 0, "/logistics/netWeight",
                    "MSG_WEIGHT", "the net weight exceeds the gross weight");
        }
        if (d.declarationType() == Declaration.DeclarationType.BONDED_IMPORT_1210) {
            checks.require(waybill != null && waybill.warehouseCode() != null, "/logistics/warehouseCode",
                    "MSG_REQUIRED", "bonded import (1210) leaves a bonded warehouse: warehouseCode is required");
            List<Declaration.Item> items = d.items() == null ? List.of() : d.items();
            for (int i = 0; i < items.size(); i++) {
                checks.require(items.get(i).itemRecordNo() != null, "/items/" + i + "/itemRecordNo", "MSG_REQUIRED",
                        "bonded import (1210) needs the item's account record number");
            }
        }
        return checks.decide("logistics: the waybill and bonded-warehouse data are complete");
    }
}
