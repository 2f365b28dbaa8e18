package org.singlewindow.inspection.decision;

import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.agency.Decision;
import org.singlewindow.agency.MessageChecks;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Inspection and quarantine's message-level checks: origin countries are real ISO 3166 codes and bar
 * codes are well-formed GTINs. The first step of {@link InspectionPolicy}.
 */
class InspectionMessageChecks {

    private static final Set<String> COUNTRIES = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3);

    Decision decide(DeclarationSubmitted submitted) {
        List<Declaration.Item> items = submitted.declaration().items() == null ? List.of() : submitted.declaration().items();
        MessageChecks checks = new MessageChecks();
        for (int i = 0; i < items.size(); i++) {
            Declaration.Item item = items.get(i);
            checks.require(item.originCountry() != null && COUNTRIES.contains(item.originCountry()),
                    "/items/" + i + "/originCountry", "MSG_COUNTRY",
                    "'" + item.originCountry() + "' is not an ISO 3166-1 alpha-3 country code");
            if (item.barCode() != null && item.barCode().matches("[0-9]{8}|[0-9]{12,14}")) {
                checks.require(Gtin.valid(item.barCode()), "/items/" + i + "/barCode", "MSG_BARCODE",
                        "the bar code's check digit is wrong");
            }
        }
        return checks.decide("inspection and quarantine: no finding on the message");
    }
}
