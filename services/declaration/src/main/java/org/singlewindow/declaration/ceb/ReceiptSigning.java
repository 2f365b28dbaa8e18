package org.singlewindow.declaration.ceb;

import org.singlewindow.contract.reference.PartyRegister;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * Signs the CEB622 receipts the window sends (pulled and pushed) with the platform's key, so an enterprise
 * can prove where they came from: an enveloped signature with the platform's certificate in
 * {@code ds:KeyInfo} — RSA-SHA256 with an RSA key, SM2-SM3 (e-port's 2022 method, SM3 digest) with an SM2
 * key. Configured by {@code sw.ceb.signing.key} (an unencrypted PKCS#8 RSA or SM2 key, PEM) and
 * {@code sw.ceb.signing.certificate} (its X.509 certificate, PEM); both unset, receipts go unsigned (the
 * sandbox); one without the other, or a key that does not belong to the certificate, stops the service at
 * start. The certificate is published at {@code GET /api/v1/ceb/platform-certificate}.
 */
@Component
public class ReceiptSigning {

    private final PrivateKey key;
    private final X509Certificate certificate;

    ReceiptSigning(@Value("${sw.ceb.signing.key:}") String key, @Value("${sw.ceb.signing.certificate:}") String certificate) {
        if (key.isBlank() != certificate.isBlank()) {
            throw new IllegalStateException("sw.ceb.signing.key and sw.ceb.signing.certificate are set together or not at all");
        }
        if (key.isBlank()) {
            this.key = null;
            this.certificate = null;
            return;
        }
        try {
            this.certificate = PartyRegister.decode(certificate);
            String body = key.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            KeyFactory keys = Sm2Sm3.isSm2(this.certificate.getPublicKey()) ? Sm2Sm3.keyFactory() : KeyFactory.getInstance("RSA");
            this.key = keys.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (Exception e) {
            throw new IllegalStateException("sw.ceb.signing.key is not an unencrypted PKCS#8 key in PEM of the certificate's kind "
                    + "(RSA or SM2): " + e.getMessage(), e);
        }
        // the pair must belong together: sign a probe and verify it with the certificate
        byte[] probe = sign(Ceb622.render(java.util.UUID.randomUUID(), new Ceb622.Inventory("", "", "", "", "", "", "", ""),
                java.util.List.of()));
        try {
            XmlSignatures.verify(CebXml.parse(probe), java.util.List.of(this.certificate));
        } catch (XmlSignatures.Refused e) {
            throw new IllegalStateException("sw.ceb.signing.key does not belong to sw.ceb.signing.certificate: " + e.getMessage());
        }
    }

    /** The platform's certificate, if receipts are signed. */
    public Optional<X509Certificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    /** The message signed, or as it is when no key is configured. */
    public byte[] sign(byte[] xml) {
        if (key == null) {
            return xml;
        }
        Document document = CebXml.parse(xml);
        XmlSignatures.sign(document, key, certificate, false);
        return XmlSignatures.serialize(document);
    }
}
