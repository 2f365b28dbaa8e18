package org.singlewindow.kit.web;

import java.util.regex.Pattern;

/**
 * The {@code Idempotency-Key} header every creating POST takes: 1 to 128 of A-Z a-z 0-9 . _ : - (a UUID
 * fits). A malformed key, or a missing one where the request requires it, is a 400 naming the header.
 */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String WHAT = "1 to 128 characters of A-Z a-z 0-9 . _ : -";

    private IdempotencyKeys() {
    }

    /** A key the request may carry: as it is (null when absent); malformed, 400. */
    public static String optional(String key) {
        if (key != null && !FORMAT.matcher(key).matches()) {
            throw ApiException.invalid(HEADER, "pattern", WHAT);
        }
        return key;
    }

    /**
     * A key the request must carry, because a retry would otherwise do twice what it does.
     *
     * @param request what the request is, e.g. {@code "a deposit"}
     * @param action  what a retry would do twice, e.g. {@code "deposit"}
     */
    public static String required(String key, String request, String action) {
        if (key == null || !FORMAT.matcher(key).matches()) {
            throw ApiException.invalid(HEADER, "required", request + " needs an Idempotency-Key header (" + WHAT
                    + "), so a retry cannot " + action + " twice");
        }
        return key;
    }
}
