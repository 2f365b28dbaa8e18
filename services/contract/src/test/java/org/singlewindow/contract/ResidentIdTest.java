package org.singlewindow.contract;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResidentIdTest {

    @Test
    void acceptsNumbersWhoseCheckCharacterIsRight() {
        assertThat(ResidentId.isValid("11010519491231002X")).isTrue();
        assertThat(ResidentId.isValid("440524188001010014")).isTrue();
        for (int i = 0; i < 1000; i++) {
            assertThat(ResidentId.isValid(ResidentId.random())).isTrue();
        }
    }

    @Test
    void refusesAWrongCheckCharacterOrForm() {
        assertThat(ResidentId.isValid("110105194912310021")).isFalse();
        assertThat(ResidentId.isValid("11010519491231002x")).isFalse();
        assertThat(ResidentId.isValid("1101051949123100")).isFalse();
        assertThat(ResidentId.isValid(null)).isFalse();
    }
}
