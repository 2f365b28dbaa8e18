package org.singlewindow.forex;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;

/**
 * Settings of the forex service ({@code sw.forex.*}).
 *
 * @param ledgerKey        secret key of the payer ledger's hash of ID numbers (HMAC-SHA256), at least 16 characters;
 *                         required outside the sandbox, from the secret store ({@code SW_FOREX_LEDGERKEY})
 * @param ledgerKeyPrevious the key {@code ledgerKey} replaces, while a rotation runs ({@code SW_FOREX_LEDGERKEYPREVIOUS};
 *                         docs/security.md); unset otherwise
 * @param transactionCap   the most one payment may be worth, USD
 * @param annualCap        what one person may pay in a calendar year through the channel, USD
 * @param rates            the external exchange-rate provider
 */
@ConfigurationProperties("sw.forex")
public record ForexProperties(String ledgerKey, String ledgerKeyPrevious, BigDecimal transactionCap, BigDecimal annualCap, Rates rates) {

    public ForexProperties {
        transactionCap = transactionCap == null ? new BigDecimal("50000.00") : transactionCap;
        annualCap = annualCap == null ? new BigDecimal("50000.00") : annualCap;
        rates = rates == null ? new Rates(null, null, null, null, null, 0, null, 0, null) : rates;
    }

    /**
     * @param url            base URL of the provider ({@code GET {url}/rates?base=USD})
     * @param connectTimeout TCP connect timeout of one call
     * @param readTimeout    read timeout of one call
     * @param maxAge         a rate table published longer ago than this is stale: decisions wait for a fresh one
     * @param refresh        how often the rates are fetched ahead of need
     * @param retryAttempts  attempts of one fetch (the first included)
     * @param retryBackoff   pause before the second attempt; doubles each time
     * @param breakerWindow  calls the circuit breaker judges the failure rate on
     * @param breakerOpen    how long the breaker stays open before it lets trial calls through
     */
    public record Rates(URI url, Duration connectTimeout, Duration readTimeout, Duration maxAge, Duration refresh,
                        int retryAttempts, Duration retryBackoff, int breakerWindow, Duration breakerOpen) {
        public Rates {
            url = url == null ? URI.create("http://127.0.0.1:8181") : url;
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(1) : connectTimeout;
            readTimeout = readTimeout == null ? Duration.ofSeconds(2) : readTimeout;
            maxAge = maxAge == null ? Duration.ofHours(26) : maxAge;
            refresh = refresh == null ? Duration.ofMinutes(10) : refresh;
            retryAttempts = retryAttempts > 0 ? retryAttempts : 3;
            retryBackoff = retryBackoff == null ? Duration.ofMillis(200) : retryBackoff;
            breakerWindow = breakerWindow > 0 ? breakerWindow : 10;
            breakerOpen = breakerOpen == null ? Duration.ofSeconds(30) : breakerOpen;
        }
    }
}
