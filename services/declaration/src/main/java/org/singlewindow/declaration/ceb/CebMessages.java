package org.singlewindow.declaration.ceb;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The CEB XML messages the window takes, bound by Jackson XML: their elements by the names and in the
 * order of the customs' message standard for cross-border e-commerce (namespace
 * {@code http://www.chinaport.gov.cn/ceb}). Every value is read as text; {@link CebFiling} checks and
 * converts it, naming the element. An element the standard does not have is refused; the root's
 * attributes and the enveloped {@code ds:Signature} are read apart ({@link XmlSignatures}).
 */
public final class CebMessages {

    private CebMessages() {
    }

    /** What the root and the common block carry. */
    sealed interface Message permits Ceb311, Ceb411, Ceb511, Ceb621 {
        String guid();

        BaseTransfer baseTransfer();

        List<BaseSubscribe> baseSubscribe();
    }

    /** The sending system: its enterprise's code and name, the exchange mode and id. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record BaseTransfer(String copCode, String copName, String dxpMode, String dxpId, String note) {
    }

    /**
     * Where the sender asks for the document's receipts to go (up to five in a message): the statuses wanted,
     * the exchange mode and address. Read and kept with the document; this window answers over HTTP and webhooks.
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record BaseSubscribe(String status, String dxpMode, String dxpAddress, String note) {
    }

    /** The standard's extension block: a name, a version and any content, kept as sent. */
    public record ExtendMessage(String name, String version, @JsonProperty("Message") tools.jackson.databind.JsonNode message) {
    }

    // ---- CEB621: the import inventory list (清单), filed by the declaring agent

    @JsonIgnoreProperties({"version", "schemaLocation", "Signature"})
    public record Ceb621(String guid, @JsonProperty("Inventory") List<Inventory> inventory,
                         @JsonProperty("BaseTransfer") BaseTransfer baseTransfer,
                         @JsonProperty("BaseSubscribe") List<BaseSubscribe> baseSubscribe,
                         @JsonProperty("ExtendMessage") ExtendMessage extendMessage) implements Message {
    }

    public record Inventory(@JsonProperty("InventoryHead") InventoryHead head,
                            @JsonProperty("InventoryList") List<InventoryLine> lines) {
    }

    public record InventoryHead(String guid, String appType, String appTime, String appStatus, String orderNo, String ebpCode,
                                String ebpName, String ebcCode, String ebcName, String logisticsNo, String logisticsCode,
                                String logisticsName, String copNo, String preNo, String assureCode, String emsNo,
                                String invtNo, String ieFlag, String declTime, String customsCode, String portCode,
                                String ieDate, String buyerIdType, String buyerIdNumber, String buyerName,
                                String buyerTelephone, String consigneeAddress, String agentCode, String agentName,
                                String areaCode, String areaName, String tradeMode, String trafMode, String trafNo,
                                String voyageNo, String billNo, String loctNo, String licenseNo, String country,
                                String freight, String insuredFee, String currency, String wrapType, String packNo,
                                String grossWeight, String netWeight, String note) {
    }

    public record InventoryLine(String gnum, String itemRecordNo, String itemNo, String itemName, String gcode, String gname,
                                String gmodel, String barCode, String country, String tradeCountry, String currency, String qty, String qty1,
                                String qty2, String unit, String unit1, String unit2, String price, String totalPrice,
                                String note) {
    }

    // ---- CEB311: the order (订单), filed by the platform or the e-commerce enterprise

    @JsonIgnoreProperties({"version", "schemaLocation", "Signature"})
    public record Ceb311(String guid, @JsonProperty("Order") List<Order> order,
                         @JsonProperty("BaseTransfer") BaseTransfer baseTransfer,
                         @JsonProperty("BaseSubscribe") List<BaseSubscribe> baseSubscribe,
                         @JsonProperty("ExtendMessage") ExtendMessage extendMessage) implements Message {
    }

    public record Order(@JsonProperty("OrderHead") OrderHead head, @JsonProperty("OrderList") List<OrderLine> lines) {
    }

    public record OrderHead(String guid, String appType, String appTime, String appStatus, String orderType, String orderNo,
                            String ebpCode, String ebpName, String ebcCode, String ebcName, String goodsValue, String freight,
                            String discount, String taxTotal, String acturalPaid, String currency, String buyerRegNo,
                            String buyerName, String buyerTelephone, String buyerIdType, String buyerIdNumber,
                            String payCode, String payName, String payTransactionId, String batchNumbers, String consignee,
                            String consigneeTelephone, String consigneeAddress, String consigneeDistrict,
                            String consigneeDitrict, String note) {
    }

    public record OrderLine(String gnum, String itemNo, String itemName, String gmodel, String itemDescribe, String barCode,
                            String unit, String qty, String price, String totalPrice, String currency, String country,
                            String note) {
    }

    // ---- CEB411: the payment (支付单), filed by the payment firm

    @JsonIgnoreProperties({"version", "schemaLocation", "Signature"})
    public record Ceb411(String guid, @JsonProperty("Payment") List<Payment> payment,
                         @JsonProperty("BaseTransfer") BaseTransfer baseTransfer,
                         @JsonProperty("BaseSubscribe") List<BaseSubscribe> baseSubscribe,
                         @JsonProperty("ExtendMessage") ExtendMessage extendMessage) implements Message {
    }

    public record Payment(@JsonProperty("PaymentHead") PaymentHead head) {
    }

    public record PaymentHead(String guid, String appType, String appTime, String appStatus, String payCode, String payName,
                              String payTransactionId, String orderNo, String ebpCode, String ebpName, String payerIdType,
                              String payerIdNumber, String payerName, String telephone, String amountPaid, String currency,
                              String payTime, String note) {
    }

    // ---- CEB511: the waybill (运单), filed by the logistics firm

    @JsonIgnoreProperties({"version", "schemaLocation", "Signature"})
    public record Ceb511(String guid, @JsonProperty("Logistics") List<Logistics> logistics,
                         @JsonProperty("BaseTransfer") BaseTransfer baseTransfer,
                         @JsonProperty("BaseSubscribe") List<BaseSubscribe> baseSubscribe,
                         @JsonProperty("ExtendMessage") ExtendMessage extendMessage) implements Message {
    }

    public record Logistics(@JsonProperty("LogisticsHead") LogisticsHead head) {
    }

    public record LogisticsHead(String guid, String appType, String appTime, String appStatus, String logisticsCode,
                                String logisticsName, String logisticsNo, String billNo, String orderNo, String freight,
                                String insuredFee, String currency, String weight, String packNo, String goodsInfo,
                                String consignee, String consigneeAddress, String consigneeTelephone, String note) {
    }

    // ---- for logistics, handed on by the window (LogisticsMessages): not part of an order's four documents

    /** CEB711: a supervised site's arrival record of direct imports (入库明细单), sent by the site's operator. */
    @JsonIgnoreProperties({"version", "schemaLocation", "Signature"})
    public record Ceb711(String guid, @JsonProperty("Delivery") List<Delivery> delivery,
                         @JsonProperty("BaseTransfer") BaseTransfer baseTransfer) {
    }

    public record Delivery(@JsonProperty("DeliveryHead") DeliveryHead head, @JsonProperty("DeliveryList") List<DeliveryLine> lines) {
    }

    public record DeliveryHead(String guid, String appType, String appTime, String appStatus, String customsCode, String copNo,
                               String preNo, String rkdNo, String operatorCode, String operatorName, String ieFlag, String trafMode,
                               String trafNo, String voyageNo, String billNo, String logisticsCode, String logisticsName,
                               String unloadLocation, String note) {
    }

    public record DeliveryLine(String gnum, String logisticsNo, String note) {
    }

    /** CEB513: a waybill's status (物流运单状态) — its delivery to the consignee, status S — sent by the logistics firm. */
    @JsonIgnoreProperties({"version", "schemaLocation", "Signature"})
    public record Ceb513(String guid, @JsonProperty("LogisticsStatus") List<LogisticsStatus> status,
                         @JsonProperty("BaseTransfer") BaseTransfer baseTransfer) {
    }

    public record LogisticsStatus(String guid, String appType, String appTime, String appStatus, String logisticsCode,
                                  String logisticsName, String logisticsNo, String logisticsStatus, String logisticsTime,
                                  String note) {
    }
}
