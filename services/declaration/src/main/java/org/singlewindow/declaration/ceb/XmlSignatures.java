package org.singlewindow.declaration.ceb;

import org.apache.xml.security.Init;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.SignedInfo;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.apache.xml.security.utils.Constants;
import org.singlewindow.contract.reference.PartyRegister;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The enveloped XML signature of a CEB message ({@code ds:Signature}, the root's last child), verified and
 * made with Apache Santuario. A signature is taken only in the shape the e-port clients produce: one
 * reference to the whole document ({@code URI=""}) with the enveloped-signature transform, so what is
 * signed is exactly the message read; RSA with SHA-1 (what e-port's older cards sign with) or SHA-256 (or
 * stronger), or SM2 with SM3 (the current cards: {@link Sm2Sm3}, either method URI, the reference digested
 * with SHA-1, SHA-256 or SM3); inclusive or exclusive canonicalisation. Secure validation is on (no MD5,
 * bounded transforms and references).
 */
public final class XmlSignatures {

    static {
        Init.init();
        Sm2Sm3.register();
    }

    /** RSA signature methods taken. */
    static final Set<String> RSA_METHODS = Set.of(XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA1, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
            XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA384, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA512);
    /** SM2 signature methods taken. */
    static final Set<String> SM2_METHODS = Set.of(Sm2Sm3.W3_METHOD, Sm2Sm3.CHINAPORT_METHOD);

    /** A signature that verified: its method and the SHA-256 fingerprint of the certificate it verified with. */
    public record Verified(String algorithm, String fingerprint) {
    }

    /** Why a signature was not taken. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private XmlSignatures() {
    }

    /** The root's {@code ds:Signature}, if it has one. */
    static Optional<Element> signature(Document document) {
        for (Node n = document.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && Constants.SignatureSpecNS.equals(e.getNamespaceURI()) && "Signature".equals(e.getLocalName())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * Verify the document's signature against the certificates registered for its sender.
     *
     * @throws Refused saying why: no signature, a shape not taken, no registered certificate, or a value that
     *                 does not verify
     */
    static Verified verify(Document document, List<X509Certificate> registered) throws Refused {
        Element element = signature(document).orElseThrow(() -> new Refused("the message has no ds:Signature"));
        try {
            XMLSignature signature = new XMLSignature(element, "", true);
            SignedInfo signedInfo = signature.getSignedInfo();
            String method = signedInfo.getSignatureMethodURI();
            boolean sm2 = SM2_METHODS.contains(method);
            if (!sm2 && !RSA_METHODS.contains(method)) {
                throw new Refused("signature method " + method + " is not taken: RSA with SHA-1 or SHA-256 (or stronger), "
                        + "or SM2 with SM3 (" + Sm2Sm3.W3_METHOD + " or " + Sm2Sm3.CHINAPORT_METHOD + ")");
            }
            if (signedInfo.getLength() != 1) {
                throw new Refused("the signature must have exactly one reference, to the whole message (URI=\"\")");
            }
            Reference reference = signedInfo.item(0);
            if (!"".equals(reference.getURI())) {
                throw new Refused("the signature's reference must be the whole message (URI=\"\"), not " + reference.getURI());
            }
            Transforms transforms = reference.getTransforms();
            boolean enveloped = false;
            for (int i = 0; transforms != null && i < transforms.getLength(); i++) {
                enveloped |= Transforms.TRANSFORM_ENVELOPED_SIGNATURE.equals(transforms.item(i).getURI());
            }
            if (!enveloped) {
                throw new Refused("the signature must be enveloped (transform " + Transforms.TRANSFORM_ENVELOPED_SIGNATURE + ")");
            }
            if (registered.isEmpty()) {
                throw new Refused("the sender has no certificate in the party register to verify its signature with");
            }
            if (registered.stream().noneMatch(c -> fits(sm2, c))) {
                throw new Refused("the message is signed with " + (sm2 ? "SM2" : "RSA") + " and the sender registered no "
                        + (sm2 ? "SM2" : "RSA") + " certificate in the party register");
            }
            X509Certificate presented = presented(element);
            for (X509Certificate certificate : registered) {
                if (presented != null && !presented.equals(certificate) || !fits(sm2, certificate)) {
                    continue;
                }
                if (signature.checkSignatureValue(certificate)) {
                    return new Verified(method, fingerprint(certificate));
                }
            }
            throw new Refused(presented != null && registered.stream().noneMatch(presented::equals)
                    ? "the certificate in ds:KeyInfo (" + fingerprint(presented) + ") is not one the sender registered"
                    : "the signature value does not verify: the message was changed after signing, or signed with another key");
        } catch (XMLSecurityException e) {
            throw new Refused("the signature does not verify: " + e.getMessage());
        }
    }

    /** Whether a certificate's key is of the method's kind: SM2, or RSA. */
    private static boolean fits(boolean sm2, X509Certificate certificate) {
        return sm2 ? Sm2Sm3.isSm2(certificate.getPublicKey()) : "RSA".equals(certificate.getPublicKey().getAlgorithm());
    }

    /** The certificate in {@code ds:KeyInfo/ds:X509Data}, if there is one (read as the party register reads its own). */
    private static X509Certificate presented(Element signature) {
        NodeList certificates = signature.getElementsByTagNameNS(Constants.SignatureSpecNS, "X509Certificate");
        if (certificates.getLength() == 0) {
            return null;
        }
        try {
            return PartyRegister.decode(certificates.item(0).getTextContent());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Sign a document: an enveloped signature over the whole of it, appended to the root, with the
     * certificate in {@code ds:KeyInfo}. An RSA key signs with RSA-SHA256, or with {@code rsaSha1} the way
     * e-port's older cards do; an SM2 key with SM2-SM3 as e-port's 2022 specification has it (SM3 digest).
     */
    public static void sign(Document document, PrivateKey key, X509Certificate certificate, boolean rsaSha1) {
        boolean sm2 = Sm2Sm3.isSm2(key);
        try {
            XMLSignature signature = new XMLSignature(document, "",
                    sm2 ? Sm2Sm3.CHINAPORT_METHOD : rsaSha1 ? XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA1 : XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
                    Canonicalizer.ALGO_ID_C14N_OMIT_COMMENTS);
            document.getDocumentElement().appendChild(signature.getElement());
            Transforms transforms = new Transforms(document);
            transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
            transforms.addTransform(Transforms.TRANSFORM_C14N_OMIT_COMMENTS);
            signature.addDocument("", transforms, sm2 ? Sm2Sm3.CHINAPORT_SM3_DIGEST : rsaSha1 ? Constants.ALGO_ID_DIGEST_SHA1
                    : org.apache.xml.security.algorithms.MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA256);
            signature.addKeyInfo(certificate);
            signature.sign(key);
        } catch (XMLSecurityException e) {
            throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
        }
    }

    /** A document as UTF-8 bytes, unchanged (no indentation: a signed document must stay as signed). */
    public static byte[] serialize(Document document) {
        try {
            var transformer = TransformerFactory.newDefaultInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a certificate's DER, upper-case hex pairs joined by colons (as keytool shows it). */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            List<String> pairs = new ArrayList<>(digest.length);
            for (byte b : digest) {
                pairs.add(HexFormat.of().withUpperCase().toHexDigits(b));
            }
            return String.join(":", pairs);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
