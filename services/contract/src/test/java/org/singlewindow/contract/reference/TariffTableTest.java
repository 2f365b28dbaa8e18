package org.singlewindow.contract.reference;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TariffTableTest {

    @Test
    void theBundledTableCoversWhatTheChannelSells() {
        TariffTable table = TariffTable.bundled();
        assertThat(table.version()).isNotBlank();
        assertThat(table.source()).contains("Cai Guan Shui [2016] No.18");
        assertThat(table.find("1901101000")).get()
                .satisfies(e -> assertThat(e.vat()).isEqualByComparingTo("0.13"))
                .satisfies(e -> assertThat(e.positiveList()).isTrue());
        assertThat(table.find("3304990099")).get().satisfies(e -> assertThat(e.consumptionRule().kind()).isEqualTo("high-end-cosmetics"));
        assertThat(table.find("2402200000")).get().satisfies(e -> assertThat(e.positiveList()).isFalse());
        assertThat(table.find("0000000000")).isEmpty();
        assertThat(table.entries()).allSatisfy(e -> assertThat(e.vat()).isBetween(BigDecimal.ZERO, BigDecimal.ONE));
    }

    @Test
    void aBrokenDocumentIsRefusedWithEveryProblemNamed() {
        String json = """
                {"kind": "hs-tariff", "version": "", "effectiveFrom": "2026-01-01", "source": "test",
                 "entries": [
                   {"hsCode": "123", "description": "x", "mfnTariff": 1.5, "vat": 0.13, "consumption": 0, "positiveList": true, "notes": [],
                    "legalUnits": ["035"]},
                   {"hsCode": "1901101000", "description": "x", "mfnTariff": 0, "vat": 0.13, "consumption": 0, "positiveList": true, "notes": [],
                    "legalUnits": ["kg"]},
                   {"hsCode": "1901101000", "description": "y", "mfnTariff": 0, "vat": -1, "consumption": 0,
                    "consumptionRule": {"kind": "sometimes"}, "positiveList": true, "notes": [], "legalUnits": ["035"]}
                 ]}""";
        assertThatThrownBy(() -> TariffTable.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidReferenceData.class)
                .satisfies(e -> assertThat(((InvalidReferenceData) e).problems()).containsExactlyInAnyOrder(
                        "version is required",
                        "entries[0].hsCode must be 10 digits",
                        "entries[0].mfnTariff must be a rate between 0 and 1",
                        "entries[1].legalUnits must name one or two customs unit codes (3 digits)",
                        "entries[2].hsCode 1901101000 appears twice",
                        "entries[2].vat must be a rate between 0 and 1",
                        "entries[2].consumptionRule.kind must be high-end-cosmetics or price-per-piece"));
        assertThatThrownBy(() -> TariffTable.parse("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidReferenceData.class);
    }
}
