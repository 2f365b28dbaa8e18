package org.singlewindow.kit.privacy;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * How a ledger knows a person without storing who it is: HMAC-SHA256 of the resident ID number under a
 * service's secret key, in hex. The same person has the same key within one service; without the key
 * the number cannot be recovered by trying every valid ID number.
 *
 * <p>The same secret also seals an ID number a service must read again later (an agency's copy of a
 * deferred declaration, {@link PersonalData}): AES-256-GCM under a key derived from the secret, as
 * {@code pe:<base64url(iv || ciphertext)>}; {@link #of} accepts a sealed number as it accepts a clear one.
 *
 * <p><b>Rotation</b> (docs/security.md): started with a new secret and the old one as {@code previous},
 * a service keys and seals with the new one, still opens what the old one sealed, and a ledger moves a
 * person's rows from the old key to the new one when the person next appears ({@link LedgerKeys}).
 */
public final class PersonKey {

    /** Prefix of a sealed ID number. The window accepts only 18-character resident ID numbers: no filer can pass one in. */
    public static final String SEALED = "pe:";

    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Secret current;
    private final Secret previous;

    private record Secret(SecretKeySpec hmac, SecretKeySpec seal) {
    }

    /**
     * @param secret   at least 16 characters, from the service's secret store
     * @param property the setting it comes from, named in the error when it is too short
     */
    public PersonKey(String secret, String property) {
        this(secret, null, property);
    }

    /**
     * @param secret   the key in force, at least 16 characters
     * @param previous the key it replaces, during a rotation; null otherwise
     * @param property the setting the key comes from, named in the error when one is too short
     */
    public PersonKey(String secret, String previous, String property) {
        this.current = secret(secret, property);
        this.previous = previous == null || previous.isBlank() ? null : secret(previous, property + "-previous");
    }

    private static Secret secret(String secret, String property) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException(property + " must be at least 16 characters");
        }
        SecretKeySpec hmac = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        // a separate key for sealing, derived from the same secret (one secret to keep and rotate)
        return new Secret(hmac, new SecretKeySpec(mac(hmac, "sw-person-seal-v1"), "AES"));
    }

    /** The person's key under the secret in force (a sealed number is opened first). */
    public String of(String idNumber) {
        return HexFormat.of().formatHex(mac(current.hmac(), clear(idNumber)));
    }

    /** The person's key under the previous secret, during a rotation. */
    public Optional<String> previousOf(String idNumber) {
        return previous == null ? Optional.empty() : Optional.of(HexFormat.of().formatHex(mac(previous.hmac(), clear(idNumber))));
    }

    /** The ID number sealed under the secret in force. */
    public String seal(String idNumber) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current.seal(), new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(idNumber.getBytes(StandardCharsets.UTF_8));
            return SEALED + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** A sealed number opened (under the secret in force, else the previous one); a clear one as it is. */
    private String clear(String value) {
        if (!value.startsWith(SEALED)) {
            return value;
        }
        byte[] all = Base64.getUrlDecoder().decode(value.substring(SEALED.length()));
        for (Secret secret : previous == null ? new Secret[]{current} : new Secret[]{current, previous}) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, secret.seal(), new GCMParameterSpec(128, all, 0, IV_BYTES));
                return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
            } catch (AEADBadTagException e) {
                // sealed under the other secret
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM unavailable", e);
            }
        }
        throw new IllegalStateException("an ID number sealed under neither the key in force nor the previous one");
    }

    private static byte[] mac(SecretKeySpec key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
