package org.singlewindow.inspection.rules;

import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.reference.InvalidReferenceData;
import org.singlewindow.contract.reference.ReferenceHeader;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Inspection and quarantine's risk screening as versioned data: prohibited goods, product recalls (by
 * bar code, or by HS heading and brand), origin-country alerts (a country and HS scope within a validity
 * window), quarantine-sensitive HS chapters (inspected always, or sampled at a higher rate), and a
 * random sampling rate. Sampling is reproducible: the draw is a hash of the declaration id and the
 * rules' version, so a replayed declaration is decided the same.
 */
public record InspectionRules(String kind, String version, LocalDate effectiveFrom, String source, double samplingRate,
                              List<Chapters> sensitiveChapters, List<OriginAlert> originAlerts, List<Recall> recalls,
                              List<Prohibited> prohibited) {

    public static final String KIND = "inspection-rules";
    public static final String SAMPLED = "CIQ_RANDOM_SAMPLE";
    private static final Pattern ID = Pattern.compile("[A-Z0-9_]{1,40}");

    public enum Action { INSPECT, SAMPLE }

    /** HS chapters (two digits) screened for quarantine: always inspected, or sampled at {@code samplingRate}. */
    public record Chapters(String id, String description, List<String> chapters, Action action, Double samplingRate) {
    }

    /** Goods of this HS scope from this country are held while the alert is valid (until inclusive; null = open). */
    public record OriginAlert(String id, String description, String country, List<String> hsPrefixes, LocalDate validFrom,
                              LocalDate validUntil) {
        boolean validOn(LocalDate day) {
            return !day.isBefore(validFrom) && (validUntil == null || !day.isAfter(validUntil));
        }
    }

    /** A recalled product: by bar code, or by HS heading and a brand named in the item's name. */
    public record Recall(String id, String description, List<String> barCodes, String hsPrefix, String brand) {
        boolean matches(Declaration.Item item) {
            if (barCodes != null && item.barCode() != null && barCodes.contains(item.barCode())) {
                return true;
            }
            return hsPrefix != null && brand != null && item.hsCode() != null && item.hsCode().startsWith(hsPrefix)
                    && item.name() != null && Pattern.compile("\\b" + Pattern.quote(brand.toLowerCase(Locale.ROOT)) + "\\b")
                    .matcher(item.name().toLowerCase(Locale.ROOT)).find();
        }
    }

    /** Goods that may not enter through this channel. */
    public record Prohibited(String id, String description, List<String> hsPrefixes) {
    }

    /** One rule that fired on one item (or on the whole declaration, {@code item} -1, for sampling). */
    public record Hit(String ruleId, int item, String message) {
    }

    /** Every rule that fires on the declaration on {@code day}, most serious first; sampling last. */
    public List<Hit> screen(UUID declarationId, Declaration d, LocalDate day) {
        List<Hit> hits = new ArrayList<>();
        List<Declaration.Item> items = d.items();
        for (int i = 0; i < items.size(); i++) {
            Declaration.Item item = items.get(i);
            for (Prohibited p : prohibited) {
                if (startsWithAny(item.hsCode(), p.hsPrefixes())) {
                    hits.add(new Hit(p.id(), i, "prohibited goods: " + p.description()));
                }
            }
            for (Recall r : recalls) {
                if (r.matches(item)) {
                    hits.add(new Hit(r.id(), i, "recalled product: " + r.description()));
                }
            }
            for (OriginAlert a : originAlerts) {
                if (a.country().equals(item.originCountry()) && startsWithAny(item.hsCode(), a.hsPrefixes()) && a.validOn(day)) {
                    hits.add(new Hit(a.id(), i, "origin alert for " + a.country() + ": " + a.description()));
                }
            }
            for (Chapters c : sensitiveChapters) {
                if (c.action() == Action.INSPECT && inChapters(item.hsCode(), c.chapters())) {
                    hits.add(new Hit(c.id(), i, "quarantine-sensitive goods: " + c.description()));
                }
            }
        }
        double rate = samplingRate(d);
        if (hits.isEmpty() && draw(declarationId) < rate) {
            hits.add(new Hit(SAMPLED, -1, "selected by random sampling (rate " + rate + ")"));
        }
        return hits;
    }

    /** The sampling rate that applies: the general one, or the highest of a sensitive chapter an item falls in. */
    public double samplingRate(Declaration d) {
        double rate = samplingRate;
        for (Declaration.Item item : d.items()) {
            for (Chapters c : sensitiveChapters) {
                if (c.action() == Action.SAMPLE && inChapters(item.hsCode(), c.chapters())) {
                    rate = Math.max(rate, c.samplingRate());
                }
            }
        }
        return rate;
    }

    /** The declaration's reproducible draw in [0, 1): SHA-256 of its id and this version. */
    public double draw(UUID declarationId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((declarationId + ":" + version).getBytes(StandardCharsets.UTF_8));
            return (ByteBuffer.wrap(digest).getLong() >>> 11) / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean startsWithAny(String hsCode, List<String> prefixes) {
        return hsCode != null && prefixes.stream().anyMatch(hsCode::startsWith);
    }

    private static boolean inChapters(String hsCode, List<String> chapters) {
        return hsCode != null && hsCode.length() >= 2 && chapters.contains(hsCode.substring(0, 2));
    }

    public static InspectionRules parse(byte[] json) {
        InspectionRules r = ReferenceHeader.read(json, InspectionRules.class, "an inspection-rules document");
        List<String> problems = new ArrayList<>();
        ReferenceHeader.check(problems, KIND, r.kind(), r.version(), r.effectiveFrom(), r.source());
        if (!(r.samplingRate() >= 0 && r.samplingRate() <= 1)) {
            problems.add("samplingRate must be between 0 and 1");
        }
        if (r.sensitiveChapters() == null || r.originAlerts() == null || r.recalls() == null || r.prohibited() == null) {
            problems.add("sensitiveChapters, originAlerts, recalls and prohibited are required (empty lists are allowed)");
            throw new InvalidReferenceData(problems);
        }
        Set<String> ids = new HashSet<>(Set.of(SAMPLED));
        for (int i = 0; i < r.sensitiveChapters().size(); i++) {
            Chapters c = r.sensitiveChapters().get(i);
            String at = "sensitiveChapters[" + i + "]";
            id(problems, ids, at, c.id());
            if (c.chapters() == null || c.chapters().isEmpty() || !c.chapters().stream().allMatch(ch -> ch != null && ch.matches("[0-9]{2}"))) {
                problems.add(at + ".chapters must list two-digit HS chapters");
            }
            if (c.action() == null) {
                problems.add(at + ".action must be INSPECT or SAMPLE");
            } else if (c.action() == Action.SAMPLE && (c.samplingRate() == null || !(c.samplingRate() >= 0 && c.samplingRate() <= 1))) {
                problems.add(at + ".samplingRate between 0 and 1 is required for SAMPLE");
            }
        }
        for (int i = 0; i < r.originAlerts().size(); i++) {
            OriginAlert a = r.originAlerts().get(i);
            String at = "originAlerts[" + i + "]";
            id(problems, ids, at, a.id());
            if (a.country() == null || !a.country().matches("[A-Z]{3}")) {
                problems.add(at + ".country must be an ISO 3166-1 alpha-3 code");
            }
            prefixes(problems, at, a.hsPrefixes());
            if (a.validFrom() == null || (a.validUntil() != null && a.validUntil().isBefore(a.validFrom()))) {
                problems.add(at + " needs validFrom, and validUntil (if given) not before it");
            }
        }
        for (int i = 0; i < r.recalls().size(); i++) {
            Recall c = r.recalls().get(i);
            String at = "recalls[" + i + "]";
            id(problems, ids, at, c.id());
            boolean byBarCode = c.barCodes() != null && !c.barCodes().isEmpty();
            boolean byBrand = c.hsPrefix() != null && c.hsPrefix().matches("[0-9]{2,10}") && c.brand() != null && !c.brand().isBlank();
            if (!byBarCode && !byBrand) {
                problems.add(at + " needs barCodes, or hsPrefix (2 to 10 digits) and brand");
            }
        }
        for (int i = 0; i < r.prohibited().size(); i++) {
            Prohibited p = r.prohibited().get(i);
            String at = "prohibited[" + i + "]";
            id(problems, ids, at, p.id());
            prefixes(problems, at, p.hsPrefixes());
        }
        if (!problems.isEmpty()) {
            throw new InvalidReferenceData(problems);
        }
        return r;
    }

    private static void id(List<String> problems, Set<String> ids, String at, String id) {
        if (id == null || !ID.matcher(id).matches() || !ids.add(id)) {
            problems.add(at + ".id must be unique, 1 to 40 of A-Z 0-9 _ (it is the receipt's reason code)");
        }
    }

    private static void prefixes(List<String> problems, String at, List<String> prefixes) {
        if (prefixes == null || prefixes.isEmpty() || !prefixes.stream().allMatch(p -> p != null && p.matches("[0-9]{2,10}"))) {
            problems.add(at + ".hsPrefixes must list HS prefixes of 2 to 10 digits");
        }
    }
}
