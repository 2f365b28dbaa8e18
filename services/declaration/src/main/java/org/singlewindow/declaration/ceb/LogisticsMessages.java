package org.singlewindow.declaration.ceb;

import feign.FeignException;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Violation;
import org.singlewindow.contract.reference.PartyRegister;
import org.singlewindow.kit.reference.ReferenceData;
import org.singlewindow.kit.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The CEB messages the window's door takes for logistics, which owns what they say: a supervised site's arrival
 * record of direct imports (CEB711 入库明细单, answered CEB712) and a logistics firm's delivery of a waybill (CEB513
 * 物流运单状态 with status S, answered CEB514). Each is read as safely as the four documents of an order, its signature
 * verified against its sender's registration, its parties checked (the site's operator is the sender; the waybill's
 * logistics firm is the sender, or entrusted it, or — unless {@code sw.ceb.strict} — authorised it), and handed on to logistics in the sender's name; logistics' answer — or its problem,
 * each field named by its element — is the sender's. Nothing is kept here: logistics keeps the record, and a message
 * logistics could not take (unreachable) is refused with 503 for the sender to send again.
 */
@Component
class LogisticsMessages {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LogisticsMessages.class);

    static final String CEB711 = "CEB711Message";
    static final String CEB513 = "CEB513Message";
    private static final DateTimeFormatter CEB_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    /** What the door did with one message: its kind, guid, what logistics answered, and the receipt's identity. */
    record Handed(String kind, String guid, String status, JsonNode answer, Map<String, String> identity,
                  XmlSignatures.Verified signature) {
    }

    private final LogisticsClient logistics;
    private final java.util.function.Supplier<PartyRegister> parties;
    /** Each party its own ({@code sw.ceb.strict}): a firm's waybill status from the firm, or the operator it entrusted. */
    private final boolean strict;

    @org.springframework.beans.factory.annotation.Autowired
    LogisticsMessages(LogisticsClient logistics, ReferenceData<PartyRegister> parties,
                      @org.springframework.beans.factory.annotation.Value("${sw.ceb.strict:false}") boolean strict) {
        this(logistics, parties::get, strict);
    }

    /** With the register in force given by {@code parties} (a test's own). */
    LogisticsMessages(LogisticsClient logistics, java.util.function.Supplier<PartyRegister> parties, boolean strict) {
        this.logistics = logistics;
        this.parties = parties;
        this.strict = strict;
    }

    /** The root of a message this door takes ({@link #CEB711}, {@link #CEB513}), or null for any other. */
    static String rootOf(byte[] xml) {
        String start = new String(xml, 0, Math.min(xml.length, 1024), StandardCharsets.UTF_8);
        return start.contains(CEB711) ? CEB711 : start.contains(CEB513) ? CEB513 : null;
    }

    Handed take(byte[] xml, String sender) {
        Document document = CebXml.parse(xml);
        Element root = document.getDocumentElement();
        String name = root.getLocalName();
        if (!CebXml.NAMESPACE.equals(root.getNamespaceURI()) || !(CEB711.equals(name) || CEB513.equals(name))) {
            throw CebXml.refused("/" + root.getTagName(), "message", "the root must be ceb:CEB711Message or ceb:CEB513Message in "
                    + "namespace " + CebXml.NAMESPACE);
        }
        XmlSignatures.Verified verified = CebFiling.signature(document, name, parties.get(), sender);
        return CEB711.equals(name) ? arrival(CebXml.bind(xml, CebMessages.Ceb711.class, name), sender, verified)
                : delivery(CebXml.bind(xml, CebMessages.Ceb513.class, name), sender, verified);
    }

    private Handed arrival(CebMessages.Ceb711 message, String sender, XmlSignatures.Verified verified) {
        String at = "/ceb:CEB711Message/ceb:Delivery/ceb:DeliveryHead";
        if (message.delivery() == null || message.delivery().size() != 1 || message.delivery().getFirst().head() == null) {
            throw CebXml.refused("/ceb:CEB711Message/ceb:Delivery", "maxItems", "one Delivery (its head and its parcels) per message");
        }
        CebMessages.Delivery delivery = message.delivery().getFirst();
        CebMessages.DeliveryHead h = delivery.head();
        List<Violation> problems = new ArrayList<>();
        if (!"1".equals(h.appType())) {
            problems.add(new Violation(at + "/ceb:appType", "supported", "must be 1: a parcel's arrival is recorded once, "
                    + "neither changed nor deleted"));
        }
        if (!sender.equals(h.operatorCode())) {
            problems.add(new Violation(at + "/ceb:operatorCode", "own-document", "must be the sender " + sender
                    + ": a site's operator records its own arrivals"));
        }
        if (!problems.isEmpty()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Not taken", "the arrival record is not the sender's to send",
                    problems);
        }
        List<Map<String, String>> waybills = new ArrayList<>();
        for (CebMessages.DeliveryLine line : delivery.lines() == null ? List.<CebMessages.DeliveryLine>of() : delivery.lines()) {
            Map<String, String> parcel = new LinkedHashMap<>();
            parcel.put("logisticsCode", h.logisticsCode());
            parcel.put("logisticsNo", line.logisticsNo());
            waybills.add(parcel);
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("arrivalNo", blank(h.rkdNo()) ? h.copNo() : h.rkdNo());
        record.put("siteCode", h.unloadLocation());
        record.put("billNo", blank(h.billNo()) ? null : h.billNo());
        record.put("arrivedAt", time(h.appTime(), at + "/ceb:appTime"));
        record.put("waybills", waybills);
        Map<String, Object> sent = new LinkedHashMap<>();
        sent.put("sender", sender);
        sent.put("arrival", record);
        JsonNode answer = handOn(() -> logistics.arrival(sent), field -> switch (field) {
            case "/arrivalNo" -> at + "/ceb:rkdNo";
            case "/siteCode" -> at + "/ceb:unloadLocation";
            case "/billNo" -> at + "/ceb:billNo";
            case "/arrivedAt" -> at + "/ceb:appTime";
            case "/waybills" -> "/ceb:CEB711Message/ceb:Delivery/ceb:DeliveryList";
            default -> field.matches("/waybills/\\d+/logisticsCode") ? at + "/ceb:logisticsCode"
                    : field.matches("/waybills/\\d+.*") ? "/ceb:CEB711Message/ceb:Delivery/ceb:DeliveryList["
                    + (Integer.parseInt(field.replaceAll("/waybills/(\\d+).*", "$1")) + 1) + "]"
                    + (field.endsWith("/logisticsNo") ? "/ceb:logisticsNo" : "") : "/ceb:CEB711Message" + field;
        });
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("guid", h.guid());
        identity.put("customsCode", h.customsCode());
        identity.put("operatorCode", h.operatorCode());
        identity.put("copNo", h.copNo());
        identity.put("preNo", h.preNo());
        identity.put("rkdNo", String.valueOf(record.get("arrivalNo")));
        return new Handed("CEB711", h.guid(), "RECORDED", answer, identity, verified);
    }

    private Handed delivery(CebMessages.Ceb513 message, String sender, XmlSignatures.Verified verified) {
        String at = "/ceb:CEB513Message/ceb:LogisticsStatus";
        if (message.status() == null || message.status().size() != 1) {
            throw CebXml.refused(at, "maxItems", "one LogisticsStatus per message");
        }
        CebMessages.LogisticsStatus s = message.status().getFirst();
        List<Violation> problems = new ArrayList<>();
        if (!"1".equals(s.appType())) {
            problems.add(new Violation(at + "/ceb:appType", "supported", "must be 1: a delivery is reported once"));
        }
        if (!"S".equals(s.logisticsStatus())) {
            problems.add(new Violation(at + "/ceb:logisticsStatus", "enum", "must be S (签收: delivered to the consignee), as "
                    + "the standard limits it"));
        }
        PartyRegister register = parties.get();
        boolean mayReport = sender.equals(s.logisticsCode()) || register.entrusted(sender, s.logisticsCode())
                || !strict && register.mayActAs(sender, s.logisticsCode(), PartyRegister.Role.LOGISTICS_FIRM);
        if (!mayReport) {
            problems.add(new Violation(at + "/ceb:logisticsCode", "own-document", "must be the sender " + sender
                    + " (a logistics firm reports its own waybills), or a firm that entrusted it"
                    + (strict ? "" : " or authorised it as its agent")));
        }
        if (!problems.isEmpty()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Not taken", "the waybill's status is not the sender's to send",
                    problems);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("status", "DELIVERED");
        event.put("at", time(s.logisticsTime(), at + "/ceb:logisticsTime"));
        event.put("note", blank(s.note()) ? "CEB513 " + s.guid() : s.note());
        Map<String, Object> sent = new LinkedHashMap<>();
        sent.put("sender", sender);
        sent.put("event", event);
        JsonNode answer = handOn(() -> logistics.event(s.logisticsNo(), sent), field -> switch (field) {
            case "/at" -> at + "/ceb:logisticsTime";
            case "/note" -> at + "/ceb:note";
            default -> at + "/ceb:logisticsNo";
        });
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("guid", s.guid());
        identity.put("logisticsCode", s.logisticsCode());
        identity.put("logisticsNo", s.logisticsNo());
        identity.put("logisticsStatus", s.logisticsStatus());
        return new Handed("CEB513", s.guid(), "DELIVERED", answer, identity, verified);
    }

    /** The receipt answering a message this door took, or refused (a negative status, as CebController answers). */
    static byte[] receipt(String kind, Map<String, String> identity, int returnStatus, String info) {
        boolean arrival = "CEB711".equals(kind);
        return PartyReceipts.render(arrival ? "CEB712Message" : "CEB514Message", arrival ? "DeliveryReturn" : "LogisticsStatusReturn",
                java.util.UUID.randomUUID(), List.of(new PartyReceipts.Block(identity, returnStatus, info)), OffsetDateTime.now());
    }

    /** The identity of a message refused before it was understood: its guid, when it can be read. */
    static Map<String, String> identityOf(byte[] xml) {
        String text = new String(xml, StandardCharsets.UTF_8);
        java.util.regex.Matcher guid = java.util.regex.Pattern.compile("<(?:\\w+:)?guid>([^<]{1,64})</(?:\\w+:)?guid>").matcher(text);
        return Map.of("guid", guid.find() ? guid.group(1) : "");
    }

    /** Logistics' answer; its problem as the sender's, each field named by its element; 503 when it cannot be reached. */
    private static JsonNode handOn(java.util.function.Supplier<String> call, UnaryOperator<String> element) {
        try {
            return Json.mapper().readTree(call.get());
        } catch (RuntimeException e) {
            FeignException feign = feignCause(e);
            if (feign != null && feign.status() >= 400 && feign.status() < 500) {
                JsonNode problem = problemOf(feign);
                List<Violation> violations = new ArrayList<>();
                for (JsonNode v : problem.path("errors")) {
                    violations.add(new Violation(element.apply(v.path("field").asString("")), v.path("rule").asString(""),
                            v.path("message").asString("")));
                }
                throw new ApiException(HttpStatus.valueOf(feign.status()), problem.path("title").asString("Refused by logistics"),
                        problem.path("detail").asString(""), violations);
            }
            log.warn("handing a CEB message on to logistics failed: {}", e.toString(), e);
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Logistics unavailable",
                    "the logistics service could not take the message now: nothing was recorded, send it again", List.of());
        }
    }

    private static FeignException feignCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FeignException f) {
                return f;
            }
        }
        return null;
    }

    private static JsonNode problemOf(FeignException feign) {
        try {
            return Json.mapper().readTree(feign.contentUTF8());
        } catch (RuntimeException unreadable) {
            return Json.mapper().createObjectNode();
        }
    }

    /** A CEB time (yyyyMMddHHmmss, China Standard Time) as ISO-8601; a 400 naming the element otherwise. */
    private static String time(String value, String element) {
        try {
            return LocalDateTime.parse(value == null ? "" : value, CEB_TIME).atZone(CHINA).toOffsetDateTime().toString();
        } catch (DateTimeParseException e) {
            throw CebXml.refused(element, "format", "a time as yyyyMMddHHmmss (China Standard Time)");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
