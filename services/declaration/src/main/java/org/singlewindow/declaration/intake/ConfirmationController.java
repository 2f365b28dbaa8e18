package org.singlewindow.declaration.intake;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Violation;
import org.singlewindow.contract.reference.PartyRegister;
import org.singlewindow.contract.reference.PartyRegister.Role;
import org.singlewindow.kit.reference.ReferenceData;
import org.singlewindow.kit.security.Tenant;
import org.singlewindow.kit.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payment firm's and the logistics firm's own confirmation of their part of an order, where each party
 * transmits its own ({@code sw.ceb.strict}; {@link PartyConfirmations}): the JSON counterpart of their own CEB411
 * and CEB511. The caller is the firm itself, registered as one.
 */
@Tag(name = "Declarations", description = "Declarations: file once, follow every agency, amend, cancel, withdraw, return.")
@RestController
@RequestMapping("/api/v1/declarations/confirmations")
class ConfirmationController {

    private final PartyConfirmations confirmations;
    private final ReferenceData<PartyRegister> parties;

    ConfirmationController(PartyConfirmations confirmations, ReferenceData<PartyRegister> parties) {
        this.confirmations = confirmations;
        this.parties = parties;
    }

    /**
     * The payment firm confirms its payment of an order: {@code {"ebpCode", "orderNo", "payCode", "payTransactionId",
     * "amountPaid", "currency"}} (the payment firm's own code, the platform's order, its transaction, the amount and
     * its ISO currency). 202 {@code CONFIRMED} (a declaration waited for it; {@code released} when it now goes to the
     * agencies), {@code KEPT} (none names it yet: kept until one does) or {@code DOES_NOT_MATCH} ({@code differs}
     * names the declaration's fields; its declaring agent is told).
     */
    @PostMapping(path = "/payment", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PartyConfirmations.Confirmed> payment(@AuthenticationPrincipal Jwt token, @RequestBody byte[] body) {
        JsonNode json = read(body);
        List<Violation> problems = new ArrayList<>();
        String ebpCode = code(json, "ebpCode", problems);
        String orderNo = text(json, "orderNo", 60, problems);
        String payCode = code(json, "payCode", problems);
        String transaction = text(json, "payTransactionId", 60, problems);
        BigDecimal amount = amount(json, "amountPaid", true, problems);
        String currency = text(json, "currency", 3, problems);
        if (currency != null && !currency.matches("[A-Z]{3}")) {
            problems.add(new Violation("/currency", "pattern", "an ISO 4217 code, such as CNY"));
        }
        refuseIfAny(problems);
        String caller = firm(token, payCode, "/payCode", Role.PAYMENT_FIRM);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("amountPaid", amount.toPlainString());
        fields.put("currency", currency);
        return ResponseEntity.accepted().body(confirmations.confirm(PartyConfirmations.Role.PAYMENT, caller, ebpCode, orderNo,
                transaction, fields, "JSON"));
    }

    /**
     * The logistics firm confirms its waybill of an order: {@code {"orderNo", "logisticsCode", "logisticsNo", "freight",
     * "insuredFee"}} (its own code and waybill number; freight and insurance in the order's currency, each optional).
     * Answered as a payment's confirmation is.
     */
    @PostMapping(path = "/waybill", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PartyConfirmations.Confirmed> waybill(@AuthenticationPrincipal Jwt token, @RequestBody byte[] body) {
        JsonNode json = read(body);
        List<Violation> problems = new ArrayList<>();
        String orderNo = text(json, "orderNo", 60, problems);
        String logisticsCode = code(json, "logisticsCode", problems);
        String waybill = text(json, "logisticsNo", 60, problems);
        BigDecimal freight = amount(json, "freight", false, problems);
        BigDecimal insuredFee = amount(json, "insuredFee", false, problems);
        refuseIfAny(problems);
        String caller = firm(token, logisticsCode, "/logisticsCode", Role.LOGISTICS_FIRM);
        Map<String, String> fields = new LinkedHashMap<>();
        if (freight != null) {
            fields.put("freight", freight.toPlainString());
        }
        if (insuredFee != null) {
            fields.put("insuredFee", insuredFee.toPlainString());
        }
        return ResponseEntity.accepted().body(confirmations.confirm(PartyConfirmations.Role.WAYBILL, caller, null, orderNo,
                waybill, fields, "JSON"));
    }

    /** The caller, when it is the firm it confirms for, registered as one; a 422 otherwise, and a 409 where none is asked for. */
    private String firm(Jwt token, String code, String field, Role role) {
        if (!confirmations.strict()) {
            throw ApiException.conflict("each party's own confirmation is not asked for in this deployment (sw.ceb.strict is "
                    + "off): a declaration goes to the agencies as its declaring agent filed it");
        }
        String caller = Tenant.enterpriseId(token);
        if (!caller.equals(code) || !parties.get().holds(caller, role)) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Not the firm's own",
                    "a firm confirms only its own part, in its own name (GACC 2018 No.194 item 8)",
                    List.of(new Violation(field, "tenant", "must be the token's enterprise_id, registered as a "
                            + (role == Role.PAYMENT_FIRM ? "payment firm" : "logistics firm"))));
        }
        return caller;
    }

    private static JsonNode read(byte[] body) {
        try {
            JsonNode json = Json.mapper().readTree(body);
            if (json == null || !json.isObject()) {
                throw ApiException.invalid("", "type", "a JSON object");
            }
            return json;
        } catch (JacksonException e) {
            throw ApiException.invalid("", "json", "not well-formed JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode json, String name, int max, List<Violation> problems) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull() || !value.isString() || value.asString().isBlank()) {
            problems.add(new Violation("/" + name, "required", "a text of 1 to " + max + " characters"));
            return null;
        }
        if (value.asString().length() > max) {
            problems.add(new Violation("/" + name, "maxLength", "at most " + max + " characters"));
            return null;
        }
        return value.asString();
    }

    private static String code(JsonNode json, String name, List<Violation> problems) {
        String code = text(json, name, 10, problems);
        if (code != null && !code.matches("[0-9A-Z]{10}")) {
            problems.add(new Violation("/" + name, "pattern", "a registered code: 10 digits or capital letters"));
        }
        return code;
    }

    private static BigDecimal amount(JsonNode json, String name, boolean required, List<Violation> problems) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                problems.add(new Violation("/" + name, "required", "an amount"));
            }
            return null;
        }
        if (!value.isNumber() || value.decimalValue().signum() < 0 || value.decimalValue().stripTrailingZeros().scale() > 2) {
            problems.add(new Violation("/" + name, "amount", "a number of at least 0 with at most 2 decimals"));
            return null;
        }
        return value.decimalValue();
    }

    private static void refuseIfAny(List<Violation> problems) {
        if (!problems.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid confirmation", "the confirmation is not one the window takes",
                    problems);
        }
    }
}
