package org.singlewindow.contract;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The PRC resident identity number (GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit
 * sequence, and a check character computed over the first 17 digits (ISO 7064 MOD 11-2).
 */
public final class ResidentId {

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    private static final Pattern FORM = Pattern.compile("[0-9]{17}[0-9X]");

    private ResidentId() {
    }

    /** The check character for the first 17 digits. */
    public static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (first17.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    /** True when the number has the GB 11643 form and its check character is right. */
    public static boolean isValid(String number) {
        return number != null && FORM.matcher(number).matches() && checkCharacter(number) == number.charAt(17);
    }

    /** A valid, made-up number (area 410105, Zhengzhou) for test data and benchmarks. */
    public static String random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String first17 = String.format("410105%04d%02d%02d%03d", 1950 + random.nextInt(55), 1 + random.nextInt(12),
                1 + random.nextInt(28), random.nextInt(1000));
        return first17 + checkCharacter(first17);
    }
}
