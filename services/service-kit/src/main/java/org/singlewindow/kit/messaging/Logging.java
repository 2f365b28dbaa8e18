package org.singlewindow.kit.messaging;

/** MDC keys every log line carries (see {@code logging.pattern.correlation}). */
public final class Logging {

    public static final String CORRELATION_ID = "correlationId";
    public static final String DECLARATION_ID = "declarationId";

    private Logging() {
    }
}
