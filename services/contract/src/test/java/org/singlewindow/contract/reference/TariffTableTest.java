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

    @Test
    void aFullTariffIsReadFromTheCsvAnAdministratorExportsFromThePublishedTables() {
        byte[] csv = ("\uFEFF" + org.singlewindow.contract.TariffSamples.fullTariffCsv()).getBytes(StandardCharsets.UTF_8);
        byte[] json = TariffTable.fromCsv(csv, StandardCharsets.UTF_8, "2027.1", java.time.LocalDate.parse("2027-01-01"),
                "Customs Import and Export Tariff 2027; positive list 2022");
        TariffTable table = TariffTable.parse(json);
        assertThat(table.entries()).hasSize(TariffTable.bundled().entries().size() + 9_000);
        assertThat(table.version()).isEqualTo("2027.1");
        // the bundled entries read back as they were: rates given as percentages, units, rules, notes, 是/否
        for (TariffTable.Entry e : TariffTable.bundled().entries()) {
            TariffTable.Entry read = table.find(e.hsCode()).orElseThrow();
            assertThat(read.vat()).isEqualByComparingTo(e.vat());
            assertThat(read.mfnTariff()).isEqualByComparingTo(e.mfnTariff());
            assertThat(read.legalUnits()).isEqualTo(e.legalUnits());
            assertThat(read.positiveList()).isEqualTo(e.positiveList());
            assertThat(read.notes()).isEqualTo(e.notes());
            assertThat(read.consumptionRule() == null).isEqualTo(e.consumptionRule() == null);
        }
        assertThat(table.find("9900000007")).get().satisfies(e -> {
            assertThat(e.positiveList()).isFalse();
            assertThat(e.description()).isEqualTo("商品 7, n.e.s.");
            assertThat(e.legalUnits()).containsExactly("035", "007");
        });
        assertThat(table.find("9900009000")).isEmpty();
        // a GBK export reads the same
        byte[] gbk = org.singlewindow.contract.TariffSamples.fullTariffCsv().getBytes(java.nio.charset.Charset.forName("GBK"));
        assertThat(TariffTable.parse(TariffTable.fromCsv(gbk, java.nio.charset.Charset.forName("GBK"), "2027.1",
                java.time.LocalDate.parse("2027-01-01"), "s")).find("9900000007").orElseThrow().description()).isEqualTo("商品 7, n.e.s.");
    }

    @Test
    void aBrokenTableIsRefusedNamingEachProblemByItsLine() {
        String csv = """
                hsCode,description,mfnTariff,vat,consumption,legalUnits,positiveList
                1901101000,Infant formula,0.15,13%,0,035,Y
                19011010,Too short,0.15,13,0,035,Y
                3304990099,Skincare,0.01,0.13,0.15,kg,maybe
                1901101000,Again,0.15,13%,0,035,Y
                """;
        assertThatThrownBy(() -> TariffTable.fromCsv(csv.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8, "v",
                java.time.LocalDate.parse("2027-01-01"), "s"))
                .isInstanceOf(InvalidReferenceData.class)
                .satisfies(e -> assertThat(((InvalidReferenceData) e).problems()).containsExactlyInAnyOrder(
                        "line 3 vat: 13 is not a rate: a fraction (0.13) or a percentage (13%)",
                        "line 4 positiveList: maybe is not true or false (Y/N, 是/否)",
                        "line 3 hsCode must be 10 digits",
                        "line 4 legalUnits must name one or two customs unit codes (3 digits)",
                        "line 5 hsCode 1901101000 appears twice"));
        assertThatThrownBy(() -> TariffTable.fromCsv("code,rate\n1,2\n".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8, "v",
                java.time.LocalDate.parse("2027-01-01"), "s"))
                .isInstanceOf(InvalidReferenceData.class).hasMessageContaining("the header has no column hsCode")
                .hasMessageContaining("column code is not one of");
    }
}
