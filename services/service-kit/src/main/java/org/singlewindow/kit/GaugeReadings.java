package org.singlewindow.kit;

import java.util.function.Supplier;

/** Readings for gauges that ask the database or the broker: a scrape must not fail while they cannot answer. */
public final class GaugeReadings {

    private GaugeReadings() {
    }

    /** The reading (null as 0), or NaN while it cannot be taken. */
    public static double orNaN(Supplier<? extends Number> reading) {
        try {
            Number value = reading.get();
            return value == null ? 0 : value.doubleValue();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
