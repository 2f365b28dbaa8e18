package org.singlewindow.declaration.ceb;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.contract.Violation;
import org.singlewindow.contract.reference.CebCodeLists;
import org.singlewindow.kit.security.Tenant;
import org.singlewindow.kit.web.ApiException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The CEB XML interface: an enterprise's system sends the customs' own messages — CEB311 order, CEB411
 * payment, CEB511 waybill, CEB621 inventory list — one per request, signed or not as its registration
 * says ({@link CebFiling}); a site's arrival record (CEB711) and a waybill's delivery (CEB513) are handed on to
 * logistics ({@link LogisticsMessages}). Receipts come back as CEB622 ({@code GET /api/v1/declarations/{id}/receipts} with
 * {@code Accept: application/xml}, or a CEB_XML webhook subscription).
 */
@Tag(name = "CEB XML", description = "Customs' own XML messages (CEB311, CEB411, CEB511, CEB621) sent as they are; the code lists; the platform's certificate.")
@RestController
@RequestMapping("/api/v1/ceb")
class CebController {

    private final CebFiling filing;
    private final ReceiptSigning signing;
    private final LogisticsMessages logistics;

    CebController(CebFiling filing, ReceiptSigning signing, LogisticsMessages logistics) {
        this.filing = filing;
        this.signing = signing;
        this.logistics = logistics;
    }

    /**
     * The answer to a message of one document: FILED with the declaration (for its declaring agent), or AWAITING
     * with what the order still needs. A message of several documents is answered per document in
     * {@code documents} (each FILED, AWAITING, or REFUSED with its {@code problem}), {@code status} TAKEN, or
     * PARTLY_REFUSED when some were refused.
     */
    record Taken(String kind, String guid, String status, UUID declarationId, String location, boolean replayed,
                 List<String> awaiting, Signature signature, CebFiling.Findings problem, List<Taken> documents) {
    }

    /** The signature a message was verified by. */
    record Signature(String algorithm, String certificateSha256) {
    }

    /**
     * Take a message. Answered in JSON ({@link Taken}, or a problem), or — for a caller that asks for XML first
     * ({@code Accept: application/xml}), as a CEB client does — with customs' receipt for each document
     * ({@link #receipts}); the HTTP status is the same either way.
     */
    @PostMapping(path = "/messages", consumes = {MediaType.APPLICATION_XML_VALUE, MediaType.TEXT_XML_VALUE},
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_XML_VALUE, MediaType.TEXT_XML_VALUE})
    ResponseEntity<?> take(@AuthenticationPrincipal Jwt token, @RequestBody byte[] body,
                           @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        // the body is at most sw.http.max-body (1 MB): the kit's RequestBodyGuard refused a longer one unread
        String forLogistics = LogisticsMessages.rootOf(body);
        if (forLogistics != null) {
            return handOn(body, forLogistics, Tenant.enterpriseId(token), wantsXml(accept));
        }
        if (!wantsXml(accept)) {
            return answer(filing.take(body, Tenant.enterpriseId(token)));
        }
        try {
            return receipts(filing.take(body, Tenant.enterpriseId(token)));
        } catch (CebFiling.Refused refused) {
            return receipts(refused);
        }
    }

    /** What logistics recorded of a CEB711 or CEB513 the window handed on ({@link LogisticsMessages}). */
    record HandedOn(String kind, String guid, String status, tools.jackson.databind.JsonNode recorded, Signature signature) {
    }

    /**
     * A site's arrival record (CEB711) or a waybill's delivery (CEB513), handed on to logistics: answered in JSON, or
     * for a CEB client as CEB712 / CEB514 — {@code 2} taken, or minus the HTTP status with why.
     */
    private ResponseEntity<?> handOn(byte[] body, String root, String sender, boolean xml) {
        String kind = root.substring(0, 6);
        LogisticsMessages.Handed handed;
        try {
            handed = logistics.take(body, sender);
        } catch (ApiException refused) {
            if (!xml) {
                throw refused;
            }
            return ResponseEntity.status(refused.status()).contentType(MediaType.APPLICATION_XML).body(signing.sign(
                    LogisticsMessages.receipt(kind, LogisticsMessages.identityOf(body), -refused.status().value(),
                            refusal(refused.title(), refused.getMessage(), refused.violations()))));
        }
        if (xml) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(signing.sign(LogisticsMessages.receipt(kind,
                    handed.identity(), 2, clip("申报成功[" + handed.guid() + "]: " + (kind.equals("CEB711")
                            ? "the arrival is recorded by logistics" : "the delivery is recorded by logistics")))));
        }
        return ResponseEntity.ok(new HandedOn(handed.kind(), handed.guid(), handed.status(), handed.answer(),
                handed.signature() == null ? null : new Signature(handed.signature().algorithm(), handed.signature().fingerprint())));
    }

    /** Whether the caller's first choice is XML (a CEB client); no Accept, or JSON or anything first, is JSON. */
    static boolean wantsXml(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        try {
            // the first of the highest quality: application/xml or text/xml asked for by name
            MediaType first = MediaType.parseMediaTypes(accept).stream()
                    .max(java.util.Comparator.comparingDouble(MediaType::getQualityValue)).orElseThrow();
            return MediaType.APPLICATION_XML.equalsTypeAndSubtype(first) || MediaType.TEXT_XML.equalsTypeAndSubtype(first);
        } catch (org.springframework.util.InvalidMimeTypeException | java.util.NoSuchElementException e) {
            return false;
        }
    }

    /**
     * The documents' receipts, for a CEB client: one message of the kind's receipt (CEB312, CEB412, CEB512, CEB622)
     * with a block per document, in the message's order, signed as receipts are — {@code 2} (电子口岸申报中) with
     * "申报成功[guid]" and what happened for a document taken, or a negative {@code returnStatus}, as the standard has
     * an exception receipt, for one refused: minus the HTTP status ({@code -400} not taken for its form, {@code -404}
     * nothing of the sender's to change, {@code -409} a conflict, {@code -422} refused by the party register or its
     * signature), {@code returnInfo} the problem and each element with its rule.
     */
    private ResponseEntity<byte[]> receipts(CebFiling.Taken taken) {
        List<CebFiling.Answer> answers = taken.single() != null ? List.of(taken.single()) : taken.documents();
        List<PartyReceipts.Block> blocks = new java.util.ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            CebFiling.Answer answer = answers.get(i);
            Map<String, String> identity = taken.identities().get(i);
            blocks.add(answer.refused() != null
                    ? new PartyReceipts.Block(identity, -answer.refused().status(), refusal(answer.refused().title(),
                    answer.refused().detail(), answer.refused().errors()))
                    : new PartyReceipts.Block(identity, 2, accepted(answer)));
        }
        var response = ResponseEntity.accepted();
        if (taken.single() != null && taken.single().declarationId() != null) {
            response.location(URI.create("/api/v1/declarations/" + taken.single().declarationId()));
        }
        return response.contentType(MediaType.APPLICATION_XML)
                .body(signing.sign(PartyReceipts.render(taken.kind(), UUID.randomUUID(), blocks, OffsetDateTime.now())));
    }

    /** A message refused as a whole, as the documents' exception receipts; each document given the errors in it. */
    private ResponseEntity<byte[]> receipts(CebFiling.Refused refused) {
        List<Map<String, String>> identities = refused.identities();
        List<PartyReceipts.Block> blocks = new java.util.ArrayList<>();
        String block = "/ceb:" + switch (refused.kind()) {
            case CEB311 -> "Order";
            case CEB411 -> "Payment";
            case CEB511 -> "Logistics";
            case CEB621 -> "Inventory";
        };
        for (int i = 0; i < identities.size(); i++) {
            String mine = block + "[" + (i + 1) + "]";
            List<Violation> errors = identities.size() == 1 ? refused.violations() : refused.violations().stream()
                    .filter(v -> v.field() == null || !v.field().contains(block + "[") || v.field().contains(mine + "/")).toList();
            blocks.add(new PartyReceipts.Block(identities.get(i), -refused.status().value(),
                    refusal(refused.title(), refused.getMessage(), errors)));
        }
        return ResponseEntity.status(refused.status()).contentType(MediaType.APPLICATION_XML)
                .body(signing.sign(PartyReceipts.render(refused.kind(), UUID.randomUUID(), blocks, OffsetDateTime.now())));
    }

    /** What happened to a document taken, after e-port's words for a declaration received. */
    private static String accepted(CebFiling.Answer answer) {
        String done = switch (answer.status()) {
            case "DELETED" -> "删除申报成功";
            case "AMENDED" -> "变更申报成功";
            default -> "申报成功";
        };
        String what = switch (answer.status()) {
            case "FILED" -> answer.declarationId() == null ? "filed with its order's other documents"
                    : "filed as declaration " + answer.declarationId();
            case "AWAITING" -> "awaiting " + String.join("; ", answer.awaiting());
            case "AMENDED" -> "the declaration " + answer.declarationId() + " is amended";
            case "DELETED" -> "deleted";
            default -> answer.status().toLowerCase(java.util.Locale.ROOT);
        };
        return clip(done + "[" + answer.guid() + "]: " + what + (answer.replayed() ? " (sent before)" : ""));
    }

    /** A refusal in a receipt's returnInfo: the problem, then each element with its rule. */
    private static String refusal(String title, String detail, List<Violation> errors) {
        StringBuilder info = new StringBuilder("退单: ").append(title).append(": ").append(detail);
        for (Violation v : errors) {
            info.append("; ").append(v.field()).append(": ").append(v.message()).append(" (").append(v.rule()).append(')');
        }
        return clip(info.toString());
    }

    /** returnInfo is at most 1000 characters (C..1000). */
    private static String clip(String info) {
        return info.length() <= 1000 ? info : info.substring(0, 999) + "…";
    }

    private static ResponseEntity<Taken> answer(CebFiling.Taken taken) {
        var response = ResponseEntity.accepted();
        if (taken.single() != null) {
            Taken one = taken(taken.single());
            if (one.location() != null) {
                response.location(URI.create(one.location()));
            }
            return response.body(one);
        }
        List<Taken> documents = taken.documents().stream().map(CebController::taken).toList();
        boolean refused = documents.stream().anyMatch(d -> "REFUSED".equals(d.status()));
        return response.body(new Taken(documents.getFirst().kind(), null, refused ? "PARTLY_REFUSED" : "TAKEN", null, null,
                false, List.of(), documents.getFirst().signature(), null, documents));
    }

    private static Taken taken(CebFiling.Answer answer) {
        String location = answer.declarationId() == null ? null : "/api/v1/declarations/" + answer.declarationId();
        return new Taken(answer.kind(), answer.guid(), answer.status(), answer.declarationId(), location, answer.replayed(),
                answer.awaiting(), answer.signature() == null ? null
                : new Signature(answer.signature().algorithm(), answer.signature().fingerprint()), answer.refused(), null);
    }

    /**
     * One of the caller's own documents as it stands: FILED (with the declaration, for its declaring agent), or
     * AWAITING what its order still needs, with what was found wrong with it when the order's documents came
     * together. Another sender's document, or none, is a 404.
     */
    @GetMapping(path = "/messages/{kind}/{guid}", produces = MediaType.APPLICATION_JSON_VALUE)
    CebFiling.State state(@AuthenticationPrincipal Jwt token, @PathVariable String kind, @PathVariable String guid) {
        return filing.state(kind(kind), guid, Tenant.enterpriseId(token));
    }

    /**
     * The same document as customs' receipt for it ({@code Accept: application/xml}): CEB312 for an order, CEB412
     * for a payment, CEB512 for a waybill ({@link PartyReceipts}), signed as CEB622s are.
     */
    @GetMapping(path = "/messages/{kind}/{guid}", produces = MediaType.APPLICATION_XML_VALUE)
    ResponseEntity<byte[]> receipt(@AuthenticationPrincipal Jwt token, @PathVariable String kind, @PathVariable String guid) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML)
                .body(signing.sign(filing.receipt(kind(kind), guid, Tenant.enterpriseId(token))));
    }

    private static CebXml.Kind kind(String kind) {
        return java.util.Arrays.stream(CebXml.Kind.values()).filter(k -> k.name().equals(kind)).findFirst()
                .orElseThrow(() -> ApiException.invalid("kind", "enum", "one of CEB311, CEB411, CEB511, CEB621"));
    }

    /** The certificate the platform signs its CEB622 receipts with (PEM), 404 when receipts go unsigned. */
    @GetMapping(path = "/platform-certificate", produces = "application/x-pem-file")
    ResponseEntity<String> platformCertificate() {
        X509Certificate certificate = signing.certificate()
                .orElseThrow(() -> ApiException.notFound("a platform signing certificate (receipts are not signed here)"));
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded());
            return ResponseEntity.ok("-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The country and currency code lists the messages are read with. */
    @GetMapping(path = "/code-lists", produces = MediaType.APPLICATION_JSON_VALUE)
    CebCodeLists codeLists() {
        return filing.codes();
    }
}
