package org.singlewindow.tax.assessment;

import org.singlewindow.contract.reference.TariffTable;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cross-border e-commerce comprehensive tax (Cai Guan Shui [2016] No.18, [2018] No.49) of one
 * order, item by item.
 *
 * <p><b>Taxable price</b> of an item: its total price plus its share of the order's freight and
 * insurance, shared in proportion to the items' total prices (rounded to the fen, the last item
 * taking the remainder).
 *
 * <p><b>Within the limits</b> (taxable total of the order at most CNY 5,000): tariff 0, consumption
 * tax and import VAT at 70 % of the statutory amount: {@code consumption = P/(1−c)·c·0.7},
 * {@code VAT = (P + P/(1−c)·c)·v·0.7}.
 *
 * <p><b>A single indivisible item over CNY 5,000</b> (one line, quantity 1): full tariff, consumption
 * tax and VAT: {@code tariff = P·t}, {@code consumption = (P + tariff)/(1−c)·c},
 * {@code VAT = (P + tariff + consumption)·v}. Any other order over CNY 5,000 is not clearable in
 * this channel ({@code TAX_SINGLE_LIMIT}).
 *
 * <p><b>Rounding</b>: every tax of every item is computed exactly (divisions to 34 significant digits)
 * and then rounded to the fen, half up; the order's totals are sums of those rounded amounts, so a
 * bill's lines always add up to its total.
 */
public final class ComprehensiveTax {

    /** CNY 5,000: the single-transaction limit. */
    public static final BigDecimal TRANSACTION_LIMIT = new BigDecimal("5000.00");
    /** 70 %: the share of VAT and consumption tax paid within the limits. */
    public static final BigDecimal WITHIN_LIMITS_SHARE = new BigDecimal("0.7");

    private static final MathContext EXACT = MathContext.DECIMAL128;
    private static final BigDecimal THOUSAND = new BigDecimal("1000");
    /** The customs unit code of a sheet (片): face masks and other sheet products. */
    private static final String SHEET = "020";

    /**
     * One line to assess. {@code unit} is the transaction unit, {@code legalUnit} the first legal unit and
     * {@code secondUnit} the second, customs unit codes (036 g, 035 kg, 096 ml, 095 l, 020 sheet, others:
     * pieces); {@code legalQuantity} the line's first legal quantity (its content, for goods whose legal unit is
     * a mass or volume), {@code secondQuantity} its second (the sheets in a box of face masks, say).
     */
    public record Line(int gnum, String hsCode, BigDecimal quantity, String unit, BigDecimal legalQuantity, String legalUnit,
                       BigDecimal secondQuantity, String secondUnit, BigDecimal unitPrice, BigDecimal totalPrice) {

        /** A line with its first legal quantity only. */
        public Line(int gnum, String hsCode, BigDecimal quantity, String unit, BigDecimal legalQuantity, String legalUnit,
                    BigDecimal unitPrice, BigDecimal totalPrice) {
            this(gnum, hsCode, quantity, unit, legalQuantity, legalUnit, null, null, unitPrice, totalPrice);
        }

        /** A line without legal quantity (a quote for goods whose content is their transaction quantity). */
        public Line(int gnum, String hsCode, BigDecimal quantity, String unit, BigDecimal unitPrice, BigDecimal totalPrice) {
            this(gnum, hsCode, quantity, unit, null, null, unitPrice, totalPrice);
        }

        /** How many sheets the line is, if any of its units is the sheet (片). */
        Optional<BigDecimal> sheets() {
            if (SHEET.equals(unit)) {
                return Optional.ofNullable(quantity);
            }
            if (SHEET.equals(legalUnit)) {
                return Optional.ofNullable(legalQuantity);
            }
            return SHEET.equals(secondUnit) ? Optional.ofNullable(secondQuantity) : Optional.empty();
        }
    }

    /** How an order is taxed. */
    public enum Regime { WITHIN_LIMITS, SINGLE_ITEM_FULL }

    public record ItemTax(int gnum, String hsCode, BigDecimal taxablePrice, BigDecimal tariffRate,
                          BigDecimal consumptionRate, BigDecimal vatRate, BigDecimal tariff, BigDecimal consumption,
                          BigDecimal vat, BigDecimal total) {
    }

    /**
     * @param transactionValue the order's taxable total (what counts toward the consumer's annual limit)
     */
    public record Assessment(Regime regime, BigDecimal transactionValue, List<ItemTax> items, BigDecimal tariff,
                             BigDecimal consumption, BigDecimal vat, BigDecimal total) {
    }

    /** Why an order cannot be assessed in this channel. */
    public static final class NotAssessable extends RuntimeException {
        private final String reasonCode;
        private final String field;

        NotAssessable(String reasonCode, String field, String message) {
            super(message);
            this.reasonCode = reasonCode;
            this.field = field;
        }

        public String reasonCode() {
            return reasonCode;
        }

        public String field() {
            return field;
        }
    }

    private final TariffTable tariff;

    public ComprehensiveTax(TariffTable tariff) {
        this.tariff = tariff;
    }

    public TariffTable tariff() {
        return tariff;
    }

    public Assessment assess(List<Line> lines, BigDecimal freight, BigDecimal insurance) {
        if (lines.isEmpty()) {
            throw new NotAssessable("TAX_NO_ITEMS", "/items", "an order needs at least one item");
        }
        BigDecimal goods = lines.stream().map(Line::totalPrice).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal extra = nonNegative(freight).add(nonNegative(insurance));
        List<BigDecimal> taxable = share(lines, goods, extra);
        BigDecimal transactionValue = taxable.stream().reduce(BigDecimal.ZERO, BigDecimal::add);

        Regime regime = Regime.WITHIN_LIMITS;
        if (transactionValue.compareTo(TRANSACTION_LIMIT) > 0) {
            boolean indivisible = lines.size() == 1 && lines.getFirst().quantity().compareTo(BigDecimal.ONE) == 0;
            if (!indivisible) {
                throw new NotAssessable("TAX_SINGLE_LIMIT", "/order/goodsValue", "the order's taxable value "
                        + transactionValue + " is over the CNY 5,000 single-transaction limit and is not one indivisible item");
            }
            regime = Regime.SINGLE_ITEM_FULL;
        }

        List<ItemTax> items = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            String field = "/items/" + i + "/hsCode";
            TariffTable.Entry entry = tariff.find(line.hsCode()).orElseThrow(() -> new NotAssessable("TAX_HS_UNKNOWN",
                    field, "HS code " + line.hsCode() + " is not in tariff " + tariff.version()));
            items.add(item(line, entry, taxable.get(i), regime, i));
        }
        return new Assessment(regime, transactionValue, List.copyOf(items),
                sum(items, ItemTax::tariff), sum(items, ItemTax::consumption), sum(items, ItemTax::vat), sum(items, ItemTax::total));
    }

    private static ItemTax item(Line line, TariffTable.Entry entry, BigDecimal price, Regime regime, int index) {
        BigDecimal c = consumptionRate(line, entry, price, index);
        BigDecimal v = entry.vat();
        BigDecimal t = regime == Regime.SINGLE_ITEM_FULL ? entry.mfnTariff() : BigDecimal.ZERO;
        BigDecimal share = regime == Regime.SINGLE_ITEM_FULL ? BigDecimal.ONE : WITHIN_LIMITS_SHARE;

        BigDecimal tariffExact = price.multiply(t, EXACT);
        BigDecimal base = price.add(tariffExact);
        // consumption-tax base is composite: (P + tariff) / (1 - c)
        BigDecimal consumptionStatutory = base.divide(BigDecimal.ONE.subtract(c), EXACT).multiply(c, EXACT);
        BigDecimal vatStatutory = base.add(consumptionStatutory).multiply(v, EXACT);

        BigDecimal tariffTax = fen(tariffExact);
        BigDecimal consumption = fen(consumptionStatutory.multiply(share, EXACT));
        BigDecimal vat = fen(vatStatutory.multiply(share, EXACT));
        return new ItemTax(line.gnum(), line.hsCode(), price, t, c, v, tariffTax, consumption, vat,
                tariffTax.add(consumption).add(vat));
    }

    /**
     * The consumption-tax rate that applies to this line, given the entry's condition, always judged on the
     * customs value — the line's taxable price, its freight and insurance share included (Cai Shui [2016]
     * No.103). High-end cosmetics: per sheet for sheet products (the transaction unit or either legal unit 020:
     * a box of face masks with its sheets as second legal quantity is judged per sheet), otherwise per g or ml of
     * content — the legal quantity when it is a mass or volume, else the transaction quantity when that is one;
     * a line whose content is neither cannot be judged and is not assessable. Priced per piece (high-end
     * watches): the customs value of one piece, so CNY 9,990 with CNY 20 of freight is over CNY 10,000.
     */
    static BigDecimal consumptionRate(Line line, TariffTable.Entry entry, BigDecimal taxablePrice, int index) {
        BigDecimal rate = entry.consumption() == null ? BigDecimal.ZERO : entry.consumption();
        TariffTable.ConsumptionRule rule = entry.consumptionRule();
        if (rule == null || rate.signum() == 0) {
            return rate;
        }
        boolean applies = switch (rule.kind()) {
            case "high-end-cosmetics" -> {
                BigDecimal sheets = line.sheets().orElse(null);
                if (sheets != null && sheets.signum() > 0) {
                    yield taxablePrice.divide(sheets, EXACT).compareTo(rule.perSheet()) >= 0;
                }
                BigDecimal content = content(line.legalQuantity(), line.legalUnit())
                        .or(() -> content(line.quantity(), line.unit()))
                        .orElseThrow(() -> new NotAssessable("TAX_CONTENT_UNKNOWN", "/items/" + index + "/qty1",
                                "HS " + line.hsCode() + " is taxed as cosmetics by its value per g or ml or per sheet: give the "
                                        + "line's content as its legal quantity in kilograms, grams, litres or millilitres, "
                                        + "or sheets as its unit"));
                yield taxablePrice.divide(content, EXACT).compareTo(rule.perMassOrVolume()) >= 0;
            }
            case "price-per-piece" -> line.quantity() == null || line.quantity().signum() <= 0
                    ? line.unitPrice().compareTo(rule.perPiece()) >= 0
                    : taxablePrice.divide(line.quantity(), EXACT).compareTo(rule.perPiece()) >= 0;
            default -> true;
        };
        return applies ? rate : BigDecimal.ZERO;
    }

    /** A quantity in grams or millilitres, if its unit is a mass or a volume. */
    private static Optional<BigDecimal> content(BigDecimal quantity, String unit) {
        if (quantity == null || unit == null || quantity.signum() <= 0) {
            return Optional.empty();
        }
        return switch (unit) {
            case "036", "096" -> Optional.of(quantity);
            case "035", "095" -> Optional.of(quantity.multiply(THOUSAND));
            default -> Optional.empty();
        };
    }

    /** Freight and insurance shared over the items in proportion to their total prices. */
    private static List<BigDecimal> share(List<Line> lines, BigDecimal goods, BigDecimal extra) {
        List<BigDecimal> out = new ArrayList<>();
        BigDecimal given = BigDecimal.ZERO;
        for (int i = 0; i < lines.size(); i++) {
            BigDecimal part;
            if (i == lines.size() - 1) {
                part = extra.subtract(given);
            } else {
                part = goods.signum() == 0 ? BigDecimal.ZERO : fen(extra.multiply(lines.get(i).totalPrice(), EXACT).divide(goods, EXACT));
                given = given.add(part);
            }
            out.add(lines.get(i).totalPrice().add(part).setScale(2, RoundingMode.HALF_UP));
        }
        return out;
    }

    private static BigDecimal sum(List<ItemTax> items, java.util.function.Function<ItemTax, BigDecimal> f) {
        return items.stream().map(f).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
    }

    private static BigDecimal fen(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP);
    }

    private static BigDecimal nonNegative(BigDecimal amount) {
        return amount == null || amount.signum() < 0 ? BigDecimal.ZERO : amount;
    }
}
