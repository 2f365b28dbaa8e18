package org.singlewindow.contract.reference;


import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reference data: the HS tariff of what the cross-border retail channel sells — MFN tariff, import
 * VAT, consumption tax and its condition, positive-list membership — as a versioned document with its
 * source and effective date. Customs reads the positive list, tax the rates. The bundled version is
 * {@code reference/hs-tariff.json}; services may replace it at run time (admin API).
 *
 * @param kind          always {@code hs-tariff}
 * @param version       the document's version, e.g. {@code 2026.1}
 * @param effectiveFrom the day it applies from
 * @param source        where the figures come from
 * @param entries       one per 10-digit HS code
 */
public record TariffTable(String kind, String version, LocalDate effectiveFrom, String source, List<Entry> entries) {

    public static final String BUNDLED = "/org/singlewindow/contract/reference/hs-tariff.json";

    /**
     * @param consumptionRule when the consumption-tax rate applies; null: always (a rate of 0 means none)
     * @param legalUnits      the legal units of the HS code, first and (if any) second, as customs unit codes
     *                        (035 kilogram, 095 litre, 007 piece, …): what a line's {@code unit1}/{@code unit2} must be
     */
    public record Entry(String hsCode, String description, BigDecimal mfnTariff, BigDecimal vat, BigDecimal consumption,
                        ConsumptionRule consumptionRule, boolean positiveList, List<String> notes, List<String> legalUnits) {
    }

    /**
     * @param kind            {@code high-end-cosmetics}: applies at {@code perMassOrVolume} CNY per g or ml, or
     *                        {@code perSheet} CNY per sheet/piece; {@code price-per-piece}: at {@code perPiece}
     *                        CNY per piece or more
     */
    public record ConsumptionRule(String kind, BigDecimal perMassOrVolume, BigDecimal perSheet, BigDecimal perPiece) {
    }

    /** The entry of a 10-digit HS code (a linear scan: the channel's table has tens of lines). */
    public Optional<Entry> find(String hsCode) {
        return entries.stream().filter(e -> e.hsCode().equals(hsCode)).findFirst();
    }

    /** The version bundled with this build. */
    public static TariffTable bundled() {
        try (InputStream in = TariffTable.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED + " is missing from the classpath");
            }
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Read and check a tariff document.
     *
     * @throws InvalidReferenceData naming every problem found
     */
    public static TariffTable parse(byte[] json) {
        TariffTable table = ReferenceHeader.read(json, TariffTable.class, "a tariff document");
        List<String> problems = new ArrayList<>();
        ReferenceHeader.check(problems, "hs-tariff", table.kind(), table.version(), table.effectiveFrom(), table.source());
        if (table.entries() == null || table.entries().isEmpty()) {
            problems.add("entries must not be empty");
        } else {
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < table.entries().size(); i++) {
                Entry e = table.entries().get(i);
                String at = "entries[" + i + "]";
                if (e.hsCode() == null || !e.hsCode().matches("[0-9]{10}")) {
                    problems.add(at + ".hsCode must be 10 digits");
                } else if (seen.put(e.hsCode(), i) != null) {
                    problems.add(at + ".hsCode " + e.hsCode() + " appears twice");
                }
                if (e.legalUnits() == null || e.legalUnits().isEmpty() || e.legalUnits().size() > 2
                        || !e.legalUnits().stream().allMatch(u -> u != null && u.matches("[0-9]{3}"))) {
                    problems.add(at + ".legalUnits must name one or two customs unit codes (3 digits)");
                }
                rate(problems, at + ".mfnTariff", e.mfnTariff());
                rate(problems, at + ".vat", e.vat());
                rate(problems, at + ".consumption", e.consumption());
                if (e.consumption() != null && e.consumption().compareTo(BigDecimal.ONE) >= 0) {
                    problems.add(at + ".consumption must be below 1");
                }
                ConsumptionRule rule = e.consumptionRule();
                if (rule != null) {
                    switch (String.valueOf(rule.kind())) {
                        case "high-end-cosmetics" -> {
                            if (rule.perMassOrVolume() == null || rule.perSheet() == null) {
                                problems.add(at + ".consumptionRule needs perMassOrVolume and perSheet");
                            }
                        }
                        case "price-per-piece" -> {
                            if (rule.perPiece() == null) {
                                problems.add(at + ".consumptionRule needs perPiece");
                            }
                        }
                        default -> problems.add(at + ".consumptionRule.kind must be high-end-cosmetics or price-per-piece");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidReferenceData(problems);
        }
        return table;
    }

    private static void rate(List<String> problems, String field, BigDecimal value) {
        if (value == null || value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0) {
            problems.add(field + " must be a rate between 0 and 1");
        }
    }
}
