package org.singlewindow.contract;

/** The five agencies behind the single window. The lower-case name is used in routing keys and queues. */
public enum Agency {
    CUSTOMS, INSPECTION, TAX, FOREX, LOGISTICS;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Agency fromKey(String key) {
        return valueOf(key.toUpperCase(java.util.Locale.ROOT));
    }
}
