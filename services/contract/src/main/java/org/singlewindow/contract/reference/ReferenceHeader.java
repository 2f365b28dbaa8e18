package org.singlewindow.contract.reference;

import java.time.LocalDate;
import java.util.List;

/** The header every reference document carries (kind, version, effective date, source), and its checks. */
public final class ReferenceHeader {

    private ReferenceHeader() {
    }

    /** Add a problem for each header field that is wrong or missing. */
    public static void check(List<String> problems, String expectedKind, String kind, String version, LocalDate effectiveFrom,
                      String source) {
        if (!expectedKind.equals(kind)) {
            problems.add("kind must be " + expectedKind);
        }
        if (version == null || version.isBlank()) {
            problems.add("version is required");
        }
        if (effectiveFrom == null) {
            problems.add("effectiveFrom is required");
        }
        if (source == null || source.isBlank()) {
            problems.add("source is required");
        }
    }
}
