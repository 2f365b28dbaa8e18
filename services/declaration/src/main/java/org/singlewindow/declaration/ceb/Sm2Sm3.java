package org.singlewindow.declaration.ceb;

import org.apache.xml.security.algorithms.JCEMapper;
import org.apache.xml.security.algorithms.SignatureAlgorithm;
import org.apache.xml.security.algorithms.SignatureAlgorithmSpi;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.XMLSignatureException;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * SM2 signatures with SM3 digests (GB/T 32918, GB/T 32905) in XML signatures, as the China e-port's current
 * cards make them, for Apache Santuario: Bouncy Castle's {@code SM3withSM2} (the signer's id the standard
 * default, {@code 1234567812345678}, GM/T 0009) under the two method URIs e-port clients write, and the SM3
 * digest under e-port's URI. The signature value is the 64 bytes {@code r || s}, 32 each, as e-port writes it;
 * a DER-encoded value is taken too.
 */
public abstract class Sm2Sm3 extends SignatureAlgorithmSpi {

    /** The method e-port's clients have written since the SM2 cards came (with a SHA-1 or SM3 reference digest). */
    public static final String W3_METHOD = "http://www.w3.org/2000/09/xmldsig#sm2-sm3";
    /** The method in e-port's 2022 signature specification. */
    public static final String CHINAPORT_METHOD = "http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3";
    /** SM3 as a reference digest, in e-port's 2022 signature specification. */
    public static final String CHINAPORT_SM3_DIGEST = "http://www.chinaport.gov.cn/2022/04/xmldsig#sm3";

    private static final Provider BC;
    private static final int PART = 32;
    private static final BigInteger SM2_ORDER = GMNamedCurves.getByName("sm2p256v1").getN();

    static {
        // SM3 digests are looked up by name (Santuario's digests take no provider): Bouncy Castle is added last,
        // after the JDK's own, so it only serves what they do not have
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        BC = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
    }

    private final Signature signature;

    protected Sm2Sm3() throws XMLSignatureException {
        try {
            signature = Signature.getInstance("SM3withSM2", BC);
        } catch (GeneralSecurityException e) {
            throw new XMLSignatureException(e);
        }
    }

    /** Registers the methods and the digest with Santuario (once; after {@code Init.init()}). */
    static synchronized void register() {
        if (JCEMapper.translateURItoJCEID(CHINAPORT_SM3_DIGEST) != null) {
            return;
        }
        JCEMapper.register(CHINAPORT_SM3_DIGEST, new JCEMapper.Algorithm("", "SM3", "MessageDigest"));
        JCEMapper.register(W3_METHOD, new JCEMapper.Algorithm("EC", "SM3withSM2", "Signature"));
        JCEMapper.register(CHINAPORT_METHOD, new JCEMapper.Algorithm("EC", "SM3withSM2", "Signature"));
        try {
            SignatureAlgorithm.register(W3_METHOD, W3.class);
            SignatureAlgorithm.register(CHINAPORT_METHOD, Chinaport.class);
        } catch (XMLSecurityException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot register SM2-SM3 with Santuario: " + e.getMessage(), e);
        }
    }

    /** Reads EC keys on the SM2 curve, which the JDK's own key factory does not know. */
    static KeyFactory keyFactory() throws GeneralSecurityException {
        return KeyFactory.getInstance("EC", BC);
    }

    /** Whether a key is one these methods sign or verify with: an EC key on the SM2 curve ({@code sm2p256v1}). */
    static boolean isSm2(Key key) {
        return key instanceof ECKey ec && SM2_ORDER.equals(ec.getParams().getOrder());
    }

    /** {@code http://www.w3.org/2000/09/xmldsig#sm2-sm3}. */
    public static final class W3 extends Sm2Sm3 {
        public W3() throws XMLSignatureException {
        }

        public W3(Provider ignored) throws XMLSignatureException {
        }

        @Override
        protected String engineGetURI() {
            return W3_METHOD;
        }
    }

    /** {@code http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3}. */
    public static final class Chinaport extends Sm2Sm3 {
        public Chinaport() throws XMLSignatureException {
        }

        public Chinaport(Provider ignored) throws XMLSignatureException {
        }

        @Override
        protected String engineGetURI() {
            return CHINAPORT_METHOD;
        }
    }

    @Override
    protected String engineGetJCEAlgorithmString() {
        return signature.getAlgorithm();
    }

    @Override
    protected String engineGetJCEProviderName() {
        return BC.getName();
    }

    @Override
    protected void engineUpdate(byte[] input) throws XMLSignatureException {
        engineUpdate(input, 0, input.length);
    }

    @Override
    protected void engineUpdate(byte input) throws XMLSignatureException {
        engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] buf, int offset, int len) throws XMLSignatureException {
        try {
            signature.update(buf, offset, len);
        } catch (GeneralSecurityException e) {
            throw new XMLSignatureException(e);
        }
    }

    @Override
    protected void engineInitVerify(Key key) throws XMLSignatureException {
        if (!(key instanceof PublicKey publicKey) || !isSm2(key)) {
            throw new XMLSignatureException("algorithms.WrongKeyForThisOperation",
                    new Object[] {key == null ? null : key.getClass().getName(), "an SM2 public key"});
        }
        try {
            // a certificate another provider read: its key as Bouncy Castle's
            signature.initVerify(keyFactory().generatePublic(new X509EncodedKeySpec(publicKey.getEncoded())));
        } catch (GeneralSecurityException e) {
            throw new XMLSignatureException(e);
        }
    }

    @Override
    protected boolean engineVerify(byte[] value) throws XMLSignatureException {
        try {
            return signature.verify(value.length == 2 * PART ? der(value) : value);
        } catch (GeneralSecurityException | IOException e) {
            throw new XMLSignatureException(e);
        }
    }

    @Override
    protected void engineInitSign(Key key) throws XMLSignatureException {
        engineInitSign(key, (SecureRandom) null);
    }

    @Override
    protected void engineInitSign(Key key, SecureRandom random) throws XMLSignatureException {
        if (!(key instanceof PrivateKey privateKey) || !isSm2(key)) {
            throw new XMLSignatureException("algorithms.WrongKeyForThisOperation",
                    new Object[] {key == null ? null : key.getClass().getName(), "an SM2 private key"});
        }
        try {
            if (random == null) {
                signature.initSign(privateKey);
            } else {
                signature.initSign(privateKey, random);
            }
        } catch (GeneralSecurityException e) {
            throw new XMLSignatureException(e);
        }
    }

    @Override
    protected void engineInitSign(Key key, AlgorithmParameterSpec spec) throws XMLSignatureException {
        throw new XMLSignatureException("algorithms.CannotUseAlgorithmParameterSpecOnSM2");
    }

    @Override
    protected byte[] engineSign() throws XMLSignatureException {
        try {
            return raw(signature.sign());
        } catch (GeneralSecurityException | IOException e) {
            throw new XMLSignatureException(e);
        }
    }

    @Override
    protected void engineSetParameter(AlgorithmParameterSpec spec) throws XMLSignatureException {
        throw new XMLSignatureException("algorithms.CannotUseAlgorithmParameterSpecOnSM2");
    }

    @Override
    protected void engineSetHMACOutputLength(int length) throws XMLSignatureException {
        throw new XMLSignatureException("algorithms.HMACOutputLengthOnlyForHMAC");
    }

    /** {@code r || s} as the DER sequence the JCA verifies. */
    static byte[] der(byte[] raw) throws IOException {
        ASN1EncodableVector parts = new ASN1EncodableVector();
        parts.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, PART))));
        parts.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, PART, 2 * PART))));
        return new DERSequence(parts).getEncoded();
    }

    /** The JCA's DER sequence as {@code r || s}, each left-padded to 32 bytes. */
    static byte[] raw(byte[] der) throws IOException {
        ASN1Sequence sequence = ASN1Sequence.getInstance(der);
        byte[] raw = new byte[2 * PART];
        for (int i = 0; i < 2; i++) {
            byte[] part = ASN1Integer.getInstance(sequence.getObjectAt(i)).getPositiveValue().toByteArray();
            int length = Math.min(part.length, PART);
            System.arraycopy(part, part.length - length, raw, (i + 1) * PART - length, length);
        }
        return raw;
    }
}
