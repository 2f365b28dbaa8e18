package org.singlewindow.declaration.ceb;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.contract.reference.CebCodeLists;
import org.singlewindow.kit.security.Tenant;
import org.singlewindow.kit.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The CEB XML interface: an enterprise's system sends the customs' own messages — CEB311 order, CEB411
 * payment, CEB511 waybill, CEB621 inventory list — one per request, signed or not as its registration
 * says ({@link CebFiling}). Receipts come back as CEB622 ({@code GET /api/v1/declarations/{id}/receipts} with
 * {@code Accept: application/xml}, or a CEB_XML webhook subscription).
 */
@Tag(name = "CEB XML", description = "Customs' own XML messages (CEB311, CEB411, CEB511, CEB621) sent as they are; the code lists; the platform's certificate.")
@RestController
@RequestMapping("/api/v1/ceb")
class CebController {

    private final CebFiling filing;
    private final ReceiptSigning signing;

    CebController(CebFiling filing, ReceiptSigning signing) {
        this.filing = filing;
        this.signing = signing;
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

    @PostMapping(path = "/messages", consumes = {MediaType.APPLICATION_XML_VALUE, MediaType.TEXT_XML_VALUE},
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Taken> take(@AuthenticationPrincipal Jwt token, @RequestBody byte[] body) {
        // the body is at most sw.http.max-body (1 MB): the kit's RequestBodyGuard refused a longer one unread
        CebFiling.Taken taken = filing.take(body, Tenant.enterpriseId(token));
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
