package org.singlewindow.tax;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Settings of the tax service ({@code sw.tax.*}).
 *
 * @param ledgerKey       secret key of the consumer ledger's hash of ID numbers (HMAC-SHA256), at least 16
 *                        characters; required outside the sandbox, from the secret store ({@code SW_TAX_LEDGERKEY})
 * @param ledgerKeyPrevious the key {@code ledgerKey} replaces, while a rotation runs ({@code SW_TAX_LEDGERKEYPREVIOUS};
 *                        docs/security.md); unset otherwise
 * @param annualLimit     a consumer's yearly limit in the channel, CNY
 * @param openingBalances guarantee balances opened at start for enterprises without an account
 *                        (the sandbox's demo enterprises); production deposits through the admin API
 * @param unprovenHoldYieldsAfter how long a reservation of a filer the consumer has never bought from keeps the
 *                        consumer's quota from the consumer's other purchases (10 minutes: an order that is not
 *                        held clears within seconds); after it, a purchase that needs the quota takes it and
 *                        the waiting declaration is rejected ({@code TAX_QUOTA_YIELDED})
 * @param unprovenFilerStep for a filer the consumer has not bought from, what others' purchases count toward the
 *                        year is rounded up to a multiple of this (CNY 5,000, the single-order limit): the filer's
 *                        answers then tell at most which step the consumer's year is in, not what they bought
 */
@ConfigurationProperties("sw.tax")
public record TaxProperties(String ledgerKey, String ledgerKeyPrevious, BigDecimal annualLimit, Map<String, BigDecimal> openingBalances,
                            java.time.Duration unprovenHoldYieldsAfter, BigDecimal unprovenFilerStep) {

    public TaxProperties {
        unprovenHoldYieldsAfter = unprovenHoldYieldsAfter == null ? java.time.Duration.ofMinutes(10) : unprovenHoldYieldsAfter;
        annualLimit = annualLimit == null ? new BigDecimal("26000.00") : annualLimit;
        unprovenFilerStep = unprovenFilerStep == null ? new BigDecimal("5000.00") : unprovenFilerStep;
        if (unprovenFilerStep.signum() <= 0) {
            throw new IllegalArgumentException("sw.tax.unproven-filer-step must be a positive amount, got " + unprovenFilerStep);
        }
        openingBalances = openingBalances == null ? Map.of() : Map.copyOf(openingBalances);
    }
}
