package org.singlewindow.kit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GaugeReadingsTest {

    @Test
    void aReadingIsItsNumberNullIsZeroAndAFailureIsNaN() {
        assertThat(GaugeReadings.orNaN(() -> 7L)).isEqualTo(7.0);
        assertThat(GaugeReadings.orNaN(() -> null)).isEqualTo(0.0);
        assertThat(GaugeReadings.orNaN(() -> {
            throw new IllegalStateException("database down");
        })).isNaN();
    }
}
