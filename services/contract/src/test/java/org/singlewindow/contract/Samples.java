package org.singlewindow.contract;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.UUID;

/**
 * Test-data builder: a valid 1210 declaration as JSON (infant formula, CNY 300, tax 27.30), to be
 * changed field by field in tests. Every declaration has its own consumer (a fresh valid resident
 * ID number, buyer = payer), so that consumers' annual limits do not couple tests. Shipped as a
 * test-jar for every module's tests.
 */
public final class Samples {

    /** A valid resident ID number, for tests that need a fixed consumer. */
    public static final String BUYER_ID = "11010519491231002X";

    private Samples() {
    }

    /** A valid bonded-import declaration with a fresh guid and order number. */
    public static ObjectNode declaration() {
        return declaration("ORD" + UUID.randomUUID().toString().replace("-", "").substring(0, 20));
    }

    /**
     * A valid direct import (9610): no bonded account, its parcel arriving at the sandbox's supervised site ZZKJ01.
     */
    public static ObjectNode directImport() {
        ObjectNode direct = declaration();
        direct.put("declarationType", "DIRECT_IMPORT_9610");
        ((ObjectNode) direct.get("logistics")).put("warehouseCode", "ZZKJ01");
        for (var item : direct.withArray("items")) {
            ((ObjectNode) item).remove("itemRecordNo");
        }
        return direct;
    }

    public static ObjectNode declaration(String orderNo) {
        String buyerId = ResidentId.random();
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("guid", UUID.randomUUID().toString());
        root.put("appType", "NEW");
        root.put("declarationType", "BONDED_IMPORT_1210");

        ObjectNode order = root.putObject("order");
        order.put("orderNo", orderNo);
        order.put("ebpCode", "4101960001");
        order.put("ebpName", "Zhengzhou Cross-border Mall");
        order.put("ebcCode", "4101960002");
        order.put("ebcName", "Global Baby Goods Ltd");
        order.put("goodsValue", new java.math.BigDecimal("300.00"));
        order.put("freight", new java.math.BigDecimal("0.00"));
        order.put("discount", new java.math.BigDecimal("0.00"));
        order.put("taxTotal", new java.math.BigDecimal("27.30"));
        order.put("actualPaid", new java.math.BigDecimal("327.30"));
        order.put("currency", "CNY");
        ObjectNode buyer = order.putObject("buyer");
        buyer.put("name", "Zhang San");
        buyer.put("idType", "1");
        buyer.put("idNumber", buyerId);
        buyer.put("telephone", "13800138000");
        consignee(order.putObject("consignee"));

        ArrayNode items = root.putArray("items");
        ObjectNode item = items.addObject();
        item.put("gnum", 1);
        item.put("itemRecordNo", "ZZ1210A0001");
        item.put("itemNo", "SKU-FORMULA-900");
        item.put("hsCode", "1901101000");
        item.put("name", "Infant formula stage 1, 900 g");
        item.put("gmodel", "Example Nutrition, stage 1, 900 g tin");
        item.put("barCode", "4008976022343");
        item.put("originCountry", "NLD");
        item.put("quantity", new java.math.BigDecimal("2"));
        item.put("unit", "007");
        item.put("qty1", new java.math.BigDecimal("1.8"));
        item.put("unit1", "035");
        item.put("unitPrice", new java.math.BigDecimal("150.00"));
        item.put("totalPrice", new java.math.BigDecimal("300.00"));
        item.put("currency", "CNY");

        ObjectNode payment = root.putObject("payment");
        payment.put("payCode", "3101960003");
        payment.put("payName", "Example Pay Co");
        payment.put("payTransactionId", "PAY" + orderNo);
        payment.put("amountPaid", new java.math.BigDecimal("327.30"));
        payment.put("currency", "CNY");
        payment.put("payerName", "Zhang San");
        payment.put("payerIdType", "1");
        payment.put("payerIdNumber", buyerId);
        payment.put("payTime", "2026-11-28T10:15:30+08:00");

        ObjectNode logistics = root.putObject("logistics");
        logistics.put("logisticsCode", "4101960004");
        logistics.put("logisticsName", "Central Plains Express");
        logistics.put("logisticsNo", "WB" + orderNo);
        logistics.put("warehouseCode", "ZZBW01");
        logistics.put("freight", new java.math.BigDecimal("0.00"));
        logistics.put("insuredFee", new java.math.BigDecimal("0.00"));
        logistics.put("grossWeight", new java.math.BigDecimal("2.1"));
        logistics.put("netWeight", new java.math.BigDecimal("1.8"));
        consignee(logistics.putObject("consignee"));

        ObjectNode declarant = root.putObject("declarant");
        declarant.put("agentCode", "4101960005");
        declarant.put("agentName", "Henan Customs Brokerage");
        declarant.put("customsCode", "4606");
        return root;
    }

    private static void consignee(ObjectNode consignee) {
        consignee.put("name", "Zhang San");
        consignee.put("telephone", "13800138000");
        consignee.put("address", "No. 1 Jinshui Road, Zhengzhou, Henan");
        consignee.put("country", "CHN");
    }
}
