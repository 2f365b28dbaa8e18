package org.singlewindow.inspection.decision;

/** GS1 check digit of GTIN-8/12/13/14 bar codes (mod 10, weights 3 and 1 from the right). */
final class Gtin {

    private Gtin() {
    }

    static boolean valid(String code) {
        int sum = 0;
        for (int i = code.length() - 2, weight = 3; i >= 0; i--, weight = 4 - weight) {
            sum += (code.charAt(i) - '0') * weight;
        }
        int check = (10 - sum % 10) % 10;
        return check == code.charAt(code.length() - 1) - '0';
    }
}
