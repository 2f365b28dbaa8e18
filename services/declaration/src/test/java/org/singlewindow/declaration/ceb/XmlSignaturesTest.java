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

/** Santuario against the JDK's own XML signatures, both ways, and what is refused. */
class XmlSignaturesTest {

    private static final CebSamples.Signer SIGNER = CebSamples.Signer.generate("Agent");
    private static final CebSamples.Signer OTHER = CebSamples.Signer.generate("Other");
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
        String key = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(SIGNER.key().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
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

    private static Document dom(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }
}
