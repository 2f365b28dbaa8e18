package org.singlewindow.contract.reference;

import java.util.List;

/** A reference document that cannot be used, with every reason. */
public final class InvalidReferenceData extends RuntimeException {

    private final List<String> problems;

    public InvalidReferenceData(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
