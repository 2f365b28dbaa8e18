package org.singlewindow.declaration.ceb;

import org.singlewindow.contract.Json;
import org.singlewindow.contract.Violation;
import org.singlewindow.contract.reference.CebCodeLists;
import org.singlewindow.kit.web.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Puts the four CEB documents of one order together as the contract's declaration (the JSON a
 * {@code POST /api/v1/declarations} would carry), remembering where in which message each field came from,
 * so that every rule the contract finds broken is reported against the element the enterprise sent. What
 * comes from where:
 * <ul>
 *     <li>the list (CEB621): guid, the parties and their names, the buyer, the lines, the waybill number and
 *     weights, the bonded site ({@code loctNo}, or the warehouse of the bonded account {@code emsNo} →
 *     {@code logistics.warehouseCode}), the declarant, customs office
 *     and withholding agent; {@code tradeMode} 1210 or 9610 → {@code declarationType};</li>
 *     <li>the order (CEB311): the amounts ({@code goodsValue}, {@code freight}, {@code discount}, {@code taxTotal},
 *     {@code acturalPaid} → {@code actualPaid}), its currency and its consignee;</li>
 *     <li>the payment (CEB411): the payment firm, transaction, amount, payer and time;</li>
 *     <li>the waybill (CEB511): freight, insurance and the consignee the parcel goes to.</li>
 * </ul>
 * Country and currency codes go through {@link CebCodeLists}; times ({@code yyyyMMddHHmmss}, China Standard Time)
 * become RFC 3339 with {@code +08:00}; amounts and quantities are decimal numbers.
 */
final class CebAssembly {

    private static final DateTimeFormatter CEB_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    private final CebCodeLists codes;
    private final ObjectNode root = Json.mapper().createObjectNode();
    private final Map<String, String> origin = new HashMap<>();
    private final List<Violation> problems = new ArrayList<>();

    CebAssembly(CebCodeLists codes, org.singlewindow.contract.reference.PartyRegister register, String sender,
                org.singlewindow.contract.Declaration.AppType appType, CebMessages.Ceb621 list, CebMessages.Ceb311 order, CebMessages.Ceb411 payment,
                CebMessages.Ceb511 waybill) {
        this.codes = codes;
        var inventory = list.inventory().getFirst();
        var i = inventory.head();
        var o = order.order().getFirst().head();
        var p = payment.payment().getFirst().head();
        var w = waybill.logistics().getFirst().head();
        String ih = "/ceb:CEB621Message/ceb:Inventory/ceb:InventoryHead";
        String oh = "/ceb:CEB311Message/ceb:Order/ceb:OrderHead";
        String ph = "/ceb:CEB411Message/ceb:Payment/ceb:PaymentHead";
        String wh = "/ceb:CEB511Message/ceb:Logistics/ceb:LogisticsHead";
        origin.put("", "/ceb:CEB621Message");
        origin.put("/order", oh);
        origin.put("/order/buyer", ih);
        origin.put("/items", "/ceb:CEB621Message/ceb:Inventory/ceb:InventoryList");
        origin.put("/payment", ph);
        origin.put("/logistics", wh);
        origin.put("/declarant", ih);

        text("/guid", i.guid() == null ? null : declarationGuid(sender, i.guid()).toString(), ih + "/ceb:guid");
        text("/appType", appType.name(), ih + "/ceb:appType");
        text("/declarationType", switch (String.valueOf(i.tradeMode())) {
            case "1210" -> "BONDED_IMPORT_1210";
            case "9610" -> "DIRECT_IMPORT_9610";
            default -> {
                problems.add(new Violation(ih + "/ceb:tradeMode", "enum", "must be 1210 (bonded import) or 9610 (direct import)"));
                yield null;
            }
        }, ih + "/ceb:tradeMode");

        text("/order/orderNo", i.orderNo(), ih + "/ceb:orderNo");
        text("/order/ebpCode", i.ebpCode(), ih + "/ceb:ebpCode");
        text("/order/ebpName", i.ebpName(), ih + "/ceb:ebpName");
        text("/order/ebcCode", i.ebcCode(), ih + "/ceb:ebcCode");
        text("/order/ebcName", i.ebcName(), ih + "/ceb:ebcName");
        same(oh + "/ceb:ebcCode", o.ebcCode(), i.ebcCode(), "the list's ebcCode");
        number("/order/goodsValue", o.goodsValue(), oh + "/ceb:goodsValue");
        number("/order/freight", o.freight(), oh + "/ceb:freight");
        number("/order/discount", o.discount(), oh + "/ceb:discount");
        number("/order/taxTotal", o.taxTotal(), oh + "/ceb:taxTotal");
        number("/order/actualPaid", o.acturalPaid(), oh + "/ceb:acturalPaid");
        code("/order/currency", o.currency(), oh + "/ceb:currency", codes::currencyIso, "currency");
        text("/order/buyer/name", i.buyerName(), ih + "/ceb:buyerName");
        text("/order/buyer/idType", i.buyerIdType(), ih + "/ceb:buyerIdType");
        text("/order/buyer/idNumber", i.buyerIdNumber(), ih + "/ceb:buyerIdNumber");
        text("/order/buyer/telephone", i.buyerTelephone(), ih + "/ceb:buyerTelephone");
        origin.put("/order/consignee", oh);
        text("/order/consignee/name", o.consignee(), oh + "/ceb:consignee");
        text("/order/consignee/telephone", o.consigneeTelephone(), oh + "/ceb:consigneeTelephone");
        text("/order/consignee/address", o.consigneeAddress(), oh + "/ceb:consigneeAddress");

        List<CebMessages.InventoryLine> lines = inventory.lines();
        for (int n = 0; n < lines.size(); n++) {
            var l = lines.get(n);
            String at = "/ceb:CEB621Message/ceb:Inventory/ceb:InventoryList[" + (n + 1) + "]";
            String item = "/items/" + n;
            origin.put(item, at);
            number(item + "/gnum", l.gnum(), at + "/ceb:gnum");
            text(item + "/itemRecordNo", l.itemRecordNo(), at + "/ceb:itemRecordNo");
            text(item + "/itemNo", l.itemNo(), at + "/ceb:itemNo");
            text(item + "/hsCode", l.gcode(), at + "/ceb:gcode");
            text(item + "/name", l.gname(), at + "/ceb:gname");
            // the standard's "无" (none) for goods without a bar code
            text(item + "/barCode", "无".equals(l.barCode()) ? null : l.barCode(), at + "/ceb:barCode");
            code(item + "/originCountry", l.country(), at + "/ceb:country", codes::countryIso, "country");
            text(item + "/gmodel", l.gmodel(), at + "/ceb:gmodel");
            number(item + "/quantity", l.qty(), at + "/ceb:qty");
            text(item + "/unit", l.unit(), at + "/ceb:unit");
            number(item + "/qty1", l.qty1(), at + "/ceb:qty1");
            text(item + "/unit1", l.unit1(), at + "/ceb:unit1");
            number(item + "/qty2", l.qty2(), at + "/ceb:qty2");
            text(item + "/unit2", l.unit2(), at + "/ceb:unit2");
            number(item + "/unitPrice", l.price(), at + "/ceb:price");
            number(item + "/totalPrice", l.totalPrice(), at + "/ceb:totalPrice");
            code(item + "/currency", l.currency(), at + "/ceb:currency", codes::currencyIso, "currency");
        }

        text("/payment/payCode", p.payCode(), ph + "/ceb:payCode");
        text("/payment/payName", p.payName(), ph + "/ceb:payName");
        text("/payment/payTransactionId", p.payTransactionId(), ph + "/ceb:payTransactionId");
        same(ph + "/ceb:payTransactionId", p.payTransactionId(), o.payTransactionId(), "the order's payTransactionId");
        same(ph + "/ceb:payCode", p.payCode(), o.payCode(), "the order's payCode");
        number("/payment/amountPaid", p.amountPaid(), ph + "/ceb:amountPaid");
        code("/payment/currency", p.currency(), ph + "/ceb:currency", codes::currencyIso, "currency");
        text("/payment/payerName", p.payerName(), ph + "/ceb:payerName");
        text("/payment/payerIdType", p.payerIdType(), ph + "/ceb:payerIdType");
        text("/payment/payerIdNumber", p.payerIdNumber(), ph + "/ceb:payerIdNumber");
        time("/payment/payTime", p.payTime(), ph + "/ceb:payTime");

        text("/logistics/logisticsCode", i.logisticsCode(), ih + "/ceb:logisticsCode");
        text("/logistics/logisticsName", i.logisticsName(), ih + "/ceb:logisticsName");
        text("/logistics/logisticsNo", i.logisticsNo(), ih + "/ceb:logisticsNo");
        same(wh + "/ceb:orderNo", w.orderNo(), i.orderNo(), "the list's orderNo");
        text("/logistics/warehouseCode", site(register, i, ih), ih + "/ceb:loctNo");
        number("/logistics/freight", w.freight(), wh + "/ceb:freight");
        number("/logistics/insuredFee", w.insuredFee(), wh + "/ceb:insuredFee");
        number("/logistics/grossWeight", i.grossWeight(), ih + "/ceb:grossWeight");
        number("/logistics/netWeight", i.netWeight(), ih + "/ceb:netWeight");
        origin.put("/logistics/consignee", wh);
        text("/logistics/consignee/name", w.consignee(), wh + "/ceb:consignee");
        text("/logistics/consignee/telephone", w.consigneeTelephone(), wh + "/ceb:consigneeTelephone");
        text("/logistics/consignee/address", w.consigneeAddress(), wh + "/ceb:consigneeAddress");

        text("/declarant/agentCode", i.agentCode(), ih + "/ceb:agentCode");
        text("/declarant/agentName", i.agentName(), ih + "/ceb:agentName");
        text("/declarant/customsCode", i.customsCode(), ih + "/ceb:customsCode");
        text("/declarant/assureCode", i.assureCode(), ih + "/ceb:assureCode");
    }

    /** The declaration as the contract's JSON, or the problems found putting it together. */
    byte[] json() {
        if (!problems.isEmpty()) {
            if (problems.stream().allMatch(v -> v.rule().equals("party-register"))) {
                throw new ApiException(org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT, "Not in the party register",
                        "the list names what the party register does not have", problems);
            }
            throw ApiException.invalid(problems);
        }
        return Json.mapper().writeValueAsBytes(root);
    }

    /** The contract's violations, each named by the element it came from. */
    List<Violation> locate(List<Violation> violations) {
        List<Violation> located = new ArrayList<>(violations.size());
        for (Violation v : violations) {
            located.add(new Violation(where(v.field()), v.rule(), v.message()));
        }
        return located;
    }

    private String where(String pointer) {
        String at = pointer;
        while (true) {
            String found = origin.get(at);
            if (found != null) {
                return found;
            }
            int slash = at.lastIndexOf('/');
            if (slash < 0) {
                return pointer;
            }
            at = at.substring(0, slash);
        }
    }

    private void text(String pointer, String value, String ceb) {
        origin.put(pointer, ceb);
        if (value != null && !value.isBlank()) {
            put(pointer, Json.mapper().getNodeFactory().stringNode(value.strip()));
        }
    }

    private void number(String pointer, String value, String ceb) {
        origin.put(pointer, ceb);
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            BigDecimal number = new BigDecimal(value.strip());
            put(pointer, number.scale() <= 0 && number.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) < 0
                    ? Json.mapper().getNodeFactory().numberNode(number.intValueExact())
                    : Json.mapper().getNodeFactory().numberNode(number));
        } catch (NumberFormatException | ArithmeticException e) {
            problems.add(new Violation(ceb, "number", "must be a decimal number, not '" + value + "'"));
        }
    }

    private void code(String pointer, String value, String ceb, Function<String, Optional<String>> lookup, String what) {
        origin.put(pointer, ceb);
        if (value == null || value.isBlank()) {
            return;
        }
        Optional<String> iso = lookup.apply(value.strip());
        if (iso.isEmpty()) {
            problems.add(new Violation(ceb, what, "'" + value + "' is not a customs " + what + " code of the code lists "
                    + codes.version() + " (" + ("country".equals(what) ? "e.g. 142 China, 502 United States"
                    : "e.g. 142 yuan renminbi, 502 US dollar") + ")"));
            return;
        }
        put(pointer, Json.mapper().getNodeFactory().stringNode(iso.get()));
    }

    private void time(String pointer, String value, String ceb) {
        origin.put(pointer, ceb);
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            put(pointer, Json.mapper().getNodeFactory().stringNode(
                    LocalDateTime.parse(value.strip(), CEB_TIME).atOffset(CHINA).toString()));
        } catch (DateTimeParseException e) {
            problems.add(new Violation(ceb, "pattern", "must be yyyyMMddHHmmss (China Standard Time), not '" + value + "'"));
        }
    }

    /**
     * The bonded site the goods leave: the list's {@code loctNo}, or — a bonded list may name its account
     * ({@code emsNo}) and its zone enterprise ({@code areaCode}) instead — the warehouse the party register
     * keeps that account in. Named both ways, they must agree.
     */
    private String site(org.singlewindow.contract.reference.PartyRegister register, CebMessages.InventoryHead i, String ih) {
        boolean named = i.loctNo() != null && !i.loctNo().isBlank();
        if (i.emsNo() == null || i.emsNo().isBlank()) {
            return named ? i.loctNo() : null;
        }
        var account = register.warehouseOfAccount(i.emsNo());
        if (account.isEmpty()) {
            if (!named) {
                problems.add(new Violation(ih + "/ceb:emsNo", "party-register",
                        "'" + i.emsNo() + "' is not a registered bonded account, and the list names no site (loctNo)"));
            }
            return named ? i.loctNo() : null;
        }
        if (i.areaCode() != null && !i.areaCode().isBlank() && !i.areaCode().equals(account.get().getValue())) {
            problems.add(new Violation(ih + "/ceb:areaCode", "match",
                    "'" + i.areaCode() + "' is not the zone enterprise that keeps bonded account " + i.emsNo()));
        }
        if (named && !i.loctNo().equals(account.get().getKey())) {
            problems.add(new Violation(ih + "/ceb:loctNo", "match",
                    "'" + i.loctNo() + "' is not the site bonded account " + i.emsNo() + " keeps its goods in"));
        }
        return account.get().getKey();
    }

    /**
     * The declaration's guid (the contract's is a UUID) for the list's: the same UUID when the list's guid is one,
     * otherwise one derived from the sender and the guid (RFC 4122 name-based), the same every time. The list's
     * own guid stays on its document and is what CEB622 answers with.
     */
    static java.util.UUID declarationGuid(String sender, String guid) {
        try {
            if (guid.length() == 36) {
                return java.util.UUID.fromString(guid);
            }
        } catch (IllegalArgumentException notAUuid) {
            // a guid of the sender's own form
        }
        return java.util.UUID.nameUUIDFromBytes(("CEB621 " + sender + " " + guid).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void same(String ceb, String value, String other, String what) {
        if (value != null && other != null && !value.isBlank() && !other.isBlank() && !value.strip().equals(other.strip())) {
            problems.add(new Violation(ceb, "match", "'" + value + "' does not match " + what + " '" + other + "'"));
        }
    }

    private void put(String pointer, JsonNode value) {
        String[] parts = pointer.substring(1).split("/");
        JsonNode node = root;
        for (int n = 0; n < parts.length - 1; n++) {
            boolean nextIsIndex = parts[n + 1].chars().allMatch(Character::isDigit);
            if (node instanceof ObjectNode object) {
                JsonNode child = object.get(parts[n]);
                if (child == null) {
                    child = nextIsIndex ? object.putArray(parts[n]) : object.putObject(parts[n]);
                }
                node = child;
            } else if (node instanceof ArrayNode array) {
                int index = Integer.parseInt(parts[n]);
                while (array.size() <= index) {
                    array.addObject();
                }
                node = array.get(index);
            }
        }
        ((ObjectNode) node).set(parts[parts.length - 1], value);
    }
}
