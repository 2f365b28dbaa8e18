package org.singlewindow.kit.privacy;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * How a ledger knows a person without storing who it is: HMAC-SHA256 of the resident ID number under a
 * service's secret key, in hex. The same person has the same key within one service; without the key
 * the number cannot be recovered by trying every valid ID number.
 */
public final class PersonKey {

    private final SecretKeySpec key;

    /**
     * @param secret   at least 16 characters, from the service's secret store
     * @param property the setting it comes from, named in the error when it is too short
     */
    public PersonKey(String secret, String property) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException(property + " must be at least 16 characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String of(String idNumber) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(idNumber.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
