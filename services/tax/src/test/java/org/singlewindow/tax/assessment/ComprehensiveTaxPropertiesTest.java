package org.singlewindow.tax.assessment;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.singlewindow.contract.reference.TariffTable;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariants of the comprehensive tax over generated orders drawn from the tariff. */
class ComprehensiveTaxPropertiesTest {

    private static final TariffTable TARIFF = TariffTable.bundled();
    private final ComprehensiveTax tax = new ComprehensiveTax(TARIFF);

    @Provide
    Arbitrary<ComprehensiveTax.Line> lines() {
        Arbitrary<String> hs = Arbitraries.of(TARIFF.entries().stream().map(TariffTable.Entry::hsCode).toList());
        Arbitrary<Integer> quantity = Arbitraries.integers().between(1, 5);
        Arbitrary<String> unit = Arbitraries.of("007", "011", "036", "096", "035");
        Arbitrary<BigDecimal> price = Arbitraries.bigDecimals().between(new BigDecimal("0.01"), new BigDecimal("1200.00")).ofScale(2);
        // every line has a content (legal quantity in kilograms), as a declaration's lines do
        Arbitrary<BigDecimal> kilograms = Arbitraries.bigDecimals().between(new BigDecimal("0.001"), new BigDecimal("5.000")).ofScale(3);
        return Combinators.combine(hs, quantity, unit, price, kilograms).as((h, q, u, p, kg) ->
                new ComprehensiveTax.Line(1, h, BigDecimal.valueOf(q), u, kg, "035", p,
                        p.multiply(BigDecimal.valueOf(q)).setScale(2, RoundingMode.HALF_UP)));
    }

    @Provide
    Arbitrary<BigDecimal> fees() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("80.00")).ofScale(2);
    }

    @Property(tries = 500)
    void taxIsNeverNegativeAndEveryAmountIsInFen(@ForAll("orders") List<ComprehensiveTax.Line> lines,
                                                 @ForAll("fees") BigDecimal freight, @ForAll("fees") BigDecimal insurance) {
        ComprehensiveTax.Assessment a;
        try {
            a = tax.assess(lines, freight, insurance);
        } catch (ComprehensiveTax.NotAssessable e) {
            assertThat(e.reasonCode()).isEqualTo("TAX_SINGLE_LIMIT");
            return;
        }
        for (var item : a.items()) {
            for (BigDecimal amount : List.of(item.tariff(), item.consumption(), item.vat(), item.total())) {
                assertThat(amount.signum()).isGreaterThanOrEqualTo(0);
                assertThat(amount.scale()).isEqualTo(2);
            }
            assertThat(item.total()).isEqualByComparingTo(item.tariff().add(item.consumption()).add(item.vat()));
        }
        assertThat(a.total()).isEqualByComparingTo(a.tariff().add(a.consumption()).add(a.vat()));
        assertThat(a.total()).isEqualByComparingTo(a.items().stream().map(ComprehensiveTax.ItemTax::total).reduce(BigDecimal.ZERO, BigDecimal::add));
    }

    @Property(tries = 500)
    void taxablePricesAddUpToGoodsFreightAndInsurance(@ForAll("orders") List<ComprehensiveTax.Line> lines,
                                                      @ForAll("fees") BigDecimal freight, @ForAll("fees") BigDecimal insurance) {
        BigDecimal goods = lines.stream().map(ComprehensiveTax.Line::totalPrice).reduce(BigDecimal.ZERO, BigDecimal::add);
        try {
            var a = tax.assess(lines, freight, insurance);
            assertThat(a.transactionValue()).isEqualByComparingTo(goods.add(freight).add(insurance));
        } catch (ComprehensiveTax.NotAssessable e) {
            assertThat(goods.add(freight).add(insurance)).isGreaterThan(ComprehensiveTax.TRANSACTION_LIMIT);
        }
    }

    @Property(tries = 300)
    void withinTheLimitsTheTaxIsSeventyPercentOfTheStatutoryVatAndConsumptionTax(@ForAll("line") ComprehensiveTax.Line line) {
        var a = tax.assess(List.of(line), BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(a.regime()).isEqualTo(ComprehensiveTax.Regime.WITHIN_LIMITS);
        var item = a.items().getFirst();
        BigDecimal p = item.taxablePrice();
        BigDecimal c = item.consumptionRate();
        BigDecimal base = p.divide(BigDecimal.ONE.subtract(c), java.math.MathContext.DECIMAL128);
        BigDecimal statutory = base.multiply(c).add(base.multiply(item.vatRate()));
        BigDecimal expected = statutory.multiply(new BigDecimal("0.7"));
        // two amounts each rounded to the fen: within one fen of the exact 70 %
        assertThat(item.total().subtract(expected).abs()).isLessThanOrEqualTo(new BigDecimal("0.01"));
        assertThat(item.tariff()).isEqualByComparingTo("0");
    }

    /** One line within the single-transaction limit. */
    @Provide
    Arbitrary<ComprehensiveTax.Line> line() {
        return lines().filter(l -> l.totalPrice().compareTo(ComprehensiveTax.TRANSACTION_LIMIT) <= 0);
    }

    @Provide
    Arbitrary<List<ComprehensiveTax.Line>> orders() {
        return lines().list().ofMinSize(1).ofMaxSize(6).map(list -> {
            var numbered = new java.util.ArrayList<ComprehensiveTax.Line>();
            for (int i = 0; i < list.size(); i++) {
                var l = list.get(i);
                numbered.add(new ComprehensiveTax.Line(i + 1, l.hsCode(), l.quantity(), l.unit(), l.legalQuantity(), l.legalUnit(),
                        l.unitPrice(), l.totalPrice()));
            }
            return numbered;
        });
    }
}
