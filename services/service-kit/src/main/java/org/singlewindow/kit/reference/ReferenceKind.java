package org.singlewindow.kit.reference;

import java.time.LocalDate;

/**
 * A kind of reference document a service decides by (a tariff, a rule set): its name, the version
 * bundled with the build, and how to read and check one.
 *
 * @param <T> the parsed document
 */
public interface ReferenceKind<T> {

    /** Path segment and key, e.g. {@code hs-tariff}. */
    String name();

    /** The version bundled with the build, used until an administrator loads another. */
    byte[] bundled();

    /** Read and check; throws {@link org.singlewindow.contract.reference.InvalidReferenceData} naming every problem. */
    T parse(byte[] json);

    /** What the document says about itself. */
    Info describe(T document);

    /**
     * The document from a CSV table, as JSON ({@link #parse} reads it), where this kind is kept in one;
     * throws {@link org.singlewindow.contract.reference.InvalidReferenceData} naming every problem, or
     * {@link UnsupportedOperationException} for a kind loaded as JSON only.
     */
    default byte[] fromCsv(byte[] csv, java.nio.charset.Charset charset, Info header) {
        throw new UnsupportedOperationException(name() + " is loaded as JSON only");
    }

    record Info(String version, LocalDate effectiveFrom, String source) {
    }
}
