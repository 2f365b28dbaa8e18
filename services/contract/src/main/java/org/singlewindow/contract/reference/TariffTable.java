package org.singlewindow.contract.reference;


import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.AbstractList;
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

    public TariffTable {
        entries = entries == null ? null : new Indexed(entries);
    }

    /** The entry of a 10-digit HS code (by an index: a full tariff has some 9,000 lines). */
    public Optional<Entry> find(String hsCode) {
        return entries instanceof Indexed indexed ? Optional.ofNullable(indexed.byCode.get(hsCode))
                : entries.stream().filter(e -> e.hsCode().equals(hsCode)).findFirst();
    }

    /** The entries as read, with an index by HS code (the first of a code, as a scan would find it). */
    private static final class Indexed extends AbstractList<Entry> {
        private final List<Entry> entries;
        private final Map<String, Entry> byCode;

        Indexed(List<Entry> entries) {
            this.entries = entries instanceof Indexed indexed ? indexed.entries : List.copyOf(entries.stream()
                    .map(e -> e == null ? new Entry(null, null, null, null, null, null, false, List.of(), List.of()) : e).toList());
            this.byCode = new HashMap<>(this.entries.size() * 2);
            for (Entry e : this.entries) {
                if (e.hsCode() != null) {
                    byCode.putIfAbsent(e.hsCode(), e);
                }
            }
        }

        @Override
        public Entry get(int index) {
            return entries.get(index);
        }

        @Override
        public int size() {
            return entries.size();
        }
    }

    /** The columns of a tariff in CSV, in this order (a header row names them; {@code consumptionRule} and {@code notes} may be left out). */
    public static final List<String> CSV_COLUMNS = List.of("hsCode", "description", "mfnTariff", "vat", "consumption",
            "consumptionRule", "legalUnits", "positiveList", "notes");

    /**
     * A tariff document from a CSV table, as an administrator exports one from the published tariff and the
     * positive list: a header row naming the columns ({@link #CSV_COLUMNS}, any order), then one row per
     * 10-digit HS code. Rates as a fraction ({@code 0.13}) or a percentage ({@code 13%}); {@code legalUnits} the
     * first and second legal unit codes separated by {@code /} ({@code 035/007}); {@code positiveList}
     * {@code true}/{@code false} (also {@code Y}/{@code N}, {@code 是}/{@code 否}); {@code consumptionRule} empty,
     * {@code high-end-cosmetics <per g or ml> <per sheet>} or {@code price-per-piece <CNY>}; {@code notes}
     * separated by {@code ;}. A UTF-8 byte-order mark (as spreadsheets write) is skipped.
     *
     * @return the document as JSON, checked as {@link #parse} checks it
     * @throws InvalidReferenceData naming every problem by its line and column
     */
    public static byte[] fromCsv(byte[] csv, java.nio.charset.Charset charset, String version, LocalDate effectiveFrom, String source) {
        String text = new String(csv, charset);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> entries = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        tools.jackson.dataformat.csv.CsvMapper mapper = new tools.jackson.dataformat.csv.CsvMapper();
        try (var rows = mapper.readerFor(Map.class)
                .with(tools.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader())
                .<Map<String, String>>readValues(text)) {
            List<String> header = null;
            while (rows.hasNextValue()) {
                Map<String, String> row = rows.nextValue();
                int line = entries.size() + 2; // the header is line 1 (a cell spanning lines is not expected here)
                if (header == null) {
                    header = List.copyOf(row.keySet());
                    for (String column : List.of("hsCode", "description", "mfnTariff", "vat", "consumption", "legalUnits", "positiveList")) {
                        if (!header.contains(column)) {
                            problems.add("line 1: the header has no column " + column + " (columns: " + String.join(", ", CSV_COLUMNS) + ")");
                        }
                    }
                    for (String column : header) {
                        if (!CSV_COLUMNS.contains(column)) {
                            problems.add("line 1: column " + column + " is not one of " + String.join(", ", CSV_COLUMNS));
                        }
                    }
                    if (!problems.isEmpty()) {
                        break;
                    }
                }
                entries.add(csvEntry(row, "line " + line, problems));
                lines.add(line);
            }
        } catch (tools.jackson.core.JacksonException e) {
            problems.add("not a CSV table: " + e.getOriginalMessage() + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (!problems.isEmpty() && entries.isEmpty()) {
            throw new InvalidReferenceData(problems);
        }
        Map<String, Object> document = new java.util.LinkedHashMap<>();
        document.put("kind", "hs-tariff");
        document.put("version", version);
        document.put("effectiveFrom", effectiveFrom == null ? null : effectiveFrom.toString());
        document.put("source", source);
        document.put("entries", entries);
        byte[] json = org.singlewindow.contract.Json.mapper().writeValueAsBytes(document);
        try {
            parse(json);
        } catch (InvalidReferenceData e) {
            // an entry's problems named by its line rather than by its place in the document
            java.util.regex.Pattern place = java.util.regex.Pattern.compile("^entries\\[(\\d+)]\\.");
            e.problems().stream().map(p -> {
                var m = place.matcher(p);
                return m.find() ? "line " + lines.get(Integer.parseInt(m.group(1))) + " " + p.substring(m.end()) : p;
            }).forEach(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new InvalidReferenceData(problems);
        }
        return json;
    }

    private static Map<String, Object> csvEntry(Map<String, String> row, String at, List<String> problems) {
        Map<String, Object> entry = new java.util.LinkedHashMap<>();
        entry.put("hsCode", cell(row, "hsCode"));
        entry.put("description", cell(row, "description"));
        for (String rate : List.of("mfnTariff", "vat", "consumption")) {
            entry.put(rate, csvRate(cell(row, rate), at + " " + rate, problems));
        }
        String rule = cell(row, "consumptionRule");
        if (!rule.isEmpty()) {
            String[] parts = rule.split("\\s+");
            try {
                switch (parts[0]) {
                    case "high-end-cosmetics" -> entry.put("consumptionRule", Map.of("kind", parts[0],
                            "perMassOrVolume", new BigDecimal(parts[1]), "perSheet", new BigDecimal(parts[2])));
                    case "price-per-piece" -> entry.put("consumptionRule", Map.of("kind", parts[0], "perPiece", new BigDecimal(parts[1])));
                    default -> problems.add(at + " consumptionRule: " + rule + " is not high-end-cosmetics <per g or ml> <per sheet> "
                            + "or price-per-piece <CNY>");
                }
            } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
                problems.add(at + " consumptionRule: " + rule + " needs its amounts (high-end-cosmetics 10 15, price-per-piece 10000)");
            }
        }
        String units = cell(row, "legalUnits");
        entry.put("legalUnits", units.isEmpty() ? List.of() : List.of(units.split("\\s*/\\s*")));
        entry.put("positiveList", switch (cell(row, "positiveList")) {
            case "true", "TRUE", "Y", "y", "是" -> true;
            case "false", "FALSE", "N", "n", "否", "" -> false;
            default -> {
                problems.add(at + " positiveList: " + cell(row, "positiveList") + " is not true or false (Y/N, 是/否)");
                yield false;
            }
        });
        String notes = cell(row, "notes");
        entry.put("notes", notes.isEmpty() ? List.of() : java.util.Arrays.stream(notes.split(";")).map(String::strip)
                .filter(n -> !n.isEmpty()).toList());
        return entry;
    }

    private static String cell(Map<String, String> row, String column) {
        String value = row.get(column);
        return value == null ? "" : value.strip();
    }

    private static BigDecimal csvRate(String cell, String at, List<String> problems) {
        if (cell.isEmpty()) {
            problems.add(at + ": a rate is required (0 when none)");
            return BigDecimal.ZERO;
        }
        try {
            if (cell.endsWith("%")) {
                return new BigDecimal(cell.substring(0, cell.length() - 1).strip()).movePointLeft(2).stripTrailingZeros();
            }
            BigDecimal rate = new BigDecimal(cell);
            if (rate.compareTo(BigDecimal.ONE) > 0) {
                problems.add(at + ": " + cell + " is not a rate: a fraction (0.13) or a percentage (13%)");
                return BigDecimal.ZERO; // named here, not again by the document's own check
            }
            return rate;
        } catch (NumberFormatException e) {
            problems.add(at + ": " + cell + " is not a rate: a fraction (0.13) or a percentage (13%)");
            return BigDecimal.ZERO;
        }
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
