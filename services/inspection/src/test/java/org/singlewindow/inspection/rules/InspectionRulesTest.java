package org.singlewindow.inspection.rules;

import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Samples;
import org.singlewindow.contract.reference.InvalidReferenceData;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InspectionRulesTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 29);
    private final InspectionRules rules = InspectionRules.parse(bundled());

    private static byte[] bundled() {
        try (InputStream in = InspectionRulesTest.class.getResourceAsStream("/reference/inspection-rules.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sample with its one item changed. */
    private static Declaration item(String hsCode, String name, String barCode, String origin) {
        ObjectNode json = Samples.declaration();
        ObjectNode item = (ObjectNode) json.get("items").get(0);
        item.put("hsCode", hsCode);
        item.put("name", name);
        item.put("barCode", barCode);
        item.put("originCountry", origin);
        return Json.mapper().treeToValue(json, Declaration.class);
    }

    /** A declaration id whose sampling draw is above every rate of the bundled rules. */
    private UUID unsampledId() {
        return IntStream.range(0, 1000).mapToObj(i -> new UUID(42, i)).filter(id -> rules.draw(id) > 0.5).findFirst().orElseThrow();
    }

    private List<String> hits(Declaration d, LocalDate day) {
        return rules.screen(unsampledId(), d, day).stream().map(InspectionRules.Hit::ruleId).toList();
    }

    @Test
    void aCleanDeclarationPasses() {
        assertThat(hits(item("1901101000", "Infant formula stage 1, 900 g", "4008976022343", "NLD"), TODAY)).isEmpty();
        assertThat(hits(item("6403990000", "Leather shoes", null, "ITA"), TODAY)).isEmpty();
    }

    @Test
    void prohibitedGoodsAreHeld() {
        assertThat(hits(item("1209910000", "Vegetable seeds for sowing", null, "NLD"), TODAY)).containsExactly("CIQ_PROHIBITED_SEEDS");
    }

    @Test
    void aRecalledProductIsHeldByBarCodeOrByHsAndBrand() {
        assertThat(hits(item("1901101000", "Infant formula", "4008976022350", "NLD"), TODAY)).containsExactly("RECALL_FORMULA_LOT_2026");
        assertThat(hits(item("3304990099", "LUMINELLE night cream 50 ml", null, "FRA"), TODAY)).containsExactly("RECALL_SKINCARE_BRAND");
        // the brand as a word, within the HS heading only
        assertThat(hits(item("3304990099", "Luminellesque night cream", null, "FRA"), TODAY)).isEmpty();
        assertThat(hits(item("6110200000", "Luminelle cotton pullover", null, "FRA"), TODAY)).isEmpty();
    }

    @Test
    void anOriginAlertHoldsItsScopeFromItsCountryWhileItIsValid() {
        assertThat(hits(item("0203120000", "Pork shoulder, frozen", null, "BEL"), TODAY)).containsExactly("ALERT_ASF_PORK");
        assertThat(hits(item("0203120000", "Pork shoulder, frozen", null, "DNK"), TODAY)).isEmpty();
        assertThat(hits(item("0207140000", "Chicken wings, frozen", null, "FRA"), TODAY)).isEmpty(); // expired 2025-06-30
        assertThat(hits(item("0207140000", "Chicken wings, frozen", null, "FRA"), LocalDate.of(2025, 3, 1)))
                .containsExactly("ALERT_HPAI_POULTRY");
    }

    @Test
    void liveAnimalsAndPlantsAreAlwaysInspected() {
        assertThat(hits(item("0106190000", "Live pet rabbit", null, "NLD"), TODAY)).containsExactly("CIQ_LIVE_ANIMALS");
        assertThat(hits(item("0603110000", "Fresh cut roses", null, "KEN"), TODAY)).containsExactly("CIQ_LIVE_PLANTS");
    }

    @Test
    void samplingIsReproducibleAndAtTheRateOfTheSensitiveChapter() {
        Declaration food = item("1901101000", "Infant formula", "4008976022343", "NLD");
        Declaration shoes = item("6403990000", "Leather shoes", null, "ITA");
        assertThat(rules.samplingRate(food)).isEqualTo(0.05);
        assertThat(rules.samplingRate(shoes)).isEqualTo(0.01);
        UUID id = new UUID(7, 7);
        assertThat(rules.screen(id, food, TODAY)).isEqualTo(rules.screen(id, food, TODAY));

        long sampled = IntStream.range(0, 20_000).mapToObj(i -> new UUID(2026, i))
                .filter(i -> rules.screen(i, food, TODAY).stream().anyMatch(h -> h.ruleId().equals(InspectionRules.SAMPLED)))
                .count();
        assertThat(sampled / 20_000.0).isBetween(0.04, 0.06);
        long shoesSampled = IntStream.range(0, 20_000).mapToObj(i -> new UUID(2026, i))
                .filter(i -> !rules.screen(i, shoes, TODAY).isEmpty()).count();
        assertThat(shoesSampled / 20_000.0).isBetween(0.005, 0.015);
    }

    @Test
    void aDocumentWithMistakesIsRefusedNamingEachOne() {
        String bad = """
                {"kind": "inspection-rules", "version": "x", "effectiveFrom": "2026-01-01", "source": "test", "samplingRate": 1.5,
                 "sensitiveChapters": [{"id": "A", "description": "d", "chapters": ["1"], "action": "SAMPLE"}],
                 "originAlerts": [{"id": "A", "description": "d", "country": "Belgium", "hsPrefixes": ["x"], "validFrom": "2026-01-01"}],
                 "recalls": [{"id": "R", "description": "d", "brand": "only a brand"}],
                 "prohibited": [{"id": "lower", "description": "d", "hsPrefixes": []}]}""";
        assertThatThrownBy(() -> InspectionRules.parse(bad.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidReferenceData.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "samplingRate must be between 0 and 1",
                        "sensitiveChapters[0].chapters must list two-digit HS chapters",
                        "sensitiveChapters[0].samplingRate between 0 and 1 is required for SAMPLE",
                        "originAlerts[0].id must be unique, 1 to 40 of A-Z 0-9 _ (it is the receipt's reason code)",
                        "originAlerts[0].country must be an ISO 3166-1 alpha-3 code",
                        "originAlerts[0].hsPrefixes must list HS prefixes of 2 to 10 digits",
                        "recalls[0] needs barCodes, or hsPrefix (2 to 10 digits) and brand",
                        "prohibited[0].id must be unique, 1 to 40 of A-Z 0-9 _ (it is the receipt's reason code)",
                        "prohibited[0].hsPrefixes must list HS prefixes of 2 to 10 digits"));
    }
}
