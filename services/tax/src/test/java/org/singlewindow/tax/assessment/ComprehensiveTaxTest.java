package org.singlewindow.tax.assessment;

import org.junit.jupiter.api.Test;
import org.singlewindow.contract.reference.TariffTable;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComprehensiveTaxTest {

    private final ComprehensiveTax tax = new ComprehensiveTax(TariffTable.bundled());

    private static ComprehensiveTax.Line line(String hs, String quantity, String unit, String unitPrice, String total) {
        return new ComprehensiveTax.Line(1, hs, new BigDecimal(quantity), unit, new BigDecimal(unitPrice), new BigDecimal(total));
    }

    @Test
    void infantFormulaOf300PaysVatAt70PercentOnly() {
        var a = tax.assess(List.of(line("1901101000", "2", "007", "150.00", "300.00")), BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(a.regime()).isEqualTo(ComprehensiveTax.Regime.WITHIN_LIMITS);
        assertThat(a.tariff()).isEqualByComparingTo("0");
        assertThat(a.consumption()).isEqualByComparingTo("0");
        assertThat(a.vat()).isEqualByComparingTo("27.30");
        assertThat(a.total()).isEqualByComparingTo("27.30");
    }

    @Test
    void highEndSkincareOf425For20GramsPaysConsumptionTaxAndVat() {
        var a = tax.assess(List.of(line("3304990099", "20", "036", "21.25", "425.00")), BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(a.items().getFirst().consumptionRate()).isEqualByComparingTo("0.15");
        assertThat(a.consumption()).isEqualByComparingTo("52.50");
        assertThat(a.vat()).isEqualByComparingTo("45.50");
        assertThat(a.total()).isEqualByComparingTo("98.00");
    }

    @Test
    void ordinarySkincareBelowTenYuanAGramPaysNoConsumptionTax() {
        var a = tax.assess(List.of(line("3304990099", "200", "036", "0.90", "180.00")), BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(a.consumption()).isEqualByComparingTo("0");
        assertThat(a.vat()).isEqualByComparingTo("16.38");
    }

    /**
     * Cosmetics are high-end by the customs value per g or ml of content (the legal quantity), or per sheet
     * for sheet products — not by the bare price of a piece (issue 16's examples).
     */
    @Test
    void aLotionSoldByThePieceIsJudgedByItsContentAndAFaceMaskSheetByTheSheet() {
        // 200 ml (0.2 kg) of lotion at CNY 100 a bottle: CNY 0.50 per ml, not high-end: VAT only
        var lotion = tax.assess(List.of(new ComprehensiveTax.Line(1, "3304990099", new BigDecimal("1"), "007",
                new BigDecimal("0.2"), "035", new BigDecimal("100.00"), new BigDecimal("100.00"))), BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(lotion.consumption()).isEqualByComparingTo("0");
        assertThat(lotion.total()).isEqualByComparingTo("9.10");

        // one face-mask sheet at CNY 20: over CNY 15 a sheet, high-end
        var mask = tax.assess(List.of(new ComprehensiveTax.Line(1, "3304990099", new BigDecimal("1"), "020",
                new BigDecimal("0.025"), "035", new BigDecimal("20.00"), new BigDecimal("20.00"))), BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(mask.items().getFirst().consumptionRate()).isEqualByComparingTo("0.15");
        // 20 / 0.85 · 0.15 · 0.7 = 2.47; (20 + 3.529…) · 0.13 · 0.7 = 2.14
        assertThat(mask.consumption()).isEqualByComparingTo("2.47");
        assertThat(mask.total()).isEqualByComparingTo("4.61");

        // the value includes the freight share: 9.50 a g bare, 10.50 with CNY 20 of freight on 20 g
        var serum = new ComprehensiveTax.Line(1, "3304990099", new BigDecimal("1"), "007", new BigDecimal("0.02"), "035",
                new BigDecimal("190.00"), new BigDecimal("190.00"));
        assertThat(tax.assess(List.of(serum), BigDecimal.ZERO, BigDecimal.ZERO).consumption()).isEqualByComparingTo("0");
        assertThat(tax.assess(List.of(serum), new BigDecimal("20.00"), BigDecimal.ZERO).consumption()).isPositive();

        // a box of 10 face masks (250 g) at CNY 160: CNY 16 a sheet is high-end, though only CNY 0.64 a g — its
        // sheets are its second legal quantity, and a sheet product is judged per sheet
        var box = tax.assess(List.of(new ComprehensiveTax.Line(1, "3304990099", new BigDecimal("1"), "140",
                new BigDecimal("0.25"), "035", new BigDecimal("10"), "020", new BigDecimal("160.00"), new BigDecimal("160.00"))),
                BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(box.items().getFirst().consumptionRate()).isEqualByComparingTo("0.15");
        var cheapBox = tax.assess(List.of(new ComprehensiveTax.Line(1, "3304990099", new BigDecimal("1"), "140",
                new BigDecimal("0.25"), "035", new BigDecimal("10"), "020", new BigDecimal("140.00"), new BigDecimal("140.00"))),
                BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(cheapBox.consumption()).isEqualByComparingTo("0");

        // a bottle without its content cannot be judged
        assertThatThrownBy(() -> tax.assess(List.of(line("3304990099", "1", "007", "100.00", "100.00")), BigDecimal.ZERO, BigDecimal.ZERO))
                .isInstanceOf(ComprehensiveTax.NotAssessable.class)
                .extracting(e -> ((ComprehensiveTax.NotAssessable) e).reasonCode()).isEqualTo("TAX_CONTENT_UNKNOWN");
    }

    /** Whisky is other alcohol (10 %), not baijiu; gold jewellery's consumption tax is paid at retail. */
    @Test
    void whiskyPaysTheOtherAlcoholRateAndGoldJewelleryNoConsumptionTaxOnImport() {
        var whisky = tax.assess(List.of(line("2208300000", "1", "007", "300.00", "300.00")), BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(whisky.items().getFirst().consumptionRate()).isEqualByComparingTo("0.10");
        // 300 / 0.9 · 0.1 · 0.7 = 23.33; (300 + 33.33…) · 0.13 · 0.7 = 30.33
        assertThat(whisky.consumption()).isEqualByComparingTo("23.33");
        assertThat(whisky.vat()).isEqualByComparingTo("30.33");

        var ring = tax.assess(List.of(line("7113191900", "1", "007", "2300.00", "2300.00")), BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(ring.consumption()).isEqualByComparingTo("0");
        assertThat(ring.vat()).isEqualByComparingTo("209.30");
    }

    @Test
    void oneIndivisibleItemOver5000PaysFullTariffAndVat() {
        var a = tax.assess(List.of(line("6403990000", "1", "011", "6000.00", "6000.00")), BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(a.regime()).isEqualTo(ComprehensiveTax.Regime.SINGLE_ITEM_FULL);
        assertThat(a.tariff()).isEqualByComparingTo("600.00");
        assertThat(a.vat()).isEqualByComparingTo("858.00");
        assertThat(a.total()).isEqualByComparingTo("1458.00");
        assertThat(a.transactionValue()).isEqualByComparingTo("6000.00");
    }

    @Test
    void anyOtherOrderOver5000IsNotAssessableInThisChannel() {
        assertThatThrownBy(() -> tax.assess(List.of(line("6403990000", "2", "011", "2600.00", "5200.00")), BigDecimal.ZERO, BigDecimal.ZERO))
                .isInstanceOf(ComprehensiveTax.NotAssessable.class)
                .extracting(e -> ((ComprehensiveTax.NotAssessable) e).reasonCode()).isEqualTo("TAX_SINGLE_LIMIT");
    }

    @Test
    void freightAndInsuranceAreTaxedAndSharedInProportion() {
        var a = tax.assess(List.of(
                        new ComprehensiveTax.Line(1, "1901101000", new BigDecimal("1"), "007", new BigDecimal("100.00"), new BigDecimal("100.00")),
                        new ComprehensiveTax.Line(2, "1901101000", new BigDecimal("2"), "007", new BigDecimal("100.00"), new BigDecimal("200.00"))),
                new BigDecimal("10.00"), new BigDecimal("0.01"));
        assertThat(a.items()).extracting(ComprehensiveTax.ItemTax::taxablePrice)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("103.34"), new BigDecimal("206.67"));
        assertThat(a.transactionValue()).isEqualByComparingTo("310.01");
    }

    @Test
    void anUnknownHsCodeIsNamedWithItsField() {
        assertThatThrownBy(() -> tax.assess(List.of(line("1234567890", "1", "007", "10.00", "10.00")), BigDecimal.ZERO, BigDecimal.ZERO))
                .isInstanceOf(ComprehensiveTax.NotAssessable.class)
                .satisfies(e -> {
                    var n = (ComprehensiveTax.NotAssessable) e;
                    assertThat(n.reasonCode()).isEqualTo("TAX_HS_UNKNOWN");
                    assertThat(n.field()).isEqualTo("/items/0/hsCode");
                });
    }

    @Test
    void aGiftLineAtPriceZeroPaysNothingAndTakesNoFreight() {
        var paid = new ComprehensiveTax.Line(1, "1901101000", new BigDecimal("2"), "007", new BigDecimal("150.00"), new BigDecimal("300.00"));
        var gift = new ComprehensiveTax.Line(2, "1901101000", new BigDecimal("1"), "007", BigDecimal.ZERO, BigDecimal.ZERO);
        var a = tax.assess(List.of(paid, gift), new BigDecimal("10.00"), BigDecimal.ZERO);
        assertThat(a.items().get(1).total()).isEqualByComparingTo("0");
        assertThat(a.items().get(1).taxablePrice()).isEqualByComparingTo("0");
        assertThat(a.transactionValue()).isEqualByComparingTo("310.00");
    }

    @Test
    void watchesPayConsumptionTaxOnlyFromTenThousandAPiece() {
        var cheap = tax.assess(List.of(line("9102110000", "1", "007", "3000.00", "3000.00")), BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(cheap.consumption()).isEqualByComparingTo("0");
        var dear = tax.assess(List.of(line("9102110000", "1", "007", "12000.00", "12000.00")), BigDecimal.ZERO, BigDecimal.ZERO);
        // full regime: tariff 960, consumption (12000+960)/0.8*0.2 = 3240, VAT (12000+960+3240)*0.13 = 2106
        assertThat(dear.tariff()).isEqualByComparingTo("960.00");
        assertThat(dear.consumption()).isEqualByComparingTo("3240.00");
        assertThat(dear.vat()).isEqualByComparingTo("2106.00");
        // judged on the customs value of a piece, freight included: CNY 9,990 with CNY 20 of freight is CNY 10,010
        var bare = tax.assess(List.of(line("9102110000", "1", "007", "9990.00", "9990.00")), BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(bare.consumption()).isEqualByComparingTo("0");
        var shipped = tax.assess(List.of(line("9102110000", "1", "007", "9990.00", "9990.00")), new BigDecimal("20.00"), BigDecimal.ZERO);
        // tariff 10,010 · 8 % = 800.80; consumption (10,010 + 800.80) / 0.8 · 0.2 = 2,702.70
        assertThat(shipped.consumption()).isEqualByComparingTo("2702.70");
    }
}
