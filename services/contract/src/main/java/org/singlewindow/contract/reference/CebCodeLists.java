package org.singlewindow.contract.reference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reference data: the customs' numeric country and currency codes that the CEB XML messages carry
 * ({@code 142} China and yuan renminbi, {@code 502} United States and US dollar, …), each with the ISO
 * 3166-1 alpha-3 or ISO 4217 code the contract uses. The XML interface maps a message's codes to the
 * contract's on the way in and back on the way out; a code outside the lists is refused by name.
 *
 * @param kind          always {@code ceb-code-lists}
 * @param version       the document's version
 * @param effectiveFrom the day it applies from
 * @param source        where the codes come from and what is left out
 * @param countries     customs country and region codes
 * @param currencies    customs currency codes
 */
public record CebCodeLists(String kind, String version, LocalDate effectiveFrom, String source, List<Code> countries,
                           List<Code> currencies) {

    public static final String KIND = "ceb-code-lists";
    public static final String BUNDLED = "/org/singlewindow/contract/reference/ceb-code-lists.json";

    /** One code: the customs' numeric code, the ISO code and the English name. */
    public record Code(String customs, String iso, String name) {
    }

    public CebCodeLists {
        countries = countries == null ? List.of() : List.copyOf(countries);
        currencies = currencies == null ? List.of() : List.copyOf(currencies);
    }

    /** The bundled lists. */
    public static CebCodeLists bundled() {
        try (InputStream in = CebCodeLists.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED + " is missing from the classpath");
            }
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ISO 3166-1 alpha-3 code of a customs country code. */
    public Optional<String> countryIso(String customs) {
        return find(countries, customs, true);
    }

    /** The customs country code of an ISO 3166-1 alpha-3 code. */
    public Optional<String> countryCustoms(String iso) {
        return find(countries, iso, false);
    }

    /** The ISO 4217 code of a customs currency code. */
    public Optional<String> currencyIso(String customs) {
        return find(currencies, customs, true);
    }

    /** The customs currency code of an ISO 4217 code. */
    public Optional<String> currencyCustoms(String iso) {
        return find(currencies, iso, false);
    }

    private static Optional<String> find(List<Code> codes, String value, boolean fromCustoms) {
        if (value == null) {
            return Optional.empty();
        }
        return codes.stream().filter(c -> value.equals(fromCustoms ? c.customs() : c.iso()))
                .map(c -> fromCustoms ? c.iso() : c.customs()).findFirst();
    }

    /**
     * Read and check the lists: three-digit customs codes and three-letter ISO codes, each at most once.
     *
     * @throws InvalidReferenceData naming every problem found
     */
    public static CebCodeLists parse(byte[] json) {
        CebCodeLists lists = ReferenceHeader.read(json, CebCodeLists.class, "CEB code lists");
        List<String> problems = new ArrayList<>();
        ReferenceHeader.check(problems, KIND, lists.kind(), lists.version(), lists.effectiveFrom(), lists.source());
        check(problems, "countries", lists.countries());
        check(problems, "currencies", lists.currencies());
        if (!problems.isEmpty()) {
            throw new InvalidReferenceData(problems);
        }
        return lists;
    }

    private static void check(List<String> problems, String list, List<Code> codes) {
        if (codes.isEmpty()) {
            problems.add(list + " must not be empty");
        }
        Map<String, Integer> customs = new HashMap<>();
        Map<String, Integer> iso = new HashMap<>();
        for (int i = 0; i < codes.size(); i++) {
            Code c = codes.get(i);
            String at = list + "[" + i + "]";
            if (c == null || c.customs() == null || !c.customs().matches("[0-9]{3}")) {
                problems.add(at + ".customs must be three digits");
                continue;
            }
            if (c.iso() == null || !c.iso().matches("[A-Z]{3}")) {
                problems.add(at + ".iso must be three capital letters");
                continue;
            }
            if (customs.put(c.customs(), i) != null) {
                problems.add(at + ".customs " + c.customs() + " appears twice");
            }
            if (iso.put(c.iso(), i) != null) {
                problems.add(at + ".iso " + c.iso() + " appears twice");
            }
        }
    }
}
