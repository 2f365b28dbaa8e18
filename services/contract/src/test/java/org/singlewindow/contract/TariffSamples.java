package org.singlewindow.contract;

/** Test data: tariffs as administrators load them. */
public final class TariffSamples {

    private TariffSamples() {
    }

    /** A tariff of the published tables' size as CSV: the bundled entries, then 9,000 more codes. */
    public static String fullTariffCsv() {
        StringBuilder csv = new StringBuilder("hsCode,description,mfnTariff,vat,consumption,consumptionRule,legalUnits,positiveList,notes\n");
        for (org.singlewindow.contract.reference.TariffTable.Entry e : org.singlewindow.contract.reference.TariffTable.bundled().entries()) {
            String rule = e.consumptionRule() == null ? "" : e.consumptionRule().kind().equals("high-end-cosmetics")
                    ? "high-end-cosmetics " + e.consumptionRule().perMassOrVolume() + " " + e.consumptionRule().perSheet()
                    : "price-per-piece " + e.consumptionRule().perPiece();
            csv.append(e.hsCode()).append(",\"").append(e.description().replace("\"", "\"\"")).append("\",")
                    .append(e.mfnTariff()).append(',').append(e.vat().movePointRight(2).stripTrailingZeros().toPlainString()).append("%,")
                    .append(e.consumption()).append(',').append(rule).append(',').append(String.join("/", e.legalUnits())).append(',')
                    .append(e.positiveList() ? "是" : "否").append(",\"").append(String.join("; ", e.notes())).append("\"\n");
        }
        for (int i = 0; i < 9_000; i++) {
            csv.append(String.format("99%08d", i)).append(",\"商品 ").append(i).append(", n.e.s.\",0.08,13%,0,,035/007,")
                    .append(i % 7 == 0 ? "N" : "Y").append(",\n");
        }
        return csv.toString();
    }
}
