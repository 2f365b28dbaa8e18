package org.singlewindow.declaration.status;

import org.singlewindow.declaration.lifecycle.DeclarationStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The histogram {@code sw.declarations.submit.to.final} by final status: how long a declaration took
 * from submission to its final status (the p99 an administrator holds against the target).
 */
public final class SubmitToFinal {

    private SubmitToFinal() {
    }

    public static void record(MeterRegistry meters, DeclarationStatus status, Duration took) {
        Timer.builder("sw.declarations.submit.to.final").tag("status", status.name())
                .description("Time from submission to the final status").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofHours(1))
                .register(meters).record(took);
    }
}
