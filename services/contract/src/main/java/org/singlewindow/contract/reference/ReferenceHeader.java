package org.singlewindow.contract.reference;

import org.singlewindow.contract.Json;
import tools.jackson.core.JacksonException;

import java.time.LocalDate;
import java.util.List;

/** The header every reference document carries (kind, version, effective date, source), and its checks. */
public final class ReferenceHeader {

    private ReferenceHeader() {
    }

    /**
     * Read a reference document of this type, or refuse it as a whole when it is not one.
     *
     * @param what what the document should be, for the problem: {@code a tariff document}, say
     * @throws InvalidReferenceData "not WHAT: " and why, when the JSON does not bind
     */
    public static <T> T read(byte[] json, Class<T> type, String what) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JacksonException e) {
            throw new InvalidReferenceData(List.of("not " + what + ": " + e.getOriginalMessage()));
        }
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
