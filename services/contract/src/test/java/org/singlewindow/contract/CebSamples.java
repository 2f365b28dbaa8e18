package org.singlewindow.contract;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.singlewindow.contract.reference.CebCodeLists;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;

import javax.xml.crypto.OctetStreamData;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.TransformService;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Test-data builder: the four CEB XML messages — CEB311 order, CEB411 payment, CEB511 waybill, CEB621
 * inventory list — that say what a contract declaration (say {@link Samples#declaration()}) says, written
 * as an enterprise's system writes them (namespace {@code http://www.chinaport.gov.cn/ceb}, the standard's
 * element order, customs' numeric country and currency codes, {@code yyyyMMddHHmmss} times), and signed
 * with the JDK's own XML signature API (an implementation apart from the window's, so the tests check
 * that the two agree).
 */
public final class CebSamples {

    public static final String NAMESPACE = "http://www.chinaport.gov.cn/ceb";
    private static final DateTimeFormatter CEB_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final CebCodeLists CODES = CebCodeLists.bundled();

    private CebSamples() {
    }

    /** The four messages, by kind (CEB311, CEB411, CEB511, CEB621), each with its own guid. */
    public static Map<String, byte[]> messages(JsonNode declaration) {
        Map<String, byte[]> messages = new LinkedHashMap<>();
        messages.put("CEB311", order(declaration));
        messages.put("CEB411", payment(declaration));
        messages.put("CEB511", waybill(declaration));
        messages.put("CEB621", inventory(declaration));
        return messages;
    }

    public static byte[] order(JsonNode d) {
        JsonNode o = d.path("order");
        JsonNode p = d.path("payment");
        JsonNode c = o.path("consignee");
        return write("CEB311Message", "Order", x -> {
            x.open("OrderHead");
            common(x, guid());
            x.el("orderType", "I");
            x.el("orderNo", o.path("orderNo").asString());
            x.el("ebpCode", o.path("ebpCode").asString());
            x.el("ebpName", o.path("ebpName").asString());
            x.el("ebcCode", o.path("ebcCode").asString());
            x.el("ebcName", o.path("ebcName").asString());
            x.el("goodsValue", o.path("goodsValue").asString());
            x.el("freight", o.path("freight").asString());
            x.el("discount", o.path("discount").asString());
            x.el("taxTotal", o.path("taxTotal").asString());
            x.el("acturalPaid", o.path("actualPaid").asString());
            x.el("currency", currency(o.path("currency").asString()));
            x.el("buyerRegNo", "buyer-" + o.path("buyer").path("idNumber").asString().substring(14));
            x.el("buyerName", o.path("buyer").path("name").asString());
            x.el("buyerTelephone", o.path("buyer").path("telephone").asString());
            x.el("buyerIdType", o.path("buyer").path("idType").asString());
            x.el("buyerIdNumber", o.path("buyer").path("idNumber").asString());
            x.el("payCode", p.path("payCode").asString());
            x.el("payName", p.path("payName").asString());
            x.el("payTransactionId", p.path("payTransactionId").asString());
            x.el("batchNumbers", "");
            x.el("consignee", c.path("name").asString());
            x.el("consigneeTelephone", c.path("telephone").asString());
            x.el("consigneeAddress", c.path("address").asString());
            x.el("note", "");
            x.close();
            for (JsonNode item : d.path("items")) {
                x.open("OrderList");
                x.el("gnum", item.path("gnum").asString());
                x.el("itemNo", item.path("itemNo").asString(""));
                x.el("itemName", item.path("name").asString());
                x.el("gmodel", item.path("gmodel").asString());
                x.el("itemDescribe", "");
                x.el("barCode", item.path("barCode").asString(""));
                x.el("unit", item.path("unit").asString());
                x.el("qty", item.path("quantity").asString());
                x.el("price", item.path("unitPrice").asString());
                x.el("totalPrice", item.path("totalPrice").asString());
                x.el("currency", currency(item.path("currency").asString()));
                x.el("country", country(item.path("originCountry").asString()));
                x.el("note", "");
                x.close();
            }
        }, d.path("order").path("ebpCode").asString(), d.path("order").path("ebpName").asString());
    }

    public static byte[] payment(JsonNode d) {
        JsonNode o = d.path("order");
        JsonNode p = d.path("payment");
        return write("CEB411Message", "Payment", x -> {
            x.open("PaymentHead");
            common(x, guid());
            x.el("payCode", p.path("payCode").asString());
            x.el("payName", p.path("payName").asString());
            x.el("payTransactionId", p.path("payTransactionId").asString());
            x.el("orderNo", o.path("orderNo").asString());
            x.el("ebpCode", o.path("ebpCode").asString());
            x.el("ebpName", o.path("ebpName").asString());
            x.el("payerIdType", p.path("payerIdType").asString());
            x.el("payerIdNumber", p.path("payerIdNumber").asString());
            x.el("payerName", p.path("payerName").asString());
            x.el("telephone", o.path("buyer").path("telephone").asString());
            x.el("amountPaid", p.path("amountPaid").asString());
            x.el("currency", currency(p.path("currency").asString()));
            x.el("payTime", OffsetDateTime.parse(p.path("payTime").asString()).withOffsetSameInstant(ZoneOffset.ofHours(8))
                    .format(CEB_TIME));
            x.el("note", "");
            x.close();
        }, p.path("payCode").asString(), p.path("payName").asString());
    }

    public static byte[] waybill(JsonNode d) {
        JsonNode l = d.path("logistics");
        JsonNode c = l.path("consignee");
        return write("CEB511Message", "Logistics", x -> {
            x.open("LogisticsHead");
            common(x, guid());
            x.el("logisticsCode", l.path("logisticsCode").asString());
            x.el("logisticsName", l.path("logisticsName").asString());
            x.el("logisticsNo", l.path("logisticsNo").asString());
            x.el("billNo", "");
            x.el("orderNo", d.path("order").path("orderNo").asString());
            x.el("freight", l.path("freight").asString());
            x.el("insuredFee", l.path("insuredFee").asString("0"));
            x.el("currency", currency(d.path("order").path("currency").asString()));
            x.el("weight", l.path("grossWeight").asString());
            x.el("packNo", "1");
            x.el("goodsInfo", "");
            x.el("consignee", c.path("name").asString());
            x.el("consigneeAddress", c.path("address").asString());
            x.el("consigneeTelephone", c.path("telephone").asString());
            x.el("note", "");
            x.close();
        }, l.path("logisticsCode").asString(), l.path("logisticsName").asString());
    }

    public static byte[] inventory(JsonNode d) {
        JsonNode o = d.path("order");
        JsonNode l = d.path("logistics");
        JsonNode a = d.path("declarant");
        String now = OffsetDateTime.now(ZoneOffset.ofHours(8)).format(CEB_TIME);
        return write("CEB621Message", "Inventory", x -> {
            x.open("InventoryHead");
            common(x, d.path("guid").asString().toUpperCase(Locale.ROOT));
            x.el("orderNo", o.path("orderNo").asString());
            x.el("ebpCode", o.path("ebpCode").asString());
            x.el("ebpName", o.path("ebpName").asString());
            x.el("ebcCode", o.path("ebcCode").asString());
            x.el("ebcName", o.path("ebcName").asString());
            x.el("logisticsNo", l.path("logisticsNo").asString());
            x.el("logisticsCode", l.path("logisticsCode").asString());
            x.el("logisticsName", l.path("logisticsName").asString());
            x.el("copNo", o.path("orderNo").asString());
            x.el("preNo", "");
            x.el("assureCode", a.path("assureCode").asString(o.path("ebcCode").asString()));
            x.el("emsNo", "");
            x.el("invtNo", "");
            x.el("ieFlag", "I");
            x.el("declTime", now.substring(0, 8));
            x.el("customsCode", a.path("customsCode").asString());
            x.el("portCode", a.path("customsCode").asString());
            x.el("ieDate", now.substring(0, 8));
            x.el("buyerIdType", o.path("buyer").path("idType").asString());
            x.el("buyerIdNumber", o.path("buyer").path("idNumber").asString());
            x.el("buyerName", o.path("buyer").path("name").asString());
            x.el("buyerTelephone", o.path("buyer").path("telephone").asString());
            x.el("consigneeAddress", o.path("consignee").path("address").asString());
            x.el("agentCode", a.path("agentCode").asString());
            x.el("agentName", a.path("agentName").asString());
            x.el("areaCode", a.path("agentCode").asString());
            x.el("areaName", a.path("agentName").asString());
            x.el("tradeMode", "BONDED_IMPORT_1210".equals(d.path("declarationType").asString()) ? "1210" : "9610");
            x.el("trafMode", "Y");
            x.el("trafNo", "");
            x.el("voyageNo", "");
            x.el("billNo", "");
            x.el("loctNo", l.path("warehouseCode").asString(""));
            x.el("licenseNo", "");
            x.el("country", country(d.path("items").path(0).path("originCountry").asString()));
            x.el("freight", l.path("freight").asString());
            x.el("insuredFee", l.path("insuredFee").asString("0"));
            x.el("currency", currency(o.path("currency").asString()));
            x.el("wrapType", "2");
            x.el("packNo", "1");
            x.el("grossWeight", l.path("grossWeight").asString());
            x.el("netWeight", l.path("netWeight").asString());
            x.el("note", "");
            x.close();
            for (JsonNode item : d.path("items")) {
                x.open("InventoryList");
                x.el("gnum", item.path("gnum").asString());
                x.el("itemRecordNo", item.path("itemRecordNo").asString(""));
                x.el("itemNo", item.path("itemNo").asString(""));
                x.el("itemName", item.path("name").asString());
                x.el("gcode", item.path("hsCode").asString());
                x.el("gname", item.path("name").asString());
                x.el("gmodel", item.path("gmodel").asString());
                x.el("barCode", item.path("barCode").asString(""));
                x.el("country", country(item.path("originCountry").asString()));
                x.el("currency", currency(item.path("currency").asString()));
                x.el("qty", item.path("quantity").asString());
                x.el("qty1", item.path("qty1").asString());
                x.el("qty2", item.path("qty2").asString(""));
                x.el("unit", item.path("unit").asString());
                x.el("unit1", item.path("unit1").asString());
                x.el("unit2", item.path("unit2").asString(""));
                x.el("price", item.path("unitPrice").asString());
                x.el("totalPrice", item.path("totalPrice").asString());
                x.el("note", "");
                x.close();
            }
        }, a.path("agentCode").asString(), a.path("agentName").asString());
    }

    /**
     * A fresh key pair with a self-signed certificate for it, as a party registers: RSA, or SM2 as e-port's
     * current cards hold.
     */
    public record Signer(PrivateKey key, X509Certificate certificate) {

        private static final Provider BC = new BouncyCastleProvider();
        private static final String DS = "http://www.w3.org/2000/09/xmldsig#";

        public static Signer generate(String commonName) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                return new Signer(pair.getPrivate(), SelfSigned.certificate(pair, commonName, "SHA256withRSA"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** An SM2 key on {@code sm2p256v1}, its certificate signed with SM3withSM2 (read only by Bouncy Castle). */
        public static Signer generateSm2(String commonName) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
                generator.initialize(new ECGenParameterSpec("sm2p256v1"));
                KeyPair pair = generator.generateKeyPair();
                return new Signer(pair.getPrivate(), SelfSigned.certificate(pair, commonName, "SM3withSM2"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * The message with an SM2 signature appended to its root, made by hand from the XML signature
         * recommendation (the JDK's signature API has no SM2, and the window's Santuario must not check
         * itself): the document canonicalised by the JDK's inclusive C14N and digested, the {@code SignedInfo}
         * written in canonical form with the namespaces in scope, signed with Bouncy Castle's SM3withSM2 and
         * written as e-port writes it, {@code r || s}. {@code asCardsDo}: the method URI e-port's cards write
         * with a SHA-1 digest; otherwise e-port's 2022 method with an SM3 digest.
         */
        private byte[] signSm2(byte[] xml, boolean asCardsDo) throws Exception {
            String method = asCardsDo ? DS + "sm2-sm3" : "http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3";
            String digestMethod = asCardsDo ? DS + "sha1" : "http://www.chinaport.gov.cn/2022/04/xmldsig#sm3";
            TransformService c14n = TransformService.getInstance(CanonicalizationMethod.INCLUSIVE, "DOM");
            c14n.init(null);
            byte[] canonical = ((OctetStreamData) c14n.transform(new OctetStreamData(new ByteArrayInputStream(xml)), null))
                    .getOctetStream().readAllBytes();
            byte[] digest = (asCardsDo ? MessageDigest.getInstance("SHA-1") : MessageDigest.getInstance("SM3", BC)).digest(canonical);

            // the namespaces in scope at SignedInfo: the root's and ds, in the order C14N writes them
            DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            var root = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
            java.util.TreeMap<String, String> namespaces = new java.util.TreeMap<>(Map.of("ds", DS));
            for (int i = 0; i < root.getAttributes().getLength(); i++) {
                var attribute = root.getAttributes().item(i);
                if ("http://www.w3.org/2000/xmlns/".equals(attribute.getNamespaceURI())) {
                    namespaces.put("xmlns".equals(attribute.getNodeName()) ? "" : attribute.getLocalName(), attribute.getNodeValue());
                }
            }
            StringBuilder declarations = new StringBuilder();
            namespaces.forEach((prefix, uri) -> declarations.append(" xmlns").append(prefix.isEmpty() ? "" : ":" + prefix)
                    .append("=\"").append(uri).append('"'));
            String content = "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"></ds:CanonicalizationMethod>"
                    + "<ds:SignatureMethod Algorithm=\"" + method + "\"></ds:SignatureMethod>"
                    + "<ds:Reference URI=\"\"><ds:Transforms><ds:Transform Algorithm=\"" + DS + "enveloped-signature\"></ds:Transform>"
                    + "</ds:Transforms><ds:DigestMethod Algorithm=\"" + digestMethod + "\"></ds:DigestMethod>"
                    + "<ds:DigestValue>" + Base64.getEncoder().encodeToString(digest) + "</ds:DigestValue></ds:Reference>";

            Signature sm2 = Signature.getInstance("SM3withSM2", BC);
            sm2.initSign(key);
            sm2.update(("<ds:SignedInfo" + declarations + ">" + content + "</ds:SignedInfo>").getBytes(StandardCharsets.UTF_8));
            ASN1Sequence rs = ASN1Sequence.getInstance(sm2.sign());
            byte[] value = new byte[64];
            for (int i = 0; i < 2; i++) {
                byte[] part = ASN1Integer.getInstance(rs.getObjectAt(i)).getPositiveValue().toByteArray();
                int length = Math.min(part.length, 32);
                System.arraycopy(part, part.length - length, value, (i + 1) * 32 - length, length);
            }
            String signature = "<ds:Signature xmlns:ds=\"" + DS + "\"><ds:SignedInfo>" + content + "</ds:SignedInfo>"
                    + "<ds:SignatureValue>" + Base64.getEncoder().encodeToString(value) + "</ds:SignatureValue>"
                    + "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>" + registered() + "</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"
                    + "</ds:Signature>";
            String text = new String(xml, StandardCharsets.UTF_8);
            int end = text.lastIndexOf("</");
            return (text.substring(0, end) + signature + text.substring(end)).getBytes(StandardCharsets.UTF_8);
        }

        /** The certificate as the party register holds it (base64 DER). */
        public String registered() {
            try {
                return java.util.Base64.getEncoder().encodeToString(certificate.getEncoded());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * The message with an enveloped signature appended to its root: with an RSA key RSA-SHA1 as e-port's older
         * cards sign ({@code asCardsDo}), or RSA-SHA256; with an SM2 key, {@link #signSm2}.
         */
        public byte[] sign(byte[] xml, boolean asCardsDo) {
            boolean rsaSha1 = asCardsDo;
            try {
                if ("EC".equals(key.getAlgorithm())) {
                    return signSm2(xml, asCardsDo);
                }
                DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
                f.setNamespaceAware(true);
                Document document = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
                XMLSignatureFactory signatures = XMLSignatureFactory.getInstance("DOM");
                Reference reference = signatures.newReference("",
                        signatures.newDigestMethod(rsaSha1 ? DigestMethod.SHA1 : DigestMethod.SHA256, null),
                        List.of(signatures.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null)), null, null);
                SignedInfo signedInfo = signatures.newSignedInfo(
                        signatures.newCanonicalizationMethod(CanonicalizationMethod.INCLUSIVE, (C14NMethodParameterSpec) null),
                        signatures.newSignatureMethod(rsaSha1 ? "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
                                : SignatureMethod.RSA_SHA256, null),
                        List.of(reference));
                KeyInfoFactory keys = signatures.getKeyInfoFactory();
                var keyInfo = keys.newKeyInfo(List.of(keys.newX509Data(List.of(certificate))));
                DOMSignContext context = new DOMSignContext(key, document.getDocumentElement());
                context.setDefaultNamespacePrefix("ds");
                // the JDK refuses to sign with SHA-1 under secure validation: e-port's cards still do
                context.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.FALSE);
                signatures.newXMLSignature(signedInfo, keyInfo).sign(context);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                TransformerFactory.newDefaultInstance().newTransformer().transform(new DOMSource(document), new StreamResult(out));
                return out.toByteArray();
            } catch (Exception e) {
                throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
            }
        }
    }

    /** The customs country code of an ISO alpha-3 code. */
    public static String country(String iso) {
        return CODES.countryCustoms(iso).orElseThrow(() -> new IllegalArgumentException("no customs code for " + iso));
    }

    /** The customs currency code of an ISO 4217 code. */
    public static String currency(String iso) {
        return CODES.currencyCustoms(iso).orElseThrow(() -> new IllegalArgumentException("no customs code for " + iso));
    }

    private static String guid() {
        return UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    }

    private static void common(Xml x, String guid) {
        x.el("guid", guid);
        x.el("appType", "1");
        x.el("appTime", OffsetDateTime.now(ZoneOffset.ofHours(8)).format(CEB_TIME));
        x.el("appStatus", "2");
    }

    private interface Body {
        void write(Xml x) throws XMLStreamException;
    }

    /** A tiny writer: ceb-prefixed elements, one per call. */
    private record Xml(XMLStreamWriter w) {
        void open(String name) {
            try {
                w.writeStartElement("ceb", name, NAMESPACE);
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
        }

        void close() {
            try {
                w.writeEndElement();
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
        }

        void el(String name, String value) {
            open(name);
            try {
                w.writeCharacters(value == null ? "" : value);
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            close();
        }
    }

    private static byte[] write(String root, String block, Body body, String copCode, String copName) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter w = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out, "UTF-8");
            Xml x = new Xml(w);
            w.writeStartDocument("UTF-8", "1.0");
            w.setPrefix("ceb", NAMESPACE);
            w.writeStartElement("ceb", root, NAMESPACE);
            w.writeNamespace("ceb", NAMESPACE);
            w.writeAttribute("guid", guid());
            w.writeAttribute("version", "1.0");
            x.open(block);
            body.write(x);
            x.close();
            x.open("BaseTransfer");
            x.el("copCode", copCode);
            x.el("copName", copName);
            x.el("dxpMode", "DXP");
            x.el("dxpId", "DXPENT0000000001");
            x.el("note", "");
            x.close();
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** A self-signed certificate (Bouncy Castle's builder: the JDK has no public one). */
    private static final class SelfSigned {
        static X509Certificate certificate(KeyPair pair, String commonName, String algorithm) throws Exception {
            X500Name name = new X500Name("CN=" + commonName);
            java.time.Instant now = java.time.Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    java.util.Date.from(now.minusSeconds(86_400)), java.util.Date.from(now.plusSeconds(365L * 86_400)), name,
                    pair.getPublic());
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).setProvider(Signer.BC).build(pair.getPrivate());
            return new JcaX509CertificateConverter().setProvider(Signer.BC).getCertificate(builder.build(signer));
        }
    }
}
