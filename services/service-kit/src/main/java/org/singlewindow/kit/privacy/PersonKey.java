package org.singlewindow.kit.privacy;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
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

    private final SecretKeySpec current;
    private final SecretKeySpec previous;
    // a separate key for sealing, derived from the same secret (one secret to keep and rotate)
    private final SealingKey sealing;

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
        this.sealing = new SealingKey(secret, previous, "sw-person-seal-v1", SEALED, property);
        this.current = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.previous = previous == null || previous.isBlank() ? null : new SecretKeySpec(previous.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The person's key under the secret in force (a sealed number is opened first). */
    public String of(String idNumber) {
        return HexFormat.of().formatHex(mac(current, clear(idNumber)));
    }

    /** The person's key under the previous secret, during a rotation. */
    public Optional<String> previousOf(String idNumber) {
        return previous == null ? Optional.empty() : Optional.of(HexFormat.of().formatHex(mac(previous, clear(idNumber))));
    }

    /** The ID number sealed under the secret in force. */
    public String seal(String idNumber) {
        return sealing.seal(idNumber);
    }

    /** A sealed number opened (under the secret in force, else the previous one); a clear one as it is. */
    private String clear(String value) {
        return sealing.isSealed(value) ? sealing.open(value) : value;
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
