package org.singlewindow.declaration.ceb;

import org.junit.jupiter.api.Test;
import org.singlewindow.contract.CebSamples;
import org.singlewindow.contract.Samples;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Santuario against the JDK's own XML signatures (RSA) and signatures made by hand (SM2), and what is refused. */
class XmlSignaturesTest {

    private static final CebSamples.Signer SIGNER = CebSamples.Signer.generate("Agent");
    private static final CebSamples.Signer OTHER = CebSamples.Signer.generate("Other");
    private static final CebSamples.Signer SM2 = CebSamples.Signer.generateSm2("Agent's SM2 card");
    private static final CebSamples.Signer OTHER_SM2 = CebSamples.Signer.generateSm2("Other SM2 card");
    private static final String DS = "http://www.w3.org/2000/09/xmldsig#";
    private final byte[] list = CebSamples.inventory(Samples.declaration());

    @Test
    void aMessageSignedByTheJdkVerifiesHereWithRsaSha1AndRsaSha256() throws Exception {
        XmlSignatures.Verified sha1 = XmlSignatures.verify(dom(SIGNER.sign(list, true)), List.of(OTHER.certificate(), SIGNER.certificate()));
        assertThat(sha1.algorithm()).isEqualTo("http://www.w3.org/2000/09/xmldsig#rsa-sha1");
        assertThat(sha1.fingerprint()).isEqualTo(XmlSignatures.fingerprint(SIGNER.certificate())).hasSize(95);
        assertThat(XmlSignatures.verify(dom(SIGNER.sign(list, false)), List.of(SIGNER.certificate())).algorithm())
                .isEqualTo("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
    }

    @Test
    void aMessageSignedHereVerifiesWithTheJdk() throws Exception {
        Document document = dom(list);
        XmlSignatures.sign(document, SIGNER.key(), SIGNER.certificate(), false);
        Document signed = dom(XmlSignatures.serialize(document));
        var factory = javax.xml.crypto.dsig.XMLSignatureFactory.getInstance("DOM");
        var element = signed.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature").item(0);
        var context = new javax.xml.crypto.dsig.dom.DOMValidateContext(SIGNER.certificate().getPublicKey(), element);
        assertThat(factory.unmarshalXMLSignature(context).validate(context)).isTrue();
    }

    @Test
    void aChangedMessageAnotherKeyAndNoRegisteredCertificateAreRefused() throws Exception {
        String signed = new String(SIGNER.sign(list, true), StandardCharsets.UTF_8);
        String changed = signed.replace("<ceb:netWeight>1.8</ceb:netWeight>", "<ceb:netWeight>0.8</ceb:netWeight>");
        assertThat(changed).isNotEqualTo(signed);
        assertThatThrownBy(() -> XmlSignatures.verify(dom(changed.getBytes(StandardCharsets.UTF_8)), List.of(SIGNER.certificate())))
                .isInstanceOf(XmlSignatures.Refused.class).hasMessageContaining("does not verify");
        assertThatThrownBy(() -> XmlSignatures.verify(dom(OTHER.sign(list, false)), List.of(SIGNER.certificate())))
                .isInstanceOf(XmlSignatures.Refused.class).hasMessageContaining("not one the sender registered");
        assertThatThrownBy(() -> XmlSignatures.verify(dom(SIGNER.sign(list, false)), List.of()))
                .isInstanceOf(XmlSignatures.Refused.class).hasMessageContaining("no certificate in the party register");
        assertThatThrownBy(() -> XmlSignatures.verify(dom(list), List.of(SIGNER.certificate())))
                .isInstanceOf(XmlSignatures.Refused.class).hasMessageContaining("no ds:Signature");
    }

    @Test
    void aSignatureOverPartOfTheMessageIsRefused() throws Exception {
        // a reference to one element only would let the rest be changed: only URI="" is taken
        String signed = new String(SIGNER.sign(list, false), StandardCharsets.UTF_8).replace("URI=\"\"", "URI=\"#head\"");
        assertThatThrownBy(() -> XmlSignatures.verify(dom(signed.getBytes(StandardCharsets.UTF_8)), List.of(SIGNER.certificate())))
                .isInstanceOf(XmlSignatures.Refused.class).hasMessageContaining("whole message");
    }

    @Test
    void receiptsAreSignedWithThePlatformKeyWhenOneIsConfigured() throws Exception {
        String key = pem(SIGNER);
        String certificate = SIGNER.registered();
        byte[] receipt = Ceb622.render(UUID.randomUUID(), new Ceb622.Inventory("G", "4606", "1", "2", "5", "O", "P", ""), List.of());

        byte[] signed = new ReceiptSigning(key, certificate).sign(receipt);
        assertThat(XmlSignatures.verify(dom(signed), List.of(SIGNER.certificate())).fingerprint())
                .isEqualTo(XmlSignatures.fingerprint(SIGNER.certificate()));
        assertThat(new ReceiptSigning("", "").sign(receipt)).isEqualTo(receipt);
        assertThatThrownBy(() -> new ReceiptSigning(key, OTHER.registered()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not belong");
        assertThatThrownBy(() -> new ReceiptSigning(key, "")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void smTwoSignaturesAsEportsCardsAndItsTwentyTwentyTwoSpecificationMakeThemVerify() throws Exception {
        // e-port's cards: the w3 namespace's sm2-sm3 over a SHA-1 reference digest; its 2022 specification: its own
        // namespace, SM3 digest. Both made by hand (CebSamples.Signer), r || s.
        XmlSignatures.Verified cards = XmlSignatures.verify(dom(SM2.sign(list, true)), List.of(SIGNER.certificate(), SM2.certificate()));
        assertThat(cards.algorithm()).isEqualTo("http://www.w3.org/2000/09/xmldsig#sm2-sm3");
        assertThat(cards.fingerprint()).isEqualTo(XmlSignatures.fingerprint(SM2.certificate()));
        assertThat(XmlSignatures.verify(dom(SM2.sign(list, false)), List.of(SM2.certificate())).algorithm())
                .isEqualTo("http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3");

        // a DER-encoded value (as the JCA makes it) is taken as well as r || s
        String signed = new String(SM2.sign(list, false), StandardCharsets.UTF_8);
        String raw = signed.replaceAll("(?s).*<ds:SignatureValue>(.*)</ds:SignatureValue>.*", "$1");
        String der = Base64.getEncoder().encodeToString(Sm2Sm3.der(Base64.getDecoder().decode(raw)));
        assertThat(XmlSignatures.verify(dom(signed.replace(raw, der).getBytes(StandardCharsets.UTF_8)), List.of(SM2.certificate()))
                .fingerprint()).isEqualTo(XmlSignatures.fingerprint(SM2.certificate()));
    }

    @Test
    void aChangedSmTwoMessageAnotherSmTwoKeyAndAnRsaOnlyRegistrationAreRefused() throws Exception {
        String changed = new String(SM2.sign(list, true), StandardCharsets.UTF_8)
                .replace("<ceb:netWeight>1.8</ceb:netWeight>", "<ceb:netWeight>0.8</ceb:netWeight>");
        assertThat(changed).contains("<ceb:netWeight>0.8</ceb:netWeight>");
        assertThatThrownBy(() -> XmlSignatures.verify(dom(changed.getBytes(StandardCharsets.UTF_8)), List.of(SM2.certificate())))
                .isInstanceOf(XmlSignatures.Refused.class).hasMessageContaining("does not verify");
        // the same SignedInfo with another signer's value: the digest holds, the signature does not
        String mine = new String(SM2.sign(list, false), StandardCharsets.UTF_8);
        String theirs = new String(OTHER_SM2.sign(list, false), StandardCharsets.UTF_8);
        String swapped = mine.replaceAll("<ds:SignatureValue>.*</ds:SignatureValue>",
                theirs.replaceAll("(?s).*(<ds:SignatureValue>.*</ds:SignatureValue>).*", "$1"));
        assertThatThrownBy(() -> XmlSignatures.verify(dom(swapped.getBytes(StandardCharsets.UTF_8)), List.of(SM2.certificate())))
                .isInstanceOf(XmlSignatures.Refused.class).hasMessageContaining("signature value does not verify");
        assertThatThrownBy(() -> XmlSignatures.verify(dom(OTHER_SM2.sign(list, false)), List.of(SM2.certificate())))
                .isInstanceOf(XmlSignatures.Refused.class).hasMessageContaining("not one the sender registered");
        assertThatThrownBy(() -> XmlSignatures.verify(dom(SM2.sign(list, false)), List.of(SIGNER.certificate())))
                .isInstanceOf(XmlSignatures.Refused.class).hasMessageContaining("registered no SM2 certificate");
        assertThatThrownBy(() -> XmlSignatures.verify(dom(SIGNER.sign(list, false)), List.of(SM2.certificate())))
                .isInstanceOf(XmlSignatures.Refused.class).hasMessageContaining("registered no RSA certificate");
    }

    @Test
    void receiptsSignedWithAnSmTwoKeyCarryTheSmThreeDigestOfTheWholeReceipt() throws Exception {
        byte[] receipt = Ceb622.render(UUID.randomUUID(), new Ceb622.Inventory("G", "4606", "1", "2", "5", "O", "P", ""), List.of());
        byte[] signed = new ReceiptSigning(pem(SM2), SM2.registered()).sign(receipt);

        Document document = dom(signed);
        assertThat(XmlSignatures.verify(document, List.of(SM2.certificate())).algorithm())
                .isEqualTo("http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3");
        var digestMethod = (org.w3c.dom.Element) document.getElementsByTagNameNS(DS, "DigestMethod").item(0);
        assertThat(digestMethod.getAttribute("Algorithm")).isEqualTo("http://www.chinaport.gov.cn/2022/04/xmldsig#sm3");
        // the digest is SM3 over the receipt as the JDK canonicalises it (checked apart from Santuario)
        var c14n = javax.xml.crypto.dsig.TransformService.getInstance(javax.xml.crypto.dsig.CanonicalizationMethod.INCLUSIVE, "DOM");
        c14n.init(null);
        byte[] canonical = ((javax.xml.crypto.OctetStreamData) c14n.transform(
                new javax.xml.crypto.OctetStreamData(new ByteArrayInputStream(receipt)), null)).getOctetStream().readAllBytes();
        byte[] sm3 = java.security.MessageDigest.getInstance("SM3", new org.bouncycastle.jce.provider.BouncyCastleProvider()).digest(canonical);
        assertThat(document.getElementsByTagNameNS(DS, "DigestValue").item(0).getTextContent())
                .isEqualTo(Base64.getEncoder().encodeToString(sm3));
        assertThat(Base64.getMimeDecoder().decode(document.getElementsByTagNameNS(DS, "SignatureValue").item(0).getTextContent()))
                .hasSize(64);
        assertThatThrownBy(() -> new ReceiptSigning(pem(SM2), OTHER_SM2.registered()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not belong");
        assertThatThrownBy(() -> new ReceiptSigning(pem(SIGNER), SM2.registered()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RSA or SM2");
    }

    private static String pem(CebSamples.Signer signer) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(signer.key().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static Document dom(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }
}
