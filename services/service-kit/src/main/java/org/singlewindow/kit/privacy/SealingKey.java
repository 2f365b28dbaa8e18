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

/**
 * Seals a short value a service must keep but read again (an ID number in an agency's copy, a webhook's
 * signing secret): AES-256-GCM under a key derived from a service's secret for one purpose
 * (HMAC-SHA256 of the purpose under the secret), as {@code <prefix><base64url(iv || ciphertext)>}. During a
 * rotation the key in force seals and the previous one still opens.
 */
public final class SealingKey {

    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String prefix;
    private final SecretKeySpec current;
    private final SecretKeySpec previous;

    /**
     * @param secret   the secret in force, at least 16 characters
     * @param previous the secret it replaces, during a rotation; null or blank otherwise
     * @param purpose  what the derived key is for (a different purpose, a different key)
     * @param prefix   marks a sealed value
     * @param property the setting the secret comes from, named in the error when one is too short
     */
    public SealingKey(String secret, String previous, String purpose, String prefix, String property) {
        this.prefix = prefix;
        this.current = derive(secret, purpose, property);
        this.previous = previous == null || previous.isBlank() ? null : derive(previous, purpose, property + "-previous");
    }

    static SecretKeySpec derive(String secret, String purpose, String property) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException(property + " must be at least 16 characters");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return new SecretKeySpec(mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8)), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether a value is sealed (carries the prefix). */
    public boolean isSealed(String value) {
        return value.startsWith(prefix);
    }

    /** The value sealed under the secret in force. */
    public String seal(String value) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return prefix + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** A sealed value opened, under the secret in force or else the previous one. */
    public String open(String sealed) {
        if (!isSealed(sealed)) {
            throw new IllegalArgumentException("not a sealed value");
        }
        byte[] all = Base64.getUrlDecoder().decode(sealed.substring(prefix.length()));
        for (SecretKeySpec key : previous == null ? new SecretKeySpec[]{current} : new SecretKeySpec[]{current, previous}) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, IV_BYTES));
                return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
            } catch (AEADBadTagException e) {
                // sealed under the other secret
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM unavailable", e);
            }
        }
        throw new IllegalStateException("a value sealed under neither the key in force nor the previous one");
    }
}
