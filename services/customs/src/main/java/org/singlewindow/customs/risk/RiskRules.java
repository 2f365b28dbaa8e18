package org.singlewindow.customs.risk;

import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.reference.InvalidReferenceData;
import org.singlewindow.contract.reference.ReferenceHeader;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Customs' configurable risk rules: a declaration any rule matches goes to manual review (300) for an
 * officer. Within a rule every given criterion must hold; absent criteria do not restrict.
 */
public record RiskRules(String kind, String version, LocalDate effectiveFrom, String source, List<Rule> rules) {

    /**
     * @param minTransactionValue the order's goods + freight + insurance at least this
     * @param hsPrefixes          an item whose HS code starts with one of these ...
     * @param originCountries     ... and (if given) comes from one of these countries ...
     * @param minQuantity         ... in at least this quantity ...
     * @param minUnitPrice        ... at this unit price or more
     * @param ebpCodes            the order comes through one of these platforms
     */
    public record Rule(String id, String description, BigDecimal minTransactionValue, List<String> hsPrefixes,
                       List<String> originCountries, BigDecimal minQuantity, BigDecimal minUnitPrice, List<String> ebpCodes) {

        boolean matches(Declaration d, BigDecimal transactionValue) {
            if (minTransactionValue != null && transactionValue.compareTo(minTransactionValue) < 0) {
                return false;
            }
            if (ebpCodes != null && !ebpCodes.contains(d.order().ebpCode())) {
                return false;
            }
            boolean itemCriteria = hsPrefixes != null || originCountries != null || minQuantity != null || minUnitPrice != null;
            return !itemCriteria || d.items().stream().anyMatch(this::matches);
        }

        private boolean matches(Declaration.Item item) {
            return (hsPrefixes == null || hsPrefixes.stream().anyMatch(p -> item.hsCode().startsWith(p)))
                    && (originCountries == null || originCountries.contains(item.originCountry()))
                    && (minQuantity == null || item.quantity().compareTo(minQuantity) >= 0)
                    && (minUnitPrice == null || item.unitPrice().compareTo(minUnitPrice) >= 0);
        }
    }

    /** The first rule the declaration matches. */
    public Optional<Rule> firstMatch(Declaration d, BigDecimal transactionValue) {
        return rules.stream().filter(r -> r.matches(d, transactionValue)).findFirst();
    }

    public static RiskRules parse(byte[] json) {
        RiskRules rules = ReferenceHeader.read(json, RiskRules.class, "a risk-rules document");
        List<String> problems = new ArrayList<>();
        ReferenceHeader.check(problems, "customs-risk-rules", rules.kind(), rules.version(), rules.effectiveFrom(), rules.source());
        if (rules.rules() == null) {
            problems.add("rules is required (an empty list sends nothing to review)");
        } else {
            var ids = new HashSet<String>();
            for (int i = 0; i < rules.rules().size(); i++) {
                Rule r = rules.rules().get(i);
                if (r.id() == null || !r.id().matches("[A-Z0-9_]{1,40}") || !ids.add(r.id())) {
                    problems.add("rules[" + i + "].id must be unique, 1 to 40 of A-Z 0-9 _ (it is the receipt's reason code)");
                }
                if (r.minTransactionValue() == null && r.hsPrefixes() == null && r.originCountries() == null
                        && r.minQuantity() == null && r.minUnitPrice() == null && r.ebpCodes() == null) {
                    problems.add("rules[" + i + "] has no criterion and would send everything to review");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidReferenceData(problems);
        }
        return rules;
    }
}
