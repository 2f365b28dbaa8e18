package org.singlewindow.contract.reference;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CebCodeListsTest {

    private final CebCodeLists codes = CebCodeLists.bundled();

    @Test
    void customsCodesMapToIsoAndBack() {
        assertThat(codes.countryIso("142")).hasValue("CHN");
        assertThat(codes.countryIso("502")).hasValue("USA");
        assertThat(codes.countryIso("309")).hasValue("NLD");
        assertThat(codes.countryIso("110")).hasValue("HKG");
        assertThat(codes.countryCustoms("JPN")).hasValue("116");
        assertThat(codes.currencyIso("142")).hasValue("CNY");
        assertThat(codes.currencyIso("502")).hasValue("USD");
        assertThat(codes.currencyIso("300")).hasValue("EUR");
        assertThat(codes.currencyCustoms("GBP")).hasValue("303");
        // every code goes there and back
        codes.countries().forEach(c -> assertThat(codes.countryCustoms(codes.countryIso(c.customs()).orElseThrow())).hasValue(c.customs()));
        codes.currencies().forEach(c -> assertThat(codes.currencyCustoms(codes.currencyIso(c.customs()).orElseThrow())).hasValue(c.customs()));
    }

    @Test
    void regionalRemaindersAndUnknownCodesAreNotMapped() {
        assertThat(codes.countryIso("199")).isEmpty();
        assertThat(codes.countryIso("701")).isEmpty();
        assertThat(codes.currencyIso("999")).isEmpty();
        assertThat(codes.countryIso(null)).isEmpty();
    }

    @Test
    void aBrokenListIsRefusedNamingEveryProblem() {
        String broken = """
                {"kind": "ceb-code-lists", "version": "x", "effectiveFrom": "2026-01-01", "source": "test",
                 "countries": [{"customs": "142", "iso": "CHN"}, {"customs": "142", "iso": "chn"}],
                 "currencies": [{"customs": "14", "iso": "CNY"}]}""";
        assertThatThrownBy(() -> CebCodeLists.parse(broken.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidReferenceData.class)
                .hasMessageContaining("countries[1].iso must be three capital letters")
                .hasMessageContaining("currencies[0].customs must be three digits");
    }
}
