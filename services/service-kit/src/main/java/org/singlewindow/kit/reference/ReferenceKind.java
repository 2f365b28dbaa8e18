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

    record Info(String version, LocalDate effectiveFrom, String source) {
    }
}
