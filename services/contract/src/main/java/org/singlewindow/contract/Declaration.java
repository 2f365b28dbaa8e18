package org.singlewindow.contract;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A cross-border e-commerce declaration as an enterprise files it: the inventory list (CEB621)
 * together with the order (CEB311), payment (CEB411) and waybill (CEB511) it rests on.
 * Field names map one-to-one to the CEB XML elements; the JSON Schema
 * {@code declaration-v1.schema.json} is the authority on formats and required fields.
 */
public record Declaration(
        UUID guid,
        AppType appType,
        DeclarationType declarationType,
        Order order,
        List<Item> items,
        Payment payment,
        Logistics logistics,
        Declarant declarant) {

    /** CEB appType: 1 = NEW, 2 = CHANGE, 3 = DELETE. */
    public enum AppType { NEW, CHANGE, DELETE }

    /** Customs supervision mode: 1210 bonded retail import, 9610 direct-mail retail import. */
    public enum DeclarationType { BONDED_IMPORT_1210, DIRECT_IMPORT_9610 }

    /** The order as the e-commerce platform (ebp) recorded it for the e-commerce enterprise (ebc). */
    public record Order(
            String orderNo,
            String ebpCode,
            String ebpName,
            String ebcCode,
            String ebcName,
            BigDecimal goodsValue,
            BigDecimal freight,
            BigDecimal discount,
            BigDecimal taxTotal,
            BigDecimal actualPaid,
            String currency,
            Buyer buyer,
            Consignee consignee) {
    }

    /** The consumer who buys and pays; the ID number is the resident identity card number (GB 11643). */
    public record Buyer(String name, String idType, String idNumber, String telephone) {
    }

    /** Who receives the parcel. */
    public record Consignee(String name, String telephone, String address, String country) {
    }

    /**
     * One line of the inventory list. {@code itemRecordNo} is the bonded-account record (1210);
     * {@code quantity}/{@code unit} the transaction quantity, {@code qty1}/{@code unit1} (and
     * {@code qty2}/{@code unit2}) the legal quantities in the units the tariff names for the HS code;
     * {@code gmodel} the model and specification (brand, content, ingredients).
     */
    public record Item(
            int gnum,
            String itemRecordNo,
            String itemNo,
            String hsCode,
            String name,
            String gmodel,
            String barCode,
            String originCountry,
            BigDecimal quantity,
            String unit,
            BigDecimal qty1,
            String unit1,
            BigDecimal qty2,
            String unit2,
            BigDecimal unitPrice,
            BigDecimal totalPrice,
            String currency) {
    }

    /** The payment firm's record of the consumer's payment. */
    public record Payment(
            String payCode,
            String payName,
            String payTransactionId,
            BigDecimal amountPaid,
            String currency,
            String payerName,
            String payerIdType,
            String payerIdNumber,
            OffsetDateTime payTime) {
    }

    /** The logistics firm's waybill; {@code warehouseCode} is the bonded warehouse the goods leave (1210). */
    public record Logistics(
            String logisticsCode,
            String logisticsName,
            String logisticsNo,
            String warehouseCode,
            BigDecimal freight,
            BigDecimal insuredFee,
            BigDecimal grossWeight,
            BigDecimal netWeight,
            Consignee consignee) {
    }

    /** The enterprise that files the inventory list (declaring agent). */
    /**
     * @param assureCode the withholding agent (platform, e-commerce enterprise or logistics firm of this list),
     *                   or null for the e-commerce enterprise ({@link #withholdingAgent})
     */
    public record Declarant(String agentCode, String agentName, String customsCode, String assureCode) {
    }

    /** Who guarantees and pays the consumer's tax (CEB621 assureCode): as declared, else the e-commerce enterprise. */
    public String withholdingAgent() {
        return declarant != null && declarant.assureCode() != null ? declarant.assureCode()
                : order == null ? null : order.ebcCode();
    }
}
