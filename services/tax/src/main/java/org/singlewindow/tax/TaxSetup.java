package org.singlewindow.tax;

import org.singlewindow.contract.reference.TariffTable;
import org.singlewindow.kit.reference.HsTariff;
import org.singlewindow.kit.reference.ReferenceData;
import org.singlewindow.kit.security.AccessRules;
import org.singlewindow.identity.Roles;
import org.singlewindow.tax.ledger.GuaranteeAccounts;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The tariff tax decides by, who may call the tax service's own endpoints, and the opening guarantee balances. */
@Configuration(proxyBeanMethods = false)
class TaxSetup {

    /**
     * Enterprises ask for checkout quotes and read their own tax statements (as withholding agents),
     * consumers their own yearly total; before the agency rule that opens /api/v1/tax/** to tax officers.
     */
    @Bean
    @Order(0)
    AccessRules quoteAccess() {
        return requests -> requests.requestMatchers(HttpMethod.POST, "/api/v1/tax/quotes").hasRole(Roles.ENTERPRISE)
                .requestMatchers(HttpMethod.GET, "/api/v1/tax/statements").hasRole(Roles.ENTERPRISE)
                .requestMatchers(HttpMethod.GET, "/api/v1/tax/my-quota").hasRole(Roles.CONSUMER);
    }

    @Bean
    ReferenceData<TariffTable> tariff(JdbcClient jdbc) {
        return new ReferenceData<>(new HsTariff(), jdbc);
    }

    @Bean
    ApplicationRunner openingBalances(TaxProperties properties, GuaranteeAccounts accounts, TransactionTemplate tx) {
        return args -> tx.executeWithoutResult(status -> properties.openingBalances().forEach((enterprise, balance) ->
                accounts.open(enterprise, balance, OffsetDateTime.now(ZoneOffset.UTC))));
    }
}
