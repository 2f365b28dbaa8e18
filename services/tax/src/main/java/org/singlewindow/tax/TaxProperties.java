package org.singlewindow.tax;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Settings of the tax service ({@code sw.tax.*}).
 *
 * @param ledgerKey       secret key of the consumer ledger's hash of ID numbers (HMAC-SHA256); set it
 *                        from the secret store in production ({@code SW_TAX_LEDGERKEY})
 * @param annualLimit     a consumer's yearly limit in the channel, CNY
 * @param openingBalances guarantee balances opened at start for enterprises without an account
 *                        (the sandbox's demo enterprises); production deposits through the admin API
 */
@ConfigurationProperties("sw.tax")
public record TaxProperties(String ledgerKey, BigDecimal annualLimit, Map<String, BigDecimal> openingBalances) {

    public TaxProperties {
        if (ledgerKey == null || ledgerKey.length() < 16) {
            throw new IllegalArgumentException("sw.tax.ledger-key must be at least 16 characters");
        }
        annualLimit = annualLimit == null ? new BigDecimal("26000.00") : annualLimit;
        openingBalances = openingBalances == null ? Map.of() : Map.copyOf(openingBalances);
    }
}
